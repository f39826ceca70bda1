"""CI's PostgreSQL lane runs `pytest --database-tests-only`: the tests whose outcome may depend
on the database. A test wrongly left out would never run on PostgreSQL, so the rule is tested."""

from __future__ import annotations

import pytest

from tests.conftest import depends_on_database


class Item:
    """What the rule reads of a collected test: its fixtures (their closure) and its marks."""

    def __init__(self, fixtures=(), marks=()):
        self.fixturenames = list(fixtures)
        self.marks = set(marks)

    def get_closest_marker(self, name):
        return getattr(pytest.mark, name).mark if name in self.marks else None


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        (Item(["client", "alice", "db"]), True),
        (Item(["transactional_db"]), True),
        (Item(["live_server"]), True),
        (Item(["tmp_path"], marks=["django_db"]), True),
        # Reaches the database from a process of its own (the killed-server load test).
        (Item(["tmp_path"], marks=["database"]), True),
        (Item(["tmp_path", "monkeypatch"]), False),
        (Item([]), False),
        # The platforms' validators judge files; their readers are built beside the lane.
        (Item(["client", "db"], marks=["validators"]), False),
    ],
    ids=[
        "db",
        "transactional",
        "live server",
        "django_db",
        "database",
        "none",
        "bare",
        "validators",
    ],
)
def test_the_postgresql_lane_keeps_the_tests_that_reach_a_database(item, kept):
    assert depends_on_database(item) is kept
