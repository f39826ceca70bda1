"""Checks made when a server starts: refuse to serve in a state that is unsafe."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_insecure_start() -> None:
    """A server with DEBUG off serves real users: it needs a SECRET_KEY of its own.

    The fallback key is public (it is in this repository), so sessions, CSRF tokens and
    password-reset links signed with it could be forged.
    """
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG=false and no SECRET_KEY: set SECRET_KEY to a long "
            "random value, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
