"""Sessions that end: after a day without a request, and two weeks after logging in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
# The last-seen time is written at most this often, so a busy page does not write every time.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Logs out a session idle for SESSION_IDLE_SECONDS or older than SESSION_COOKIE_AGE.

    Django's own expiry moves forward whenever the session is saved, so it is neither an idle
    nor an absolute limit: both are kept here as timestamps in the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        login_at = session.get(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        idle = now - seen_at > settings.SESSION_IDLE_SECONDS
        too_old = now - login_at > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            logout(request)
            request.session_timed_out = True
            messages.info(
                request,
                "You were logged out after a day without activity. Log in again to go on."
                if idle
                else "Sessions last two weeks: log in again to go on.",
            )
            return
        if now - seen_at >= SEEN_RESOLUTION_SECONDS or LOGIN_AT not in session:
            session[SEEN_AT] = now
            session.setdefault(LOGIN_AT, now)


def stamp_login(sender, request, user, **kwargs) -> None:
    """Both clocks start at log-in (connected to user_logged_in in apps.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()
