"""Sent e-mails' rows are deleted once older than NOTIFICATIONS_KEEP_DAYS (90 by default):
exactly that old stays, a second more goes; unsent ones stay; each e-mail sent prunes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from decisions.records.models import Notification
from decisions.records.notifications.tasks import prune_sent
from tests.reports.conftest import save_decision

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def decision(project, alice):
    return save_decision(project, alice, "prompt")


def notification(decision, subject: str, *, created_at: datetime, sent: bool = True):
    row = Notification.objects.create(
        kind="comment.added",
        decision=decision,
        recipients=[],
        subject=subject,
        body="…",
        url="https://decisions.example.com/",
        emailed_at=created_at if sent else None,
    )
    Notification.objects.filter(pk=row.pk).update(created_at=created_at)  # auto_now_add
    return row


def subjects() -> list[str]:
    return list(Notification.objects.order_by("subject").values_list("subject", flat=True))


def test_a_sent_email_exactly_90_days_old_is_kept_and_one_a_second_older_is_deleted(decision):
    notification(decision, "exactly 90 days", created_at=NOW - timedelta(days=90))
    notification(decision, "90 days and 1 s", created_at=NOW - timedelta(days=90, seconds=1))

    assert prune_sent(now=NOW) == 1

    assert subjects() == ["exactly 90 days"]


def test_the_setting_sets_the_age(settings, decision):
    settings.NOTIFICATIONS_KEEP_DAYS = 7
    notification(decision, "exactly 7 days", created_at=NOW - timedelta(days=7))
    notification(decision, "7 days and 1 s", created_at=NOW - timedelta(days=7, seconds=1))

    assert prune_sent(now=NOW) == 1

    assert subjects() == ["exactly 7 days"]


def test_an_unsent_email_is_kept_however_old(decision):
    notification(decision, "never sent", created_at=NOW - timedelta(days=400), sent=False)

    assert prune_sent(now=NOW) == 0

    assert subjects() == ["never sent"]


def test_sending_an_email_prunes_the_old_sent_ones(
    client, decision, alice, emily, django_capture_on_commit_callbacks
):
    notification(decision, "from last year", created_at=datetime(2025, 1, 1, tzinfo=UTC))
    client.force_login(emily)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/projects/{decision.project_id}/decisions/1/comments/", {"body": "Why not RAG?"}
        )

    assert [m.subject for m in mail.outbox] == ["Email drafter, revision 1: emily commented"]
    assert subjects() == ["Email drafter, revision 1: emily commented"]
