"""Request limits per client address, counted atomically in the database.

One `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` both counts and reads, on SQLite and on
PostgreSQL alike, so concurrent requests can never pass the limit together. (The database cache
Django offers increments with a read and a write: 34 of 90 concurrent requests passed a limit
of 30. Rate-limit libraries count through that cache, so they inherit the race.)
"""

from __future__ import annotations

import time

from django.db import connection

from decisions.accounts.models import RequestCount
from decisions.lib.clients import client_address


def over_limit(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the client made more than `limit` in the window."""
    return hit(f"{scope}:{client_address(request)}", window_seconds) > limit


def hit(bucket: str, window_seconds: int) -> int:
    """Add one to the bucket's count for the current window and return the new count."""
    now = int(time.time())
    period = now // window_seconds
    table = connection.ops.quote_name(RequestCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, period, count, expires) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (bucket, period) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [bucket, period, (period + 1) * window_seconds],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # once per bucket and window: forget the windows that are over
        RequestCount.objects.filter(expires__lt=now).delete()
    return count
