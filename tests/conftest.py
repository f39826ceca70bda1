"""Three users, after healthchecks' alice, bob and charlie: an owner, a read-only member
(viewer) and a stranger; plus an editor. Alice's team holds one project with one example."""

from __future__ import annotations

import pytest

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import team_create, user_signup
from decisions.evidence.models import FailedExample
from decisions.projects.models import Project

# Fixtures that reach the database: a test holding none of them (nor a django_db or database
# mark) never touches one, so a second database has nothing to show it.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests whose outcome may depend on the database (CI's PostgreSQL "
        "run): the others ran on SQLite already and would show nothing new.",
    )


def touches_database(item: pytest.Item) -> bool:
    return bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("database")
    )


def depends_on_database(item: pytest.Item) -> bool:
    """Reaches a database, and checks more than a file the platforms' readers judge (the
    validators need `make validators`, which CI builds beside the PostgreSQL run)."""
    return touches_database(item) and not item.get_closest_marker("validators")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    config.hook.pytest_deselected(items=[item for item in items if not depends_on_database(item)])
    items[:] = [item for item in items if depends_on_database(item)]


PASSWORD = "correct-horse-battery-staple"
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run inside the test that enqueues them; tests/test_worker.py runs the real worker."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def site_url(settings):
    """Links in e-mails and webhooks start with SITE_URL: tests state them with this one."""
    settings.SITE_URL = "https://decisions.example.com"


@pytest.fixture
def alice(db):
    return user_signup(username="alice", email="alice@example.com", password=PASSWORD)


@pytest.fixture
def team(alice):
    return team_create(user=alice, name="Growth team")


@pytest.fixture
def bob(team):
    """A viewer in alice's team."""
    user = user_signup(username="bob", email="bob@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def emily(team):
    """An editor in alice's team."""
    user = user_signup(username="emily", email="emily@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def charlie(db):
    """A stranger: a user in no team of alice's."""
    return user_signup(username="charlie", email="charlie@example.com", password=PASSWORD)


@pytest.fixture
def project(team, alice):
    return Project.objects.create(team=team, name="Email drafter", owner=alice)


def make_example(project, **fields) -> FailedExample:
    values = {
        "title": "Too formal",
        "input_text": "Write a follow-up to Dana.",
        "bad_output": "Dear Valued Customer,",
        "expected_output": "Hi Dana,",
        "failure_type": "tone",
        "techniques_tried": ["instructions"],
        "iterations": 2,
    }
    values.update(fields)
    return FailedExample.objects.create(project=project, **values)


@pytest.fixture
def example(project):
    return make_example(project)


def example_post_data(**overrides) -> dict:
    data = {
        "title": "Invents the return policy",
        "failure_type": "facts",
        "input_text": "Can I return shoes after 5 weeks?",
        "bad_output": "Yes, 60 days.",
        "expected_output": "30 days for shoes.",
        "techniques_tried": ["instructions", "role"],
        "iterations": "3",
        "severity": "high",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def body_of(response) -> bytes:
    """A response's body, whole: exports stream (StreamingHttpResponse has no .content)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
