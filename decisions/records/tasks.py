"""Background work of the records stage: review emails and reminders."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from decisions.accounts.models import Role
from decisions.records.models import Decision, EventKind, ReviewEvent, ReviewStatus
from decisions.records.reminders import next_reminder_at, review_remind, waiting_reviewers


def recipients(event: ReviewEvent) -> list[str]:
    """The reviewers asked (every editor and owner when nobody was) when a revision is
    proposed; those it still waits for on a reminder; its author on an acceptance or a
    decision about it; the informed people as well on acceptance. Never the person who made
    the move."""
    decision = event.decision
    people = []
    if event.kind == EventKind.REMINDER:
        people = waiting_reviewers(decision)
    elif event.kind == EventKind.ACCEPTANCE:
        people = [decision.created_by] if decision.created_by else []
    elif event.kind == EventKind.DISMISSAL:
        people = []
    elif event.to_status == ReviewStatus.PROPOSED:
        people = list(decision.review.requested_reviewers.all()) or get_user_model().objects.filter(
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


def absolute_url(path: str, base_url: str = "") -> str:
    """`path` on the site: SITE_URL when it is set, else the address the request that
    enqueued the e-mail came to (a worker has no request of its own)."""
    base = getattr(settings, "SITE_URL", "") or base_url
    return f"{base.rstrip('/')}{path}" if base else path


@task()
def send_review_email(event_id: int, base_url: str = "") -> int:
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
        return _send(event_id, base_url)
    except Exception:
        ReviewEvent.objects.filter(pk=event_id).update(emailed_at=None)
        raise


def _send(event_id: int, base_url: str) -> int:
    event = ReviewEvent.objects.select_related(
        "by", "decision__project", "decision__created_by"
    ).get(pk=event_id)
    to = recipients(event)
    if not to:
        return 0
    decision = event.decision
    report = reverse(
        "reports:report", kwargs={"project_id": decision.project_id, "revision": decision.revision}
    )
    context = {
        "event": event,
        "decision": decision,
        "project": decision.project,
        "report_url": absolute_url(f"{report}#review", base_url),
        "needed": decision.project.team.required_acceptances,
        "accepted": decision.acceptances.live().count(),
    }
    send_mail(
        subject=(
            f"{_one_line(decision.project.name)}, revision {decision.revision}: "
            f"{_subject_status(event)}"
        ),
        message=render_to_string("records/review_email.txt", context),
        from_email=None,
        recipient_list=to,
    )
    return len(to)


def _subject_status(event: ReviewEvent) -> str:
    if event.kind == EventKind.REMINDER:
        return "waiting for your review"
    if event.kind == EventKind.ACCEPTANCE:
        return "accepted by one more reviewer"
    return event.get_to_status_display().lower()


@task()
def remind_reviewers(decision_id: int, base_url: str = "") -> int:
    """Reminds the reviewers of a revision left proposed, if a reminder is due, then asks to
    run again when the next one may be (records/reminders.py says why a chain of tasks).
    Returns how many reminders it wrote (0 or 1)."""
    decision = Decision.objects.select_related("project__team").filter(pk=decision_id).first()
    if decision is None:
        return 0
    event = review_remind(decision=decision, now=timezone.now())
    if event is not None:
        send_review_email.enqueue(event.pk, base_url)
    reminder_schedule(decision_id=decision_id, base_url=base_url)
    return 0 if event is None else 1


def reminder_schedule(*, decision_id: int, base_url: str = "") -> None:
    """Queues the reminder task for the moment the next reminder may go. A backend that
    cannot defer (the tests' immediate one) is skipped: tests run the task themselves."""
    decision = Decision.objects.select_related("project__team").filter(pk=decision_id).first()
    when = next_reminder_at(decision) if decision else None
    if when is None or not task_backends[remind_reviewers.backend].supports_defer:
        return
    remind_reviewers.using(run_after=when).enqueue(decision_id, base_url)


def _one_line(name: str) -> str:
    """A name saved before the forms refused line breaks: a subject with one cannot be sent."""
    return " ".join(name.split())
