"""Choosing the project's held-out test set: a share by hash here, or by hand from the
examples table. A change that would leave measured trials on an older test set asks first,
naming them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from decisions.accounts.access import Need
from decisions.evidence import services
from decisions.evidence.examples.forms import TestSetForm
from decisions.evidence.test_set import (
    chosen_message,
    needs_confirmation,
    project_split,
    share_change,
    trials_on_current_test_set,
)
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project


@login_required
@require_http_methods(["GET", "POST"])
def test_set_page(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(
        request.user, project_id, Need.EDIT if request.method == "POST" else Need.READ
    )
    split = project_split(project)
    initial = {"share_percent": split.test_set.share_percent} if split.chosen else None
    form = TestSetForm(request.POST or None, initial=initial)
    stranded, change, status = [], None, 200
    if request.method == "POST" and form.is_valid():
        stranded = needs_confirmation(project, form.cleaned_data["confirmed_version"])
        if stranded:
            change = share_change(project, form.cleaned_data["share_percent"])
        else:
            try:
                services.test_set_choose(
                    project=project,
                    user=request.user,
                    share_percent=form.cleaned_data["share_percent"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, chosen_message(project))
                return redirect("projects:detail", project_id=project.pk)
        status = 200 if stranded else 422
    elif request.method == "POST":
        status = 422
    context = {
        "project": project,
        "membership": membership,
        "split": split,
        "form": form,
        "stranded": stranded,
        "change": change,
        "trials_on_it": trials_on_current_test_set(project),
    }
    return render(request, "evidence/test_set.html", context, status=status)
