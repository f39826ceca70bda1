"""Log lines never carry a share, invitation or password-reset token: whoever reads the logs
could use it."""

from __future__ import annotations

import logging
import re

# A password-reset link is /accounts/password/reset/<user id>/<token>/: the id stays, the
# token goes.
TOKEN_PATH = re.compile(
    r"/(s|accounts/invitations|accounts/password/reset/[^/\s?&\"']+)/[^/\s?&\"']+"
)


def redact(text: str) -> str:
    return TOKEN_PATH.sub(r"/\1/[redacted]", text)


class RedactShareTokens(logging.Filter):
    """On a handler: rewrites /s/<token>/ and /accounts/invitations/<token>/ in every record.

    Django logs the path of every 4xx and 5xx response (django.request) and runserver every
    request line (django.server), so a valid token would otherwise land in the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TOKEN_PATH.search(message):
            record.msg, record.args = redact(message), ()
        return True
