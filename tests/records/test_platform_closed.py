"""A saved decision that chose a platform whose vendor row has since closed is stale, with the
reason, on the dashboard, its project and its report; the day is judged with `>`: on the last
day the platform took jobs (6 January 2027) the decision still holds, from the next it does
not. The vendor rows are the definition's, and the rule stays one SQL condition."""

from __future__ import annotations

import datetime

import pytest

from decisions.lib import clock
from decisions.projects.models import Project
from decisions.records.models import Decision, Review
from decisions.records.staleness import with_staleness
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME

REASON = "OpenAI took no new fine-tuning jobs after 6 January 2027"
LAST_DAY = datetime.date(2027, 1, 6)
NEXT_DAY = datetime.date(2027, 1, 7)


def on(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def openai_decision(project, alice) -> Decision:
    make_example(project, failure_type="domain")
    answers = {**ANSWERS_FOR_OUTCOME["hybrid"], "platform": "openai_existing"}
    return save_answers(project, alice, answers)


def save_answers(project, user, answers) -> Decision:
    from decisions.records.services import decision_create
    from decisions.wizard.models import WizardRun

    run = WizardRun.objects.create(
        project=project,
        created_by=user,
        answers={node: {"option": option, "note": ""} for node, option in answers.items()},
    )
    return decision_create(run=run, user=user)


def judged(decision) -> Decision:
    return with_staleness(Decision.objects.filter(pk=decision.pk)).get()


def test_on_the_last_day_the_decision_still_holds(project, alice, monkeypatch):
    decision = openai_decision(project, alice)
    on(monkeypatch, LAST_DAY)
    row = judged(decision)
    assert (row.stale, row.platform_closed) == (False, "")


def test_the_day_after_it_is_stale_with_the_reason(project, alice, monkeypatch):
    decision = openai_decision(project, alice)
    on(monkeypatch, NEXT_DAY)
    row = judged(decision)
    assert (row.stale, row.platform_closed) == (True, REASON)


def test_another_platform_is_not_touched_by_the_deadline(project, alice, monkeypatch):
    make_example(project, failure_type="domain")
    decision = save_answers(project, alice, ANSWERS_FOR_OUTCOME["hybrid"])  # open_weight
    on(monkeypatch, NEXT_DAY)
    assert judged(decision).stale is False


def test_the_report_gives_the_reason(client, project, alice, monkeypatch):
    decision = openai_decision(project, alice)
    client.force_login(alice)
    url = f"/projects/{project.pk}/decisions/{decision.revision}/"
    on(monkeypatch, LAST_DAY)
    assert REASON not in client.get(url).content.decode()
    on(monkeypatch, NEXT_DAY)
    html = client.get(url).content.decode()
    assert "Re-run suggested: this revision may no longer hold." in html
    assert f"<li>{REASON}.</li>" in html


def test_the_dashboard_gives_the_reason(client, project, alice, monkeypatch):
    openai_decision(project, alice)
    client.force_login(alice)
    on(monkeypatch, LAST_DAY)
    assert REASON not in client.get("/decisions/").content.decode()
    on(monkeypatch, NEXT_DAY)
    html = client.get("/decisions/").content.decode()
    assert f'<div class="small platform-closed">{REASON}</div>' in html
    assert "re-run suggested" in html
    assert REASON in client.get("/decisions/?stale=yes").content.decode()


def test_the_project_page_gives_the_reason(client, project, alice, monkeypatch):
    openai_decision(project, alice)
    client.force_login(alice)
    on(monkeypatch, LAST_DAY)
    assert 'id="platform-closed"' not in client.get(f"/projects/{project.pk}/").content.decode()
    on(monkeypatch, NEXT_DAY)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"revision 1 chose a platform that has closed. {REASON}." in html


@pytest.mark.parametrize("count", [5, 60])
def test_the_dashboard_stays_flat_with_closed_platforms(
    client, alice, team, count, monkeypatch, django_assert_max_num_queries
):
    project = Project.objects.create(team=team, name="Template", owner=alice)
    source = openai_decision(project, alice)
    fields = {
        f.name: getattr(source, f.name)
        for f in Decision._meta.fields
        if f.name not in ("id", "project", "revision", "run", "created_at")
    }
    for number in range(count - 1):
        other = Project.objects.create(team=team, name=f"Project {number}", owner=alice)
        Review.objects.create(decision=Decision.objects.create(project=other, revision=1, **fields))
    on(monkeypatch, NEXT_DAY)
    client.force_login(alice)
    # The dashboard's 10, and "Waiting for my review" with its reviewers (issue 26): the same
    # for 5 decisions as for 60.
    with django_assert_max_num_queries(12):
        response = client.get("/decisions/")
    assert response.status_code == 200
    assert response.content.decode().count(REASON) == min(count, 25)


def test_the_sql_reason_and_the_pure_rule_use_the_same_words():
    from decisions.flowchart.registry import get_definition
    from decisions.flowchart.vendors import closed_for, closed_reason, closed_rows

    definition = get_definition("2027.02")
    (row,) = closed_rows(definition, NEXT_DAY)
    assert closed_reason(row) == REASON
    assert closed_for(definition, {"platform": "openai_existing"}, NEXT_DAY) == [REASON]
    assert closed_for(definition, {"platform": "openai_existing"}, LAST_DAY) == []
    assert closed_rows(definition, LAST_DAY) == ()
