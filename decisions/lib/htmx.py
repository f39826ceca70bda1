"""htmx requests: their type, and a login redirect that works inside them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    user: AbstractBaseUser


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session expired goes to the login page as a whole page.

    `login_required` answers with a redirect, which the browser follows inside the htmx
    request: the login page would be swapped into a fragment. Instead htmx is told to
    navigate, and after logging in the user comes back to the page they were on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (request.htmx and response.status_code == 302):
            return response
        login_url = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login_url:
            return response
        back_to = request.htmx.current_url_abs_path or "/"
        if not getattr(request, "session_timed_out", False):  # that one said so already
            unsaved = " What you just sent was not saved." if request.method == "POST" else ""
            messages.info(request, f"Your session has expired: log in again to go on.{unsaved}")
        return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': back_to})}")
