"""Background work of the records stage: reminders to reviewers of a revision left proposed.
The e-mails and webhooks themselves go through notify() (notifications/send.py)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from decisions.lib.queues import NOTIFICATIONS_QUEUE
from decisions.records import notices
from decisions.records.models import Decision
from decisions.records.reminders import next_reminder_at, review_remind


@task(queue_name=NOTIFICATIONS_QUEUE)
def remind_reviewers(decision_id: int, base_url: str = "") -> int:
    """Reminds the reviewers of a revision left proposed, if a reminder is due, then asks to
    run again when the next one may be (records/reminders.py says why a chain of tasks).
    Returns how many reminders it wrote (0 or 1)."""
    # `base_url` is unused (SITE_URL builds every link) and no longer enqueued, but reminders
    # queued before its removal wait in the database as (decision_id, base_url) for up to a
    # team's reminder wait: kept so they still run. The chain they start drops it.
    decision = Decision.objects.select_related("project__team").filter(pk=decision_id).first()
    if decision is None:
        return 0
    with transaction.atomic():  # notify() writes inside the reminder's own transaction
        event = review_remind(decision=decision, now=timezone.now())
        if event is not None:
            notices.review_moved(event)
    reminder_schedule(decision_id=decision_id)
    return 0 if event is None else 1


def reminder_schedule(*, decision_id: int) -> None:
    """Queues the reminder task for the moment the next reminder may go. A backend that
    cannot defer (the tests' immediate one) is skipped: tests run the task themselves."""
    decision = Decision.objects.select_related("project__team").filter(pk=decision_id).first()
    when = next_reminder_at(decision) if decision else None
    if when is None or not task_backends[remind_reviewers.backend].supports_defer:
        return
    remind_reviewers.using(run_after=when).enqueue(decision_id)
