"""The team portfolio: every figure on fixed data, with the values written out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from decisions.evidence.models import FailedExample
from decisions.overview.portfolio import team_portfolio
from decisions.projects.models import Project
from decisions.records.models import Decision, ReviewEvent, TrackedStep
from decisions.records.review import review_move
from decisions.wizard.models import WizardRun
from tests.conftest import make_example
from tests.reports.conftest import save_decision

START = timezone.make_aware(datetime(2026, 9, 1, 9, 0))


def at(days: float) -> datetime:
    return START + timedelta(days=days)


@pytest.fixture
def portfolio(team, alice, emily):
    """Three projects: one decided and accepted after 12 days, one revised twice and
    proposed, one with wizard runs left at two questions."""
    drafter = Project.objects.create(team=team, name="Email drafter", owner=alice)
    make_example(drafter)
    FailedExample.objects.filter(project=drafter).update(created_at=at(0))
    first = save_decision(drafter, alice, "prompt")
    Decision.objects.filter(pk=first.pk).update(created_at=at(10))
    membership = {m.user: m for m in team.memberships.all()}
    review_move(decision=first, membership=membership[alice], user=alice, move="propose")
    review_move(decision=first, membership=membership[emily], user=emily, move="accept")
    ReviewEvent.objects.filter(decision=first, to_status="accepted").update(at=at(12.5))
    TrackedStep.objects.filter(decision=first, index=0).update(done_at=at(13))
    TrackedStep.objects.filter(decision=first, index=1).update(due_on=at(14).date())

    support = Project.objects.create(team=team, name="Support bot", owner=alice)
    make_example(support, failure_type="facts")
    older = save_decision(support, alice, "context")
    Decision.objects.filter(pk=older.pk).update(created_at=at(20))
    newer = save_decision(support, alice, "measure")
    Decision.objects.filter(pk=newer.pk).update(created_at=at(40))
    review_move(decision=newer, membership=membership[alice], user=alice, move="propose")

    FailedExample.objects.update(created_at=at(0), updated_at=at(0))
    make_example(drafter, title="Arrived after the decision")  # the drafter's is stale now

    contracts = Project.objects.create(team=team, name="Contract review", owner=alice)
    answered = {"symptom": {"option": "facts", "note": ""}}
    WizardRun.objects.create(project=contracts, status="discarded", answers=answered)
    stalled = WizardRun.objects.create(project=contracts, answers={})
    WizardRun.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(days=20))
    WizardRun.objects.create(project=support, answers={})  # in progress today: not left
    archived = Project.objects.create(
        team=team, name="Old pilot", owner=alice, archived_at=timezone.now()
    )
    save_decision(archived, alice, "prompt")  # archived projects are not counted
    return team


def sections(team) -> dict:
    return {section["key"]: section for section in team_portfolio(team)["sections"]}


def test_counts_projects_and_decided_ones(portfolio):
    figures = team_portfolio(portfolio)
    assert (figures["project_count"], figures["decided_count"]) == (3, 2)


def test_latest_verdicts_confidence_and_review(portfolio):
    found = sections(portfolio)
    assert sorted(found["verdicts"]["rows"]) == [
        ("Build the test set", 1),
        ("Engineer the prompt", 1),
    ]
    # One example each: too few for more than low confidence.
    assert found["confidence"]["rows"] == [("Low", 2)]
    assert found["review"]["rows"] == [
        ("Proposed", 1),
        ("Accepted", 1),
        ("Re-run suggested (stale)", 1),
    ]


def test_verdicts_over_time_by_month(portfolio):
    over_time = sections(portfolio)["over-time"]
    assert over_time["rows"] == [("Sep 2026", 2), ("Oct 2026", 1)]
    assert over_time["series"] == [
        ("Build the test set", [0, 1]),
        ("Engineer the prompt", [1, 0]),
        ("Give it the facts", [1, 0]),
    ]
    assert over_time["table"][1] == ("Oct 2026", [1, 0, 0], 1)


def test_open_and_overdue_steps(portfolio):
    steps = sections(portfolio)["steps"]
    # Email drafter: 5 steps, one done, one overdue; Support bot's latest revision: 5 open.
    assert steps["rows"] == [("Support bot", 5), ("Email drafter", 4)]
    assert (steps["total"], steps["overdue"]) == (9, 1)


def test_days_from_first_example_to_accepted_decision(portfolio):
    section = sections(portfolio)["time-to-accept"]
    assert section["rows"] == [("Email drafter", 12)]
    assert section["median_days"] == 12


def test_where_wizard_runs_are_left(portfolio):
    section = sections(portfolio)["abandonment"]
    assert section["rows"] == [("Main symptom", 1), ("Right with the facts pasted in?", 1)]
    assert section["finished"] == 3  # the runs that saved the three decisions


def test_page_shows_charts_with_their_numbers(client, bob, portfolio):
    client.force_login(bob)  # a viewer reads the portfolio
    response = client.get(f"/teams/{portfolio.pk}/portfolio/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<figure class="chart portfolio-chart mb-0"><svg') == 7
    assert 'aria-labelledby="time-to-accept-title"' in html
    drafter = Project.objects.get(name="Email drafter")
    assert (
        f'<th scope="row" class="fw-normal text-break"><a href="/projects/{drafter.pk}/">'
        'Email drafter</a></th><td class="text-end fw-semibold">12 d</td>'
    ) in html
    assert "Old pilot" not in html


def test_every_project_has_a_row_that_links_to_it_with_its_latest_verdict(client, bob, portfolio):
    client.force_login(bob)
    html = client.get(f"/teams/{portfolio.pk}/portfolio/").content.decode()
    table = html[html.index('id="projects"') : html.index('id="verdicts"')]
    names = [p.name for p in Project.objects.filter(team=portfolio).order_by("name")]
    assert names == ["Contract review", "Email drafter", "Old pilot", "Support bot"]
    for name in ("Contract review", "Email drafter", "Support bot"):
        pk = Project.objects.get(name=name).pk
        assert f'<a href="/projects/{pk}/">{name}</a>' in table
    assert "Old pilot" not in table  # archived
    drafter = table[table.index("Email drafter") : table.index("Support bot")]
    assert "Re-run suggested" in drafter  # an example arrived after its decision
    assert "accepted" in drafter.lower()
    support = table[table.index("Support bot") :]
    assert "Re-run suggested" not in support
    contracts = table[table.index("Contract review") : table.index("Email drafter")]
    assert "no decision yet" in contracts


def test_stranger_gets_404(client, charlie, portfolio):
    client.force_login(charlie)
    assert client.get(f"/teams/{portfolio.pk}/portfolio/").status_code == 404


def test_query_count_does_not_grow_with_projects(
    client, alice, team, portfolio, django_assert_max_num_queries
):
    for number in range(15):
        project = Project.objects.create(team=team, name=f"Feature {number}", owner=alice)
        make_example(project)
        save_decision(project, alice, "prompt")
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        assert client.get(f"/teams/{team.pk}/portfolio/").status_code == 200
