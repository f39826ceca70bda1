"""Reminders for revisions left in review: a MADR record left "proposed" for a month after
shipping is a known complaint of decision-record tools.

A revision proposed for longer than its team's `review_reminder_days` reminds the reviewers
who have not accepted it yet, at most once a day, until its review moves on.

When: django-tasks-db has no cron, so each proposal schedules its own reminder task with
`run_after` (records/tasks.py), and a reminder schedules the next one a day later while the
revision stays proposed; the chain ends by itself when the review moves on. A loop process
would be a third process to deploy beside web and worker and would scan every review each
time; this way the queue holds one waiting row per revision in review. Two chains for one
revision (proposed, withdrawn, proposed again) cannot remind twice within a day: a reminder
first claims `Review.reminded_at` in one conditional UPDATE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from decisions.accounts.models import Role
from decisions.records.models import Decision, EventKind, Review, ReviewEvent, ReviewStatus

REMINDER_INTERVAL = timedelta(days=1)


def proposed_at(decision: Decision) -> datetime | None:
    """When the revision was last proposed."""
    events = decision.review_events.filter(kind=EventKind.MOVE, to_status=ReviewStatus.PROPOSED)
    return events.order_by("-at", "-pk").values_list("at", flat=True).first()


def reminder_due_at(*, review: Review, since: datetime, days: int) -> datetime:
    """The moment after which the next reminder may go: the wait is over, and a day has
    passed since the last reminder."""
    first = since + timedelta(days=days)
    if review.reminded_at is None:
        return first
    return max(first, review.reminded_at + REMINDER_INTERVAL)


def waiting_reviewers(decision: Decision) -> list:
    """The people the revision waits for: those asked who have not accepted it, or, when
    nobody was asked, the team's editors and owners other than its author."""
    accepted = decision.acceptances.live().values("reviewer")
    asked = decision.review.requested_reviewers.exclude(pk__in=accepted)
    if decision.review.requested_reviewers.exists():
        return list(asked.order_by("username"))
    team_reviewers = decision.project.team.members.filter(
        memberships__role__in=[Role.EDITOR, Role.OWNER]
    ).exclude(pk__in=accepted)
    if decision.created_by_id:
        team_reviewers = team_reviewers.exclude(pk=decision.created_by_id)
    return list(team_reviewers.order_by("username"))


@transaction.atomic
def review_remind(*, decision: Decision, now: datetime) -> ReviewEvent | None:
    """A reminder on the timeline if one is due at `now`; None when it is not (the review
    moved on, the wait is not over, or a reminder went within the last day)."""
    review = Review.objects.get(decision=decision)
    since = proposed_at(decision)
    if review.status != ReviewStatus.PROPOSED or since is None:
        return None
    if decision.superseded_by() is not None:
        return None
    days = decision.project.team.review_reminder_days
    # "Proposed for longer than" the setting: at exactly that age it is not due yet.
    if now - since <= timedelta(days=days):
        return None
    claimed = (
        Review.objects.filter(pk=review.pk, status=ReviewStatus.PROPOSED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_INTERVAL))
        .update(reminded_at=now)
    )
    if not claimed:
        return None
    waiting = ", ".join(person.username for person in waiting_reviewers(decision)) or "anyone"
    waited = (now - since).days
    return ReviewEvent.objects.create(
        decision=decision,
        kind=EventKind.REMINDER,
        from_status=ReviewStatus.PROPOSED,
        to_status=ReviewStatus.PROPOSED,
        by=None,
        note=f"Reminder: proposed {waited} days ago, waiting for {waiting}.",
    )


def next_reminder_at(decision: Decision) -> datetime | None:
    """When the reminder chain should look again; None once the review moved on."""
    review = Review.objects.filter(decision=decision).first()
    since = proposed_at(decision)
    if review is None or review.status != ReviewStatus.PROPOSED or since is None:
        return None
    if decision.superseded_by() is not None:
        return None
    due = reminder_due_at(
        review=review, since=since, days=decision.project.team.review_reminder_days
    )
    # Strictly after the boundary: a task that runs at it would find nothing due.
    return due + timedelta(seconds=1)
