"""Starts the reminder chain of every revision in review that has none queued: run it once
after deploying reminders (revisions proposed before had no chain), or after the queue was
cleared. Running it again queues nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from decisions.records.models import Decision, ReviewStatus
from decisions.records.tasks import reminder_schedule

TASK_PATH = "decisions.records.tasks.remind_reviewers"


class Command(BaseCommand):
    help = "Queue a review reminder for each proposed revision that has none queued."

    def handle(self, *args, **options) -> None:
        queued = set(
            DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").values_list(
                "args_kwargs__args__0", flat=True
            )
        )
        proposed = (
            Decision.objects.latest_per_project()
            .filter(review__status=ReviewStatus.PROPOSED)
            .exclude(pk__in=queued)
            .values_list("pk", flat=True)
        )
        count = 0
        for decision_id in proposed:
            reminder_schedule(decision_id=decision_id)
            count += 1
        self.stdout.write(f"Reminders queued for {count} revision(s) in review.")
