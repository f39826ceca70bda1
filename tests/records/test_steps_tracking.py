"""Tracking next steps over time: who did a step stays who did it, a new revision keeps what
was done, only the latest revision takes changes, and a step is overdue from the day after its
due date, on the report, the dashboard and the portfolio alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from decisions.records.models import TrackedStep
from tests.conftest import make_example
from tests.reports.conftest import save_decision

DONE_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def decision(project, alice):
    make_example(project)
    return save_decision(project, alice, "prompt")


def report_url(decision) -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/"


def save_step(client, decision, index=4, *, version=1, **fields):
    data = {"version": str(version), **fields}
    return client.post(f"{report_url(decision)}steps/{index}/", data)


def mark_done_by(decision, user, index=4) -> None:
    TrackedStep.objects.filter(decision=decision, index=index).update(
        done_at=DONE_AT, done_by=user, version=2
    )


def test_resaving_a_done_step_keeps_who_did_it_and_when(client, alice, emily, decision):
    mark_done_by(decision, alice)
    client.force_login(emily)
    response = save_step(client, decision, version=2, done="on", owner=emily.pk)
    assert response.status_code == 302
    step = TrackedStep.objects.get(decision=decision, index=4)
    assert (step.owner, step.done_by, step.done_at, step.version) == (emily, alice, DONE_AT, 3)


def test_a_new_revision_keeps_a_done_step_done_by_the_same_person(alice, emily, project):
    make_example(project)
    first = save_decision(project, alice, "prompt")
    mark_done_by(first, emily)
    second = save_decision(project, alice, "prompt")
    carried = TrackedStep.objects.get(decision=second, index=4)
    assert (carried.done_at, carried.done_by) == (DONE_AT, emily)


def test_a_superseded_revision_shows_its_steps_without_forms(client, alice, project, decision):
    save_decision(project, alice, "prompt")
    client.force_login(alice)
    older = client.get(report_url(decision)).content.decode()
    newer = client.get(f"/projects/{project.pk}/decisions/2/").content.decode()
    assert older.count('class="tracked-step ') == 5
    assert "step-form" not in older
    assert newer.count('class="d-flex flex-wrap gap-2 align-items-center step-form"') == 5


@pytest.mark.parametrize(("days_late", "overdue"), [(0, False), (1, True)])
def test_a_step_is_overdue_from_the_day_after_its_due_date(
    client, alice, decision, days_late, overdue
):
    due = timezone.localdate() - timedelta(days=days_late)
    TrackedStep.objects.filter(decision=decision, index=1).update(due_on=due)
    client.force_login(alice)
    report = client.get(report_url(decision)).content.decode()
    assert report.count('<span class="badge text-bg-danger">Overdue</span>') == int(overdue)
    dashboard = client.get("/decisions/").content.decode()
    count = '<span class="badge text-bg-danger">1 overdue</span>'
    assert (count in dashboard) == overdue
    portfolio = client.get(f"/teams/{decision.project.team_id}/portfolio/").content.decode()
    assert f"5 open, {int(overdue)} overdue." in portfolio
