from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from decisions.flowchart.registry import current_version, get_definition
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.reports.conftest import HOSTILE_TEXTS, save_decision


def report_url(decision, suffix=""):
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


@pytest.mark.parametrize("outcome", list(ANSWERS_FOR_OUTCOME))
def test_report_content_for_each_outcome(client, alice, project, outcome):
    make_example(project, title="Tone example", techniques_tried=["instructions", "role"])
    decision = save_decision(project, alice, outcome, notes={"symptom": "Seen in every batch"})
    client.force_login(alice)
    html = client.get(report_url(decision)).content.decode()
    definition = get_definition(current_version())
    verdict = definition.outcomes[outcome]
    assert verdict.verdict in html and verdict.analogy in html
    assert "Decision revision 1" in html and "by alice" in html and "Latest revision" in html
    assert f"Confidence: {decision.confidence}" in html
    for step in decision.explanation["path"]:
        assert escape(step["question"]) in html and escape(step["answer"]) in html
    assert "Note: Seen in every batch" in html
    for other in definition.outcomes.values():
        assert other.time in html  # the comparison table lists every path
    assert 'class="bar-chart"' in html and 'class="flowchart-diagram"' in html
    assert "Tone example" in html
    assert f"Flowchart version {current_version()}" in html


def test_older_revision_says_it_is_superseded(client, alice, project):
    first = save_decision(project, alice, "prompt")
    save_decision(project, alice, "context")
    client.force_login(alice)
    assert "Superseded by revision 2" in client.get(report_url(first)).content.decode()


def test_report_keeps_the_examples_as_they_were(client, alice, project, decision):
    project.examples.update(title="Renamed later")
    client.force_login(alice)
    html = client.get(report_url(decision)).content.decode()
    assert "Too formal for Dana" in html and "Renamed later" not in html


def test_report_access(client, bob, charlie, decision):
    client.force_login(charlie)
    assert client.get(report_url(decision)).status_code == 404
    assert client.get(report_url(decision, "report.pdf")).status_code == 404
    client.force_login(bob)
    response = client.get(report_url(decision))
    assert response.status_code == 200
    assert "Read-only links for stakeholders" not in response.content.decode()


def test_hostile_examples_are_escaped_and_intact_in_the_page(client, alice, hostile_decision):
    client.force_login(alice)
    html = client.get(report_url(hostile_decision)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=http://169.254.169.254" not in html
    assert "<link rel=attachment" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
    for name in ("rtl", "emoji", "cjk"):
        assert HOSTILE_TEXTS[name] in html
    assert "A" * 19_990 + "END-MARKER" in html


def _report_queries(client, decision) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(report_url(decision)).status_code == 200
    return len(queries.captured_queries)


def test_report_queries_are_the_same_for_1_and_200_examples(client, alice, project, team):
    from decisions.projects.models import Project

    make_example(project)
    small = save_decision(project, alice, "prompt")
    big_project = Project.objects.create(team=team, name="Big", owner=alice)
    for index in range(200):
        make_example(big_project, title=f"Example {index}")
    big = save_decision(big_project, alice, "prompt")
    client.force_login(alice)
    _report_queries(client, small)  # warm caches that are not per page
    assert _report_queries(client, small) == _report_queries(client, big)


def test_report_shows_the_path_view_above_the_whole_chart(client, alice, project):
    make_example(project, failure_type="facts")
    decision = save_decision(project, alice, "measure")
    client.force_login(alice)
    html = client.get(report_url(decision)).content.decode()
    path = html[
        html.index('class="path-view list-unstyled"') : html.index("</ol>", html.index("path-view"))
    ]
    assert path.index("What goes wrong most often?") < path.index("When you paste the facts")
    assert "Facts are missing, outdated or invented" in path  # the answer taken
    assert "Tone, voice or style is off → Format or tone spelled out?" in path  # alternatives
    assert "Not tried yet → <strong>Engineer the prompt</strong>" in path
    assert "Not decidable yet: build the test set first" in path  # ending in the verdict
    assert html.index("path-view") < html.index('class="diagram diagram-scroll')
    assert f'href="{report_url(decision, "diagram.svg")}"' in html


def test_the_whole_chart_opens_on_its_own(client, alice, bob, charlie, project):
    decision = save_decision(project, alice, "prompt")
    client.force_login(bob)
    response = client.get(report_url(decision, "diagram.svg"))
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.decode().startswith("<svg") and 'data-on-path="true"' in (
        response.content.decode()
    )
    client.force_login(charlie)
    assert client.get(report_url(decision, "diagram.svg")).status_code == 404
