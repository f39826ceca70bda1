"""One structured log line per request: who, what, how it ended, how long it took.

The line is logfmt (`key=value`, values with spaces quoted), which log tools parse without a
schema and people read without one. Share and invitation tokens are redacted from the path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from decisions.lib.logs import redact

logger = logging.getLogger("decisions.requests")


def logfmt_value(value: object) -> str:
    text = str(value)
    if text and not any(character in text for character in ' "=\\'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def request_line(*, method: str, path: str, status: int, ms: float, user_id, htmx: bool) -> str:
    fields = {
        "method": method,
        "path": redact(path),
        "status": status,
        "ms": f"{ms:.1f}",
        "user": user_id if user_id is not None else "-",
        "htmx": "1" if htmx else "0",
    }
    return " ".join(f"{key}={logfmt_value(value)}" for key, value in fields.items())


class RequestLogMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware and the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            request_line(
                method=request.method or "-",
                path=request.path,
                status=response.status_code,
                ms=(time.perf_counter() - started) * 1000,
                user_id=user.pk if user is not None and user.is_authenticated else None,
                htmx=request.headers.get("HX-Request") == "true",
            )
        )
        return response
