"""History of a project's revisions and the diff between any two."""

from __future__ import annotations

from tests.conftest import make_example
from tests.reports.conftest import save_decision


def test_diff_lists_answers_verdict_confidence_warnings_and_evidence(client, alice, project):
    make_example(project, failure_type="tone")
    save_decision(project, alice, "prompt")  # symptom=tone, spelled_out=no; 1 example
    for _ in range(12):
        make_example(project, failure_type="facts")
    save_decision(project, alice, "context")  # symptom=facts, context_test=yes; 13 examples
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/?from=1&to=2").content.decode()
    diff = html[html.index('id="diff-heading"') :]
    assert "From revision 1 to revision 2" in diff
    assert (
        "Prompting problem: engineer the prompt → <strong>Prompting problem: give the model "
        "the facts (context, retrieval)</strong>"
    ) in diff
    assert "Confidence:</strong> low → high" in diff
    assert (
        'What goes wrong most often? <span class="text-body-secondary">Tone, voice or style '
        "is off</span> → <strong>Facts are missing, outdated or invented</strong>"
    ) in diff
    assert (
        '<span class="text-body-secondary">not asked</span> → '
        "<strong>Yes, it answers correctly</strong>"
    ) in diff
    assert "Only 1 failed example recorded: confidence is at most low." in diff  # cleared
    assert "Failed examples: 1 → 13" in diff
    assert "Tagged Facts are missing, outdated or invented: 0 → 12" in diff
    assert "Flowchart version:" not in diff  # both 2027.01


def test_the_order_of_the_two_does_not_matter_and_same_revision_shows_no_diff(
    client, alice, project
):
    save_decision(project, alice, "prompt")
    save_decision(project, alice, "context")
    client.force_login(alice)
    reversed_order = client.get(f"/projects/{project.pk}/decisions/?from=2&to=1").content.decode()
    assert "From revision 1 to revision 2" in reversed_order
    same = client.get(f"/projects/{project.pk}/decisions/?from=2&to=2").content.decode()
    assert 'id="diff-heading"' not in same
    assert "Revision 1" in same and "Revision 2" in same
