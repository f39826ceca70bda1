"""The user's API tokens: create one (shown once), see when each was last used, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from decisions.api.models import ApiToken
from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.lib.htmx import HtmxHttpRequest

MAX_ACTIVE_TOKENS = 20


class TokenForm(PlainNamesMixin, StatedLimitsMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, for example “CI dashboard”.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HtmxHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = ""
    tokens = ApiToken.objects.filter(user=request.user)
    if request.method == "POST" and form.is_valid():
        if tokens.active().count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None, f"You have {MAX_ACTIVE_TOKENS} active tokens, the limit: revoke one first."
            )
        else:
            api_token, new_token = ApiToken.create(
                user=request.user, name=form.cleaned_data["name"]
            )
            messages.success(request, f"Token “{api_token.name}” created. Copy it now.")
            form = TokenForm()
    status = 422 if request.method == "POST" and not new_token else 200
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    response = render(request, "api/tokens.html", context, status=status)
    # The token appears once: never from a cache or the back button.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HtmxHttpRequest, token_id: int) -> HttpResponse:
    api_token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if api_token is None:
        raise Http404("No such token.")
    api_token.revoke()
    messages.success(request, f"Token “{api_token.name}” revoked: it no longer opens the API.")
    return redirect("api_tokens:list")
