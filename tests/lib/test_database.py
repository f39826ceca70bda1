"""PostgreSQL gets Django's connection pool by default, sized from the environment; SQLite
gets none (it has no server to connect to)."""

from __future__ import annotations

import json

from tests.lib.test_environment import run_python

POSTGRES = "postgres://decisions@db.internal:5432/decisions"
PRINT_DATABASE = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps({'options': d['OPTIONS'], 'max_age': d['CONN_MAX_AGE']}))"
)


def database_settings(**env: str) -> dict:
    started = run_python(PRINT_DATABASE, **env)
    assert started.returncode == 0, started.stderr
    return json.loads(started.stdout)


def test_postgres_gets_the_pool_sized_for_eight_threads():
    found = database_settings(DATABASE_URL=POSTGRES, CONN_MAX_AGE="0")
    assert found == {
        "options": {"pool": {"min_size": 2, "max_size": 8, "timeout": 10}},
        "max_age": 0,
    }


def test_the_pool_is_sized_from_the_environment():
    found = database_settings(
        DATABASE_URL=POSTGRES,
        DATABASE_POOL_MAX_SIZE="16",
        DATABASE_POOL_MIN_SIZE="4",
        DATABASE_POOL_TIMEOUT="3",
        CONN_MAX_AGE="0",
    )
    assert found["options"] == {"pool": {"min_size": 4, "max_size": 16, "timeout": 3}}


def test_sqlite_has_no_pool():
    found = database_settings(DATABASE_URL="sqlite:///throwaway.sqlite3")
    assert "pool" not in found["options"]
    assert found["options"]["transaction_mode"] == "IMMEDIATE"


def test_without_the_pool_postgres_may_keep_connections_per_thread():
    found = database_settings(DATABASE_URL=POSTGRES, DATABASE_POOL="false", CONN_MAX_AGE="60")
    assert found == {"options": {}, "max_age": 60}


def test_the_pool_and_persistent_connections_together_stop_start_up_with_the_fix():
    started = run_python(PRINT_DATABASE, DATABASE_URL=POSTGRES, CONN_MAX_AGE="60")
    assert started.returncode != 0
    assert (
        "CONN_MAX_AGE is 60, but the PostgreSQL connection pool is on (DATABASE_POOL, true by "
        "default), and Django refuses both at once: keep the pool and set CONN_MAX_AGE=0, or "
        "set DATABASE_POOL=false to keep connections per thread."
    ) in started.stderr


def test_a_pool_smaller_than_its_minimum_stops_start_up():
    started = run_python(
        PRINT_DATABASE, DATABASE_URL=POSTGRES, DATABASE_POOL_MAX_SIZE="1", CONN_MAX_AGE="0"
    )
    assert started.returncode != 0
    assert "DATABASE_POOL_MIN_SIZE is 2, more than DATABASE_POOL_MAX_SIZE (1)" in started.stderr
