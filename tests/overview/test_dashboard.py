"""The decisions dashboard: latest revisions across the user's teams, filters in the URL,
htmx updates, and a query count that does not grow with the number of decisions."""

from __future__ import annotations

import pytest

from decisions.accounts.services import team_create
from decisions.projects.models import Project
from decisions.records.models import Review
from tests.conftest import make_example
from tests.reports.conftest import save_decision


def rows(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


@pytest.fixture
def portfolio(alice, team, project):
    """Three projects in alice's team, one elsewhere she cannot see."""
    save_decision(project, alice, "prompt")
    save_decision(project, alice, "context")  # the latest of this project
    other = Project.objects.create(team=team, name="Support bot", owner=alice)
    decision = save_decision(other, alice, "measure")
    Review.objects.filter(decision=decision).update(status="accepted")
    third = Project.objects.create(team=team, name="Contract review", owner=alice)
    save_decision(third, alice, "prompt")
    make_example(third)  # added after: stale
    return other


def test_latest_revisions_of_my_teams_only(client, alice, charlie, portfolio):
    hidden = Project.objects.create(team=team_create(user=charlie, name="X"), name="Secret")
    save_decision(hidden, charlie, "prompt")
    client.force_login(alice)
    page = client.get("/decisions/").content.decode()
    html = page[page.index('<div id="results">') :]
    assert rows(html) == 3
    assert "Secret" not in html
    assert "revision 2" in html and "revision 1</div>" in html
    assert "Give it the facts" in html  # the latest verdict of Email drafter


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=accepted", ["Support bot"]),
        ("?verdict=context", ["Email drafter"]),
        ("?q=contract", ["Contract review"]),
        ("?stale=yes", ["Contract review"]),
        ("?sort=project", ["Contract review", "Email drafter", "Support bot"]),
    ],
)
def test_filters_search_and_sort_from_the_url(client, alice, portfolio, query, expected):
    client.force_login(alice)
    page = client.get("/decisions/" + query).content.decode()
    html = page[page.index('<div id="results">') :]
    found = [name for name in ("Contract review", "Email drafter", "Support bot") if name in html]
    assert sorted(found) == sorted(expected)
    if "sort" in query:
        positions = [html.index(f">{name}</a>") for name in expected]
        assert positions == sorted(positions)


def test_htmx_gets_only_the_results(client, alice, portfolio):
    client.force_login(alice)
    html = client.get("/decisions/?q=support", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and html.strip().startswith('<div id="results">')
    assert rows(html) == 1


@pytest.mark.parametrize("count", [10, 200])
def test_query_count_does_not_grow_with_decisions(
    client, alice, team, count, django_assert_num_queries
):
    from decisions.records.models import Decision

    project = Project.objects.create(team=team, name="Template", owner=alice)
    source = save_decision(project, alice, "prompt")
    fields = {
        f.name: getattr(source, f.name)
        for f in Decision._meta.fields
        if f.name not in ("id", "project", "revision", "run", "created_at")
    }
    for number in range(count - 1):
        other = Project.objects.create(team=team, name=f"Project {number}", owner=alice)
        decision = Decision.objects.create(project=other, revision=1, **fields)
        Review.objects.create(decision=decision)
    client.force_login(alice)
    # Session, user, the count for the pages, the page's rows, their review events, which of
    # them are stale, the nav's projects and teams, the team filter's choices, the open steps
    # (fewer than a panel's worth, so not counted apart), the waiting-for-my-review list and
    # the reviewers asked on the page's rows.
    with django_assert_num_queries(12):
        assert client.get("/decisions/").status_code == 200


def test_project_list_shows_each_projects_decision_state(client, alice, team, portfolio):
    from decisions.wizard.models import WizardRun

    empty = Project.objects.create(team=team, name="Brand new", owner=alice)
    WizardRun.objects.create(
        project=empty, created_by=alice, answers={"symptom": {"option": "tone"}}
    )
    client.force_login(alice)
    page = client.get("/projects/").content.decode()
    html = page[page.index('id="main"') :]  # past the navigation's project menu
    assert "revision 1: Build the test set (accepted)" in html  # Support bot
    assert "revision 2: Give it the facts (draft)" in html  # Email drafter
    brand_new = html[html.index("Brand new") :]
    assert "no decision yet" in brand_new[:800]
    assert "draft in progress by alice, question 2" in brand_new[:1200]
