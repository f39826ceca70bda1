"""Deployment checks (`manage.py check --deploy`) for the settings that shape outgoing links
and requests. Registered by the records app, which sends the e-mails and webhooks."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning
from urllib3.util import parse_url

LOCAL_SITE_URL = "http://127.0.0.1:8000"


def site_url_form_check(app_configs, **kwargs) -> list[Error]:
    """Always: "decisions.example.com" without a scheme would make every link a relative one,
    broken in every e-mail."""
    parts = parse_url(settings.SITE_URL) if settings.SITE_URL else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.host
        or (parts.path not in (None, "", "/"))
    ):
        return [
            Error(
                f"SITE_URL is {settings.SITE_URL!r}: it must be this site's address with its "
                "scheme and no path, e.g. https://decisions.example.com.",
                id="decisions.E001",
            )
        ]
    return []


def site_url_check(app_configs, **kwargs) -> list[Warning]:
    """Links in e-mails go to SITE_URL: left at the local default they lead nowhere, and over
    http they would carry people to a page that sends their session cookie in the clear."""
    if settings.SITE_URL == LOCAL_SITE_URL or not settings.SITE_URL:
        return [
            Warning(
                f"SITE_URL is not set: links in e-mails and webhooks point at {LOCAL_SITE_URL}.",
                hint="Set SITE_URL to this site's address, e.g. https://decisions.example.com.",
                id="decisions.W001",
            )
        ]
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}, not an https address.",
                hint="Links in e-mails and webhooks should use https.",
                id="decisions.W002",
            )
        ]
    return []


def webhooks_private_check(app_configs, **kwargs) -> list[Warning]:
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return [
            Warning(
                "WEBHOOKS_ALLOW_PRIVATE is on: a team owner's webhook can make this server "
                "call addresses inside its own network (cloud metadata, databases, admin pages).",
                hint="Leave it off unless the only webhook receivers are on a network you trust.",
                id="decisions.W003",
            )
        ]
    return []
