from __future__ import annotations

import pytest
from django.utils.html import escape

from decisions.flowchart.registry import current_version, get_definition
from decisions.records.models import Decision, ImmutableRecordError
from decisions.records.services import decision_create
from decisions.wizard.models import WizardRun
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME


def finished_run(project, user, outcome):
    answers = ANSWERS_FOR_OUTCOME[outcome]
    run = WizardRun.objects.create(
        project=project,
        created_by=user,
        answers={node: {"option": option, "note": ""} for node, option in answers.items()},
    )
    return decision_create(run=run, user=user)


def test_running_again_creates_revision_2_and_keeps_revision_1(project, alice):
    first = finished_run(project, alice, "prompt")
    make_example(project, failure_type="facts")
    second = finished_run(project, alice, "context")
    assert (first.revision, second.revision) == (1, 2)
    first.refresh_from_db()
    assert first.outcome == "prompt"
    assert first.explanation["evidence"]["example_count"] == 0
    assert second.explanation["evidence"]["example_count"] == 1


def test_decision_is_pinned_to_the_flowchart_version_and_hash(project, alice):
    decision = finished_run(project, alice, "hybrid")
    definition = get_definition(current_version())
    assert decision.flowchart_version == definition.version
    assert decision.flowchart_hash == definition.content_hash
    assert 'data-on-path="true"' in decision.diagram_svg


def test_saved_decision_cannot_be_changed(project, alice):
    decision = finished_run(project, alice, "prompt")
    decision.outcome = "hybrid"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    assert Decision.objects.get(pk=decision.pk).outcome == "prompt"


@pytest.mark.parametrize("outcome", list(ANSWERS_FOR_OUTCOME))
def test_result_page_shows_verdict_path_steps_and_diagram(client, project, alice, outcome):
    make_example(project, failure_type="tone", techniques_tried=["instructions"])
    decision = finished_run(project, alice, outcome)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    content = get_definition(decision.flowchart_version).outcomes[decision.outcome]
    assert content.verdict in html and content.analogy in html
    assert f"Confidence: {decision.confidence}" in html
    for step in decision.explanation["path"]:
        assert escape(step["question"]) in html
    for next_step in decision.explanation["next_steps"]:
        assert next_step.replace("'", "&#x27;") in html
    assert "Only 1 failed example recorded" in html
    assert "<svg" in html and 'class="flowchart-diagram"' in html


def test_result_page_shows_what_would_change_the_verdict(client, project, alice):
    finished_run(project, alice, "context")
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    assert "What would change the verdict" in html
    assert "Prompting problem: engineer the prompt" in html


def test_project_page_lists_revisions(client, project, alice):
    finished_run(project, alice, "prompt")
    finished_run(project, alice, "context")
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Revision 2: Prompting problem: give the model the facts" in html
    assert "Revision 1: Prompting problem: engineer the prompt" in html
    assert "Run the wizard again" in html


def test_decision_page_access(client, project, alice, bob, charlie):
    finished_run(project, alice, "prompt")
    url = f"/projects/{project.pk}/decisions/1/"
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 200  # viewers read decisions
    assert client.get(f"/projects/{project.pk}/decisions/2/").status_code == 404


def test_user_notes_are_escaped_on_the_result_page(client, project, alice):
    run = WizardRun.objects.create(
        project=project,
        answers={
            "symptom": {"option": "tone", "note": "<script>alert(1)</script>"},
            "spelled_out": {"option": "no", "note": ""},
        },
    )
    decision_create(run=run, user=alice)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
