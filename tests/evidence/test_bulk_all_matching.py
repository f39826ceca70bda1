"""Bulk work at scale: "select all N matching" acts on every example the filters match, across
pages, found again on the server from the filters and only while the count is what the PM saw;
a bulk action returns to the same page and filters with its message at the top of the table."""

from __future__ import annotations

import pytest

from decisions.evidence.models import FailedExample
from decisions.projects.models import Project
from tests.conftest import make_example


@pytest.fixture
def sixty(project):
    """30 tone and 30 facts examples: the tone ones fill two pages of 25."""
    FailedExample.objects.bulk_create(
        [
            FailedExample(
                project=project,
                title=f"{kind} {n:02}",
                input_text="in",
                bad_output="out",
                expected_output="ok",
                failure_type=kind,
            )
            for kind in ("tone", "facts")
            for n in range(30)
        ]
    )


def bulk(client, project, **data):
    return client.post(f"/projects/{project.pk}/examples/bulk/", data)


def test_the_table_offers_select_all_with_the_count(client, alice, project, sixty):
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/", {"failure_type": "tone"}).content.decode()
    assert "Select all 30 matching these filters, on every page, instead of the ticked ones" in html
    assert '<input type="hidden" name="matching_count" value="30">' in html


def test_a_viewer_is_not_offered_select_all(client, bob, project, sixty):
    client.force_login(bob)
    assert "Select all" not in client.get(f"/projects/{project.pk}/").content.decode()


def test_retag_all_matching_reaches_every_page_and_nothing_else(client, alice, project, sixty):
    client.force_login(alice)
    response = bulk(
        client,
        project,
        select_all="on",
        matching_count="30",
        action="retag",
        failure_type="format",
        query="failure_type=tone",
        page="2",
    )
    assert response["Location"] == (
        f"/projects/{project.pk}/?failure_type=tone&page=2#example-table"
    )
    assert project.examples.filter(failure_type="format").count() == 30
    assert project.examples.filter(failure_type="facts").count() == 30


def test_ids_sent_beside_select_all_are_ignored(client, alice, team, project, sixty):
    other = Project.objects.create(team=team, name="Other")
    theirs = make_example(other, title="Theirs", failure_type="tone")
    facts = project.examples.filter(failure_type="facts").first()
    client.force_login(alice)
    bulk(
        client,
        project,
        select_all="on",
        matching_count="30",
        examples=[facts.pk],
        action="retag",
        failure_type="format",
        query="failure_type=tone",
    )
    assert FailedExample.objects.get(pk=facts.pk).failure_type == "facts"
    assert FailedExample.objects.get(pk=theirs.pk).failure_type == "tone"
    assert project.examples.filter(failure_type="format").count() == 30


@pytest.mark.parametrize("seen", ["29", "31", ""])
def test_a_count_that_moved_on_is_refused_and_nothing_changes(client, alice, project, sixty, seen):
    client.force_login(alice)
    response = bulk(
        client,
        project,
        select_all="on",
        matching_count=seen,
        action="retag",
        failure_type="format",
        query="failure_type=tone",
    )
    assert project.examples.filter(failure_type="format").count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "30 examples match these filters now, not the" in page
    assert "Nothing was changed" in page


def test_delete_all_matching_asks_with_the_count_then_deletes_them(client, alice, project, sixty):
    client.force_login(alice)
    data = {
        "select_all": "on",
        "matching_count": "30",
        "action": "delete",
        "query": "failure_type=facts",
        "page": "2",
    }
    confirm = bulk(client, project, **data)
    html = confirm.content.decode()
    assert "Delete all 30 examples?" in html
    assert "Every example matching the table's filters, on every page: 30 in all." in html
    assert 'name="examples"' not in html  # the filters go back, not ids
    assert project.examples.count() == 60
    done = bulk(client, project, **data, confirmed="on")
    assert sorted(set(project.examples.values_list("failure_type", flat=True))) == ["tone"]
    assert project.examples.count() == 30
    page = client.get(done["Location"]).content.decode()
    assert "Deleted 30 examples." in page


def test_a_confirmed_delete_refuses_when_more_arrived_meanwhile(client, alice, project, sixty):
    client.force_login(alice)
    data = {"select_all": "on", "matching_count": "30", "action": "delete"}
    data["query"] = "failure_type=facts"
    make_example(project, title="Arrived meanwhile", failure_type="facts")
    bulk(client, project, **data, confirmed="on")
    assert project.examples.count() == 61


def test_the_message_is_at_the_top_of_the_table_on_the_same_page(client, alice, project, sixty):
    client.force_login(alice)
    ticked = list(project.examples.filter(failure_type="tone").order_by("title")[25:27])
    response = bulk(
        client,
        project,
        examples=[e.pk for e in ticked],
        action="retag",
        failure_type="facts",
        query="failure_type=tone&sort=title",
        page="2",
    )
    assert response["Location"] == (
        f"/projects/{project.pk}/?failure_type=tone&sort=title&page=2#example-table"
    )
    html = client.get(response["Location"]).content.decode()
    table = html[html.index('<div id="example-table"') :]
    assert table.index("Retagged 2 examples as") < table.index("<table")
    top = html[: html.index('<div id="example-table"')]
    assert "Retagged 2 examples" not in top  # not at the page's top, out of sight
    assert "Page 2 of 2." in html


def test_a_page_past_the_end_after_a_delete_shows_the_last_page(client, alice, project, sixty):
    client.force_login(alice)
    second_page = list(project.examples.filter(failure_type="tone").order_by("title")[25:])
    data = {"examples": [e.pk for e in second_page], "action": "delete"}
    data.update(query="failure_type=tone&sort=title", page="2", confirmed="on")
    response = bulk(client, project, **data)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Deleted 5 examples." in page.content.decode()


def test_a_stranger_gets_404_and_a_viewer_403(client, bob, charlie, project, sixty):
    data = {"select_all": "on", "matching_count": "60", "action": "delete", "confirmed": "on"}
    client.force_login(charlie)
    assert bulk(client, project, **data).status_code == 404
    client.force_login(bob)
    assert bulk(client, project, **data).status_code == 403
    assert project.examples.count() == 60
