"""A fixed-window request limit per client address, kept in the shared cache.

The cache is the database cache by default, so the limit holds across several app servers.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a reverse proxy unless the proxy rewrites it;
    # X-Forwarded-For is not trusted because any client can send it.
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` in the window."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count > limit
