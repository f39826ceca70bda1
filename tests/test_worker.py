"""The real queue: a decision saved in the web process is rendered by `manage.py db_worker`.

Every other test uses the immediate backend; this one enqueues into the database table and
runs the worker command as `make run` does, in batch mode so it stops when the queue is empty.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from decisions.reports.models import ReportPdf
from tests.reports.conftest import save_decision

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


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

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    reminder.refresh_from_db()
    assert reminder.status == "READY"  # not due: left for a week
    assert len(mail.outbox) == 1  # the proposal's e-mail, to emily

    week_ago = timezone.now() - timedelta(days=7, minutes=1)
    ReviewEvent.objects.filter(decision=decision).update(at=week_ago)
    DBTaskResult.objects.filter(pk=reminder.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    reminder.refresh_from_db()
    assert reminder.status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox][
        -1
    ] == "Email drafter, revision 1: waiting for your review"
    assert mail.outbox[-1].to == ["emily@example.com"]
    assert "http://testserver/projects/" in mail.outbox[-1].body
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
    assert queued.args_kwargs["args"] == [decision.pk, ""]
