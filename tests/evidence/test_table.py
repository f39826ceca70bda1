"""The project page's examples table: filters, search, sort, pages, bulk retag and delete, the
readiness meter, and a query count that does not grow with the examples."""

from __future__ import annotations

import re

import pytest

from decisions.evidence.models import FailedExample
from tests.conftest import make_example


def titles(response) -> list[str]:
    table = response.content.decode().split('id="example-table"', 1)[1]
    return re.findall(r'/examples/\d+/">([^<]+)</a>', table)


@pytest.fixture
def mixed(project):
    return [
        make_example(project, title="Alpha tone", failure_type="tone", severity="low"),
        make_example(
            project,
            title="Bravo facts",
            failure_type="facts",
            severity="high",
            expected_output="",
            techniques_tried=["role", "examples"],
            input_text="Quote the refund policy",
        ),
        make_example(project, title="Charlie format", failure_type="format", severity="medium"),
    ]


def test_filters_search_and_sort(client, alice, project, mixed):
    client.force_login(alice)
    url = f"/projects/{project.pk}/"
    assert titles(client.get(url)) == ["Charlie format", "Bravo facts", "Alpha tone"]
    assert titles(client.get(url, {"failure_type": "facts"})) == ["Bravo facts"]
    assert titles(client.get(url, {"technique": "examples"})) == ["Bravo facts"]
    assert titles(client.get(url, {"technique": "instructions"})) == [
        "Charlie format",
        "Alpha tone",
    ]
    assert titles(client.get(url, {"severity": "low"})) == ["Alpha tone"]
    assert titles(client.get(url, {"expected": "no"})) == ["Bravo facts"]
    assert titles(client.get(url, {"expected": "yes", "sort": "title"})) == [
        "Alpha tone",
        "Charlie format",
    ]
    assert titles(client.get(url, {"q": "refund policy"})) == ["Bravo facts"]
    assert titles(client.get(url, {"sort": "severity"})) == [
        "Bravo facts",
        "Charlie format",
        "Alpha tone",
    ]
    filtered = client.get(url, {"failure_type": "facts"}).content.decode()
    assert "1 of 3 examples match." in filtered


def test_filter_request_from_htmx_returns_only_the_table(client, alice, project, mixed):
    client.force_login(alice)
    response = client.get(
        f"/projects/{project.pk}/",
        {"severity": "high"},
        headers={"HX-Request": "true", "HX-Target": "example-table"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="example-table"')
    assert titles(response) == ["Bravo facts"]


def test_pages_of_25(client, alice, project):
    for n in range(30):
        make_example(project, title=f"Example {n:02}")
    client.force_login(alice)
    first = client.get(f"/projects/{project.pk}/", {"sort": "title"})
    second = client.get(f"/projects/{project.pk}/", {"sort": "title", "page": 2})
    assert len(titles(first)) == 25
    assert titles(second) == ["Example 25", "Example 26", "Example 27", "Example 28", "Example 29"]
    assert "Page 2 of 2." in second.content.decode()


def test_bulk_retag(client, alice, project, mixed):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/bulk/",
        {
            "examples": [mixed[0].pk, mixed[2].pk],
            "action": "retag",
            "failure_type": "domain",
            "query": "sort=title&evil=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/?sort=title#example-table"
    types = dict(project.examples.values_list("title", "failure_type"))
    assert types == {"Alpha tone": "domain", "Bravo facts": "facts", "Charlie format": "domain"}
    assert FailedExample.objects.get(pk=mixed[0].pk).version == 2
    page = client.get(response["Location"]).content.decode()
    assert "Retagged 2 examples as “Inconsistent in our specialized domain”." in page


def test_bulk_delete_asks_first(client, alice, project, mixed):
    client.force_login(alice)
    data = {"examples": [mixed[1].pk], "action": "delete"}
    confirm = client.post(f"/projects/{project.pk}/examples/bulk/", data)
    assert confirm.status_code == 200
    assert "Delete 1 example?" in confirm.content.decode()
    assert project.examples.count() == 3
    client.post(f"/projects/{project.pk}/examples/bulk/", {**data, "confirmed": "on"})
    assert sorted(project.examples.values_list("title", flat=True)) == [
        "Alpha tone",
        "Charlie format",
    ]


def test_bulk_action_cannot_reach_another_projects_examples(client, alice, team, project):
    from decisions.projects.models import Project

    other = Project.objects.create(team=team, name="Other")
    theirs = make_example(other, title="Theirs")
    client.force_login(alice)
    client.post(
        f"/projects/{project.pk}/examples/bulk/",
        {"examples": [theirs.pk], "action": "delete", "confirmed": "on"},
    )
    assert FailedExample.objects.filter(pk=theirs.pk).exists()


def test_bulk_retag_without_a_ticked_example_says_so(client, alice, project, mixed):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/bulk/",
        {"action": "retag", "failure_type": "tone"},
        follow=True,
    )
    assert "Tick at least one example first." in response.content.decode()


def test_viewer_sees_no_checkboxes_and_cannot_bulk_delete(client, bob, project, mixed):
    client.force_login(bob)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'name="examples"' not in html
    response = client.post(
        f"/projects/{project.pk}/examples/bulk/",
        {"examples": [mixed[0].pk], "action": "delete", "confirmed": "on"},
    )
    assert response.status_code == 403
    assert project.examples.count() == 3


@pytest.mark.parametrize(
    ("count", "level"),
    [
        (0, "Not enough to train"),
        (9, "Not enough to train"),
        (10, "Enough for a first experiment"),
        (50, "Enough for a first real run"),
        (100, "Enough to tune a narrow task"),
        (1000, "Broad coverage"),
    ],
)
def test_readiness_levels(count, level):
    from decisions.evidence.readiness import readiness

    assert readiness(count).level.name == level


def test_readiness_meter_counts_examples_with_an_expected_output(client, alice, project, mixed):
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "<strong data-readiness-count>2</strong> examples with an expected output" in html
    assert "<strong data-readiness-level>Not enough to train</strong>" in html
    assert "8 more for “enough for a first experiment”." in html


def test_project_page_queries_are_the_same_for_1_and_200_examples(
    client, alice, project, django_assert_num_queries
):
    client.force_login(alice)
    make_example(project)
    # 16 with the staleness of the latest decision (none here).
    with django_assert_num_queries(16) as one:
        client.get(f"/projects/{project.pk}/")
    FailedExample.objects.bulk_create(
        [
            FailedExample(
                project=project,
                title=f"Bulk {n}",
                input_text="in",
                bad_output="out",
                failure_type="facts",
            )
            for n in range(199)
        ]
    )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(f"/projects/{project.pk}/")
    assert len(titles(response)) == 25
