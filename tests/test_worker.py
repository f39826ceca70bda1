"""The real queue: a decision saved in the web process is rendered by `manage.py db_worker`.

Every other test uses the immediate backend; this one enqueues into the database table and
runs the worker command as `make run` does, in batch mode so it stops when the queue is empty.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from decisions.accounts.models import Membership
from decisions.records.review import review_move
from decisions.reports.models import ReportPdf
from tests.reports.conftest import save_decision

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.mark.django_db(transaction=True)
def test_db_worker_renders_the_pdf_of_a_saved_decision(settings, project, alice):
    settings.TASKS = DATABASE_TASKS
    decision = save_decision(project, alice, "prompt")

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "decisions.reports.tasks.render_report_pdf"
    assert queued.status == "READY"
    assert ReportPdf.objects.get(decision=decision).status == "pending"

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    pdf = ReportPdf.objects.get(decision=decision)
    assert pdf.status == "ready" and bytes(pdf.content).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_notification_waits_on_its_own_queue_and_its_worker_sends_it_before_the_pdf(
    settings, project, alice, emily
):
    """The proposal's e-mail goes on "notifications" while the PDF render sits on "default":
    the notifications worker sends it with the render still waiting (issue 26: it waited 34 s
    behind a render on the one queue)."""
    settings.TASKS = DATABASE_TASKS
    decision = save_decision(project, alice, "prompt")
    membership = Membership.objects.get(user=alice, team=project.team)
    review_move(decision=decision, membership=membership, user=alice, move="propose")

    queued = dict(DBTaskResult.objects.values_list("task_path", "queue_name"))
    assert queued == {
        "decisions.reports.tasks.render_report_pdf": "default",
        "decisions.records.notifications.tasks.send_notification_email": "notifications",
    }

    call_command(
        "db_worker", "--queue-name", "notifications", "--batch", "--no-startup-delay", verbosity=0
    )

    assert [message.to for message in mail.outbox] == [["emily@example.com"]]
    statuses = dict(DBTaskResult.objects.values_list("queue_name", "status"))
    assert statuses == {"default": "READY", "notifications": "SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_webhook_when_its_backoff_has_passed(settings, team):
    """The retry is a task enqueued with run_after: the worker leaves it until then."""
    from decisions.records.models import WebhookDelivery, WebhookTarget
    from decisions.records.notifications.tasks import deliver_webhook
    from tests.records import receiver as local

    settings.TASKS = DATABASE_TASKS
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    receiver, server = local.start()
    try:
        receiver.answer(500, 200)
        target = WebhookTarget.objects.create(
            team=team, name="Receiver", url=receiver.url, format="json", secret="s" * 16
        )
        delivery = WebhookDelivery.objects.create(target=target, kind="webhook.test", payload="{}")
        deliver_webhook.enqueue(delivery.pk, 1)
        worker = ("db_worker", "--queue-name", "notifications", "--batch", "--no-startup-delay")

        call_command(*worker, verbosity=0)

        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs["args"] == [delivery.pk, 2]
        assert retry.queue_name == "notifications"
        call_command(*worker, verbosity=0)  # a minute has not passed: left waiting
        assert len(receiver.requests) == 1

        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        call_command(*worker, verbosity=0)

        assert len(receiver.requests) == 2
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("delivered", 2)
    finally:
        server.shutdown()
        server.server_close()
