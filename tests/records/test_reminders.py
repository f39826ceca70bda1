"""A revision proposed for longer than the team's wait (7 days by default) reminds the
reviewers it waits for, once a day, by a chain of deferred tasks in the worker. Time is
frozen by passing `now`: each boundary has a test on each side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.tasks import task_backends

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.models import Acceptance, Decision, Review, ReviewEvent
from decisions.records.notifications.models import Notification
from decisions.records.reminders import review_remind
from decisions.records.review import review_move
from decisions.records.tasks import remind_reviewers
from tests.conftest import PASSWORD
from tests.reports.conftest import save_decision

PROPOSED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.fixture
def frank(team):
    user = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def proposed(project, alice, emily, frank):
    """Revision 1, proposed by alice on 2 November at 9:00, asking emily and frank."""
    decision = save_decision(project, alice, "prompt")
    membership = Membership.objects.get(user=alice, team=project.team)
    review_move(
        decision=decision,
        membership=membership,
        user=alice,
        move="propose",
        requested=[emily, frank],
    )
    ReviewEvent.objects.filter(decision=decision).update(at=PROPOSED)
    return decision


def test_exactly_seven_days_after_proposing_no_reminder_yet(proposed):
    assert review_remind(decision=proposed, now=PROPOSED + timedelta(days=7)) is None
    assert Review.objects.get(decision=proposed).reminded_at is None


def test_seven_days_and_one_second_after_proposing_it_reminds(proposed):
    now = PROPOSED + timedelta(days=7, seconds=1)
    event = review_remind(decision=proposed, now=now)
    assert (event.kind, event.by, event.to_status) == ("reminder", None, "proposed")
    assert event.note == "Reminder: proposed 7 days ago, waiting for emily, frank."
    assert Review.objects.get(decision=proposed).reminded_at == now


def test_never_twice_within_a_day(proposed):
    first = PROPOSED + timedelta(days=8)
    assert review_remind(decision=proposed, now=first) is not None
    assert review_remind(decision=proposed, now=first + timedelta(days=1, seconds=-1)) is None
    assert review_remind(decision=proposed, now=first + timedelta(days=1)) is not None
    assert ReviewEvent.objects.filter(decision=proposed, kind="reminder").count() == 2


def test_the_teams_wait_is_used(proposed, team):
    team.review_reminder_days = 3
    team.save()
    proposed = Decision.objects.get(pk=proposed.pk)  # as the reminder task loads it
    assert review_remind(decision=proposed, now=PROPOSED + timedelta(days=3)) is None
    assert review_remind(decision=proposed, now=PROPOSED + timedelta(days=3, seconds=1))


def test_a_revision_no_longer_proposed_is_not_reminded(proposed, emily):
    Review.objects.filter(decision=proposed).update(status="accepted")
    assert review_remind(decision=proposed, now=PROPOSED + timedelta(days=30)) is None


def test_the_reminder_goes_to_those_who_have_not_accepted_with_a_link(
    settings, proposed, emily, frank, django_capture_on_commit_callbacks
):
    Acceptance.objects.create(decision=proposed, reviewer=emily, at=PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        remind_reviewers.enqueue(proposed.pk)
    assert [m.to for m in mail.outbox] == [["frank@example.com"]]
    message = mail.outbox[0]
    assert message.subject == "Email drafter, revision 1: waiting for your review"
    assert "Reminder: proposed " in message.body
    link = f"https://decisions.example.com/projects/{proposed.project_id}/decisions/1/#review"
    assert f"Review it: {link}" in message.body


def test_proposing_queues_the_first_reminder_for_when_the_wait_is_over(
    settings, project, alice, emily, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    decision = save_decision(project, alice, "prompt")
    membership = Membership.objects.get(user=alice, team=project.team)
    with django_capture_on_commit_callbacks(execute=True):
        review_move(
            decision=decision,
            membership=membership,
            user=alice,
            move="propose",
        )
    proposed_at = ReviewEvent.objects.get(decision=decision).at
    queued = [r for r in task_backends["default"].results if r.task.name == "remind_reviewers"]
    assert [(r.task.run_after, r.args) for r in queued] == [
        (proposed_at + timedelta(days=7, seconds=1), [decision.pk])
    ]


def test_a_reminder_queues_the_next_one_a_day_later(settings, proposed):
    settings.TASKS = DUMMY_TASKS
    ReviewEvent.objects.filter(decision=proposed).update(at=PROPOSED - timedelta(days=30))
    remind_reviewers.call(proposed.pk)
    reminded_at = Review.objects.get(decision=proposed).reminded_at
    queued = [r for r in task_backends["default"].results if r.task.name == "remind_reviewers"]
    assert [r.task.run_after for r in queued] == [reminded_at + timedelta(days=1, seconds=1)]


@pytest.mark.parametrize(
    "old_arguments",
    [(("http://decisions.test/",), {}), ((), {"base_url": "http://decisions.test/"})],
    ids=["positional", "keyword"],
)
def test_a_reminder_queued_with_the_old_base_url_still_runs_and_its_successor_drops_it(
    settings, proposed, frank, old_arguments
):
    settings.TASKS = DUMMY_TASKS
    ReviewEvent.objects.filter(decision=proposed).update(at=PROPOSED - timedelta(days=30))
    args, kwargs = old_arguments
    assert remind_reviewers.call(proposed.pk, *args, **kwargs) == 1
    reminder = Notification.objects.get(kind="review.reminder")
    link = f"https://decisions.example.com/projects/{proposed.project_id}/decisions/1/#review"
    assert reminder.url == link
    queued = [r for r in task_backends["default"].results if r.task.name == "remind_reviewers"]
    assert [(r.args, r.kwargs) for r in queued] == [([proposed.pk], {})]


def test_the_chain_ends_when_the_review_moves_on(settings, proposed):
    settings.TASKS = DUMMY_TASKS
    Review.objects.filter(decision=proposed).update(status="accepted")
    assert remind_reviewers.call(proposed.pk) == 0
    assert [r for r in task_backends["default"].results if r.task.name == "remind_reviewers"] == []
