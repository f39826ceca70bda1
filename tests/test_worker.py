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
        "decisions.records.tasks.remind_reviewers": "notifications",  # due in a week
    }

    call_command(
        "db_worker", "--queue-name", "notifications", "--batch", "--no-startup-delay", verbosity=0
    )

    assert [message.to for message in mail.outbox] == [["emily@example.com"]]
    statuses = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert statuses == {
        "decisions.reports.tasks.render_report_pdf": "READY",
        "decisions.records.notifications.tasks.send_notification_email": "SUCCESSFUL",
        "decisions.records.tasks.remind_reviewers": "READY",
    }


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


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_review_reminder_chain(settings, client, project, alice, emily):
    """Proposing queues a reminder for a week later; the worker leaves it until then, runs it
    when it is due (the e-mail goes out) and queues the next one a day later."""
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from decisions.records.models import ReviewEvent

    settings.TASKS = DATABASE_TASKS
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    url = f"/projects/{project.pk}/decisions/{decision.revision}/review/"
    client.post(url, {"move": "propose", "requested": [emily.pk]})
    reminder = DBTaskResult.objects.get(task_path="decisions.records.tasks.remind_reviewers")
    assert reminder.run_after > timezone.now() + timedelta(days=6, hours=23)

    worker = ("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay")
    call_command(*worker, verbosity=0)
    reminder.refresh_from_db()
    assert reminder.status == "READY"  # not due: left for a week
    assert len(mail.outbox) == 1  # the proposal's e-mail, to emily

    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    ReviewEvent.objects.filter(decision=decision).update(at=week_ago)
    DBTaskResult.objects.filter(pk=reminder.pk).update(run_after=timezone.now())
    call_command(*worker, verbosity=0)

    reminder.refresh_from_db()
    assert reminder.status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox][
        -1
    ] == "Email drafter, revision 1: waiting for your review"
    assert mail.outbox[-1].to == ["emily@example.com"]
    assert "https://decisions.example.com/projects/" in mail.outbox[-1].body  # SITE_URL
    following = DBTaskResult.objects.filter(
        task_path="decisions.records.tasks.remind_reviewers", status="READY"
    ).get()
    assert following.run_after > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db(transaction=True)
def test_schedule_review_reminders_starts_missing_chains_once(settings, project, alice, emily):
    """A revision proposed before reminders existed gets a chain; a second run adds none."""
    from io import StringIO

    from decisions.records.models import Review, ReviewEvent

    decision = save_decision(project, alice, "prompt")  # immediate tasks: nothing queued
    Review.objects.filter(decision=decision).update(status="proposed")
    ReviewEvent.objects.create(
        decision=decision, from_status="draft", to_status="proposed", by=alice
    )
    settings.TASKS = DATABASE_TASKS
    out = StringIO()
    call_command("schedule_review_reminders", stdout=out)
    call_command("schedule_review_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Reminders queued for 1 revision(s) in review.",
        "Reminders queued for 0 revision(s) in review.",
    ]
    queued = DBTaskResult.objects.get(task_path="decisions.records.tasks.remind_reviewers")
    assert queued.args_kwargs["args"] == [decision.pk]
