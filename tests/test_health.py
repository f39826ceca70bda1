"""/healthz: 200 while the database answers and the task queue moves, 503 with the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from decisions.lib import health


def queue_a_task(
    waited: timedelta,
    queue: str = "default",
    path: str = "decisions.reports.tasks.render_report_pdf",
) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        queue_name=queue,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)


@pytest.mark.django_db
def test_healthy_with_an_empty_queue(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True},
        "tasks": {
            "ok": True,
            "waiting": 0,
            "oldest_waiting_seconds": 0,
            "queues": {
                "default": {"ok": True, "waiting": 0, "oldest_waiting_seconds": 0},
                "notifications": {"ok": True, "waiting": 0, "oldest_waiting_seconds": 0},
            },
        },
        "imports": {"ok": True, "running": 0, "worker_stopped_last_day": 0},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_task_waiting_a_little_is_healthy(client):
    queue_a_task(timedelta(seconds=30))

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["tasks"]["waiting"] == 1
    assert 29 <= body["tasks"]["oldest_waiting_seconds"] <= 40


@pytest.mark.django_db
def test_a_task_waiting_past_the_limit_means_no_worker(client, settings):
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    queue_a_task(timedelta(minutes=5))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["database"] == {"ok": True}
    assert body["tasks"]["ok"] is False
    assert body["tasks"]["error"] == (
        "the oldest waiting task on the default queue has waited 300 s, over the 60 s limit: "
        "is a worker (manage.py db_worker --queue-name default) running?"
    )
    assert body["tasks"]["queues"]["notifications"] == {
        "ok": True,
        "waiting": 0,
        "oldest_waiting_seconds": 0,
    }


@pytest.mark.django_db
def test_a_stalled_notifications_queue_fails_while_the_default_queue_moves(client, settings):
    """The notifications worker is a process of its own: its queue is watched on its own."""
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    queue_a_task(timedelta(seconds=10))
    queue_a_task(
        timedelta(minutes=2),
        queue="notifications",
        path="decisions.records.notifications.tasks.send_notification_email",
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    tasks = response.json()["tasks"]
    assert tasks["waiting"] == 2
    assert tasks["queues"]["default"]["ok"] is True
    assert tasks["queues"]["notifications"]["ok"] is False
    assert tasks["error"] == (
        "the oldest waiting task on the notifications queue has waited 120 s, over the 60 s "
        "limit: is a worker (manage.py db_worker --queue-name notifications) running?"
    )


@pytest.mark.django_db
def test_a_notification_waiting_just_under_the_limit_is_healthy(client, settings):
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    queue_a_task(timedelta(seconds=55), queue="notifications")

    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_database_that_does_not_answer_fails_with_its_error(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "error": "DatabaseError: connection refused",
    }
    assert response.json()["tasks"] == {"ok": False, "error": "no database"}


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_deferred_task_waits_from_when_it_may_run(client, settings):
    """A reminder queued a week ago to run a second ago has waited a second, not a week."""
    settings.HEALTH_TASK_WAIT_SECONDS = 60
    queue_a_task(timedelta(days=7))
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))

    body = client.get("/healthz").json()

    assert body["tasks"]["ok"] is True
    assert 0 <= body["tasks"]["oldest_waiting_seconds"] <= 10
