"""Background work of the records stage: review emails."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from decisions.accounts.models import Role
from decisions.records.models import ReviewEvent, ReviewStatus


def recipients(event: ReviewEvent) -> list[str]:
    """Reviewers when a revision is proposed; its author on a decision about it; the
    informed people as well on acceptance. Never the person who made the move."""
    decision = event.decision
    people = []
    if event.to_status == ReviewStatus.PROPOSED:
        people = get_user_model().objects.filter(
            memberships__team_id=decision.project.team_id,
            memberships__role__in=[Role.EDITOR, Role.OWNER],
        )
    elif event.to_status in (
        ReviewStatus.ACCEPTED,
        ReviewStatus.REJECTED,
        ReviewStatus.CHANGES_REQUESTED,
    ):
        people = [decision.created_by] if decision.created_by else []
        if event.to_status == ReviewStatus.ACCEPTED:
            people += list(decision.review.informed.all())
    emails = {person.email for person in people if person.pk != event.by_id and person.email}
    return sorted(emails)


@task()
def send_review_email(event_id: int) -> int:
    """Tell the people a review move concerns, once; returns how many were written to.

    The event is claimed in one UPDATE before anything is sent: a task run twice (a retry
    after a lost acknowledgement, two workers) finds the claim taken and sends nothing. A
    send that fails gives the claim back, so a retry can send it.
    """
    claimed = ReviewEvent.objects.filter(pk=event_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    try:
        return _send(event_id)
    except Exception:
        ReviewEvent.objects.filter(pk=event_id).update(emailed_at=None)
        raise


def _send(event_id: int) -> int:
    event = ReviewEvent.objects.select_related(
        "by", "decision__project", "decision__created_by"
    ).get(pk=event_id)
    to = recipients(event)
    if not to:
        return 0
    decision = event.decision
    context = {"event": event, "decision": decision, "project": decision.project}
    send_mail(
        subject=(
            f"{_one_line(decision.project.name)}, revision {decision.revision}: "
            f"{event.get_to_status_display().lower()}"
        ),
        message=render_to_string("records/review_email.txt", context),
        from_email=None,
        recipient_list=to,
    )
    return len(to)


def _one_line(name: str) -> str:
    """A name saved before the forms refused line breaks: a subject with one cannot be sent."""
    return " ".join(name.split())
