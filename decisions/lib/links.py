"""Absolute links for what leaves the site (e-mails, webhooks), built from SITE_URL."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL joined to a path from reverse(): never the request's Host header, which a
    client chooses, and the only way a task (which has no request) can build a link."""
    return f"{settings.SITE_URL}{path}"
