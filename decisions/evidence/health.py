"""The imports' part of /healthz: a worker that stopped in the middle of an import.

Asking also recovers: an import whose lease ran out is marked failed here, so one left by a
killed worker is found within a probe's interval even when nobody is watching its page.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from decisions.evidence.imports.run import imports_expire_leases
from decisions.evidence.models import ExampleImport, ImportStatus

# Stopped imports are reported for a day: long enough for someone to read the report.
STOPPED_REPORTED_FOR = timedelta(days=1)


def imports_status() -> dict:
    imports_expire_leases()
    since = timezone.now() - STOPPED_REPORTED_FOR
    stopped = ExampleImport.objects.filter(worker_stopped=True, finished_at__gte=since).count()
    running = ExampleImport.objects.filter(status=ImportStatus.RUNNING).count()
    status = {"ok": not stopped, "running": running, "worker_stopped_last_day": stopped}
    if stopped:
        status["error"] = (
            f"{stopped} import{'s' if stopped != 1 else ''} failed in the last day because "
            "the worker stopped (its lease ran out); nothing of them was saved and each can "
            "be run again. Is the worker (manage.py db_worker) being killed?"
        )
    return status
