"""PostgreSQL connections: a pool per process by default, sized from the environment.

Without one, every request opened a connection of its own (CONN_MAX_AGE 0): a TCP handshake,
authentication and a backend process forked by PostgreSQL, a few milliseconds each, which cut
the live benchmark to half of SQLite's throughput. Django's psycopg pool keeps connections
open and lends one to a thread for the length of a request.

Why a pool rather than persistent connections (CONN_MAX_AGE with CONN_HEALTH_CHECKS): each
process holds at most DATABASE_POOL_MAX_SIZE connections whatever its threads do, so the
server's connection budget is a sum known in advance; the pool replaces a connection that broke
(a restarted database) when it comes back, instead of a health query before each request; and
idle threads hold nothing.

Sizing: a gunicorn worker runs `--threads` requests at once, each needing one connection, so
DATABASE_POOL_MAX_SIZE = threads per worker (8, the live benchmark's gunicorn). A task worker
(`manage.py db_worker`) runs one task at a time and needs 2 (an import writes its progress on
a second connection while it saves). PostgreSQL must allow the sum: gunicorn workers ×
max size + task workers × max size, under its max_connections (100 by default) with room for
psql and migrations.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from decisions.lib.environment import env_bool, env_int


def postgres_options(conn_max_age: int) -> dict:
    """OPTIONS for the PostgreSQL backend: the pool, unless DATABASE_POOL=false."""
    if not env_bool("DATABASE_POOL", True):
        return {}
    if conn_max_age:
        raise ImproperlyConfigured(
            f"CONN_MAX_AGE is {conn_max_age}, but the PostgreSQL connection pool is on "
            "(DATABASE_POOL, true by default), and Django refuses both at once: keep the pool "
            "and set CONN_MAX_AGE=0, or set DATABASE_POOL=false to keep connections per thread."
        )
    max_size = env_int("DATABASE_POOL_MAX_SIZE", 8, minimum=1)
    min_size = env_int("DATABASE_POOL_MIN_SIZE", 2)
    if min_size > max_size:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE is {min_size}, more than DATABASE_POOL_MAX_SIZE "
            f"({max_size}): the pool cannot keep more connections open than it may hold."
        )
    return {
        "pool": {
            # Opened at start and kept even when idle: the first requests need not wait.
            "min_size": min_size,
            "max_size": max_size,
            # Seconds a request waits for a free connection before it fails.
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
    }
