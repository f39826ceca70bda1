"""`/healthz`: what a load balancer or an uptime check asks before sending users here.

It answers 200 when the database answers and every task queue is moving, 503 otherwise, with a
small JSON body that says which part failed. It needs no login and shows no user data.

Rooms above lib add their own checks with `register_check` from their AppConfig.ready() (lib
imports none of them). Those report in the body and turn the status to "degraded", but keep
the 200: they describe work gone wrong, not a web process a load balancer should drop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

from decisions.lib.queues import TASK_QUEUES

# name → a function answering {"ok": bool, ...}, asked only while the database answers.
CHECKS: dict[str, Callable[[], dict]] = {}


def register_check(name: str, check: Callable[[], dict]) -> None:
    CHECKS[name] = check


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True}


def task_queue_status() -> dict:
    """Each queue is stalled when a task on it has waited longer than
    HEALTH_TASK_WAIT_SECONDS: no worker is taking its work (none running, or all stuck). The
    queues have workers of their own (Procfile), so each is judged on its own: a stopped
    notifications worker shows even while PDFs render."""
    try:
        per_queue = {
            row["queue_name"]: row
            for row in DBTaskResult.objects.ready()
            .annotate(
                # A task deferred with run_after (a review reminder, days ahead) waits from
                # the moment it may run, not from when it was queued; the others have the
                # far date.
                waiting_since=Case(
                    When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
                )
            )
            .values("queue_name")
            .annotate(count=Count("pk"), oldest=Min("waiting_since"))
        }
    except DatabaseError as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    limit = timedelta(seconds=settings.HEALTH_TASK_WAIT_SECONDS).total_seconds()
    now = timezone.now()
    queues = {
        name: _queue_status(name, per_queue.get(name), now, limit)
        for name in sorted({*TASK_QUEUES, *per_queue})
    }
    status = {
        "ok": all(queue["ok"] for queue in queues.values()),
        "waiting": sum(queue["waiting"] for queue in queues.values()),
        "oldest_waiting_seconds": max(queue["oldest_waiting_seconds"] for queue in queues.values()),
        "queues": queues,
    }
    if errors := [queue["error"] for queue in queues.values() if "error" in queue]:
        status["error"] = " ".join(errors)
    return status


def _queue_status(name: str, row: dict | None, now, limit: float) -> dict:
    waited = (now - row["oldest"]).total_seconds() if row else 0.0
    status = {
        "ok": True,
        "waiting": row["count"] if row else 0,
        "oldest_waiting_seconds": round(waited),
    }
    if waited > limit:
        status.update(
            ok=False,
            error=f"the oldest waiting task on the {name} queue has waited {round(waited)} s, "
            f"over the {round(limit)} s limit: is a worker (manage.py db_worker "
            f"--queue-name {name}) running?",
        )
    return status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    # Without a database there is no queue to ask about.
    tasks = task_queue_status() if database["ok"] else {"ok": False, "error": "no database"}
    healthy = database["ok"] and tasks["ok"]
    others = {
        name: check() if database["ok"] else {"ok": False, "error": "no database"}
        for name, check in CHECKS.items()
    }
    status = "ok" if all(other["ok"] for other in others.values()) else "degraded"
    return JsonResponse(
        {
            "status": status if healthy else "failing",
            "database": database,
            "tasks": tasks,
            **others,
        },
        status=200 if healthy else 503,
    )
