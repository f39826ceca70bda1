from __future__ import annotations

import pytest

from decisions.records.models import Decision
from decisions.wizard.models import RunStatus, WizardRun
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.wizard.conftest import HTMX, answer


def test_start_creates_one_draft_and_resumes_it(client, alice, project):
    client.force_login(alice)
    first = client.post(f"/projects/{project.pk}/wizard/start/")
    run = WizardRun.objects.get(project=project)
    assert first["Location"] == f"/wizard/runs/{run.pk}/q/symptom/"
    again = client.post(f"/projects/{project.pk}/wizard/start/")
    assert again["Location"] == first["Location"]
    assert WizardRun.objects.filter(project=project).count() == 1
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/wizard/runs/{run.pk}/"' in page and "Resume the wizard" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("outcome", list(ANSWERS_FOR_OUTCOME))
def test_run_through_each_outcome(client, alice, project, outcome, htmx):
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    run = WizardRun.objects.get(project=project)
    answers = ANSWERS_FOR_OUTCOME[outcome]
    for index, (node_id, option) in enumerate(answers.items()):
        response = answer(client, run, node_id, option, note=f"because {index}", htmx=htmx)
        following = list(answers)[index + 1] if index + 1 < len(answers) else "review"
        expected_url = (
            f"/wizard/runs/{run.pk}/review/"
            if following == "review"
            else f"/wizard/runs/{run.pk}/q/{following}/"
        )
        if htmx:
            assert response.status_code == 200
            assert response["HX-Push-Url"] == expected_url
            assert "<html" not in response.content.decode()
        else:
            assert response.status_code == 302 and response["Location"] == expected_url
    review = client.get(f"/wizard/runs/{run.pk}/review/", headers=HTMX if htmx else {})
    assert "Save the decision" in review.content.decode()
    finish = client.post(f"/wizard/runs/{run.pk}/finish/", headers=HTMX if htmx else {})
    decision = Decision.objects.get(project=project)
    expected = f"/projects/{project.pk}/decisions/1/"
    assert (finish["HX-Redirect"] if htmx else finish["Location"]) == expected
    assert decision.outcome == outcome
    assert decision.answers == answers
    assert decision.notes["symptom"] == "because 0"
    assert [step["node"] for step in decision.explanation["path"]] == list(answers)
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    page = client.get(expected)
    assert decision.verdict in page.content.decode()


def test_step_get_with_htmx_is_a_fragment(client, alice, run):
    client.force_login(alice)
    response = client.get(f"/wizard/runs/{run.pk}/q/symptom/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="wizard"' in html and "What goes wrong most often" in html
    full = client.get(f"/wizard/runs/{run.pk}/q/symptom/").content.decode()
    assert "<html" in full


def test_history_restore_gets_the_full_page(client, alice, run):
    client.force_login(alice)
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    response = client.get(f"/wizard/runs/{run.pk}/q/symptom/", headers=headers)
    assert "<html" in response.content.decode()


def test_symptom_is_prefilled_from_evidence(client, alice, project, run):
    from tests.conftest import make_example

    for _ in range(2):
        make_example(project, failure_type="facts")
    make_example(project, failure_type="tone")
    client.force_login(alice)
    html = client.get(f"/wizard/runs/{run.pk}/q/symptom/").content.decode()
    assert "2 of 3 examples are tagged Facts are missing, outdated or invented." in html
    assert 'value="facts" checked' in html


def test_going_back_and_changing_an_answer_updates_the_path_and_keeps_off_path_answers(
    client, alice, run
):
    client.force_login(alice)
    answer(client, run, "symptom", "facts")
    answer(client, run, "context_test", "no")
    answer(client, run, "test_set", "ready")
    answer(client, run, "prompt_effort", "untested")
    back = client.get(f"/wizard/runs/{run.pk}/q/symptom/")
    assert 'value="facts" checked' in back.content.decode()
    response = answer(client, run, "symptom", "tone")
    assert response["Location"] == f"/wizard/runs/{run.pk}/q/spelled_out/"
    run.refresh_from_db()
    result = run.evaluate()
    assert [step.node_id for step in result.path] == ["symptom"]
    assert result.next_node == "spelled_out"
    assert result.ignored == {
        "context_test": "no",
        "test_set": "ready",
        "prompt_effort": "untested",
    }
    page = client.get(f"/wizard/runs/{run.pk}/q/spelled_out/").content.decode()
    assert "Kept, not used on this path" in page
    # prompt_effort is still answered and comes back on the path through spelled_out=yes.
    answer(client, run, "spelled_out", "yes")
    run.refresh_from_db()
    assert run.evaluate().outcome == "prompt"


def test_resume_goes_to_the_current_question(client, alice, run):
    client.force_login(alice)
    answer(client, run, "symptom", "behavior")
    response = client.get(f"/wizard/runs/{run.pk}/")
    assert response["Location"] == f"/wizard/runs/{run.pk}/q/rules_given/"


def test_discard_keeps_decisions_and_allows_a_new_run(client, alice, project, run):
    client.force_login(alice)
    response = client.post(f"/wizard/runs/{run.pk}/discard/")
    assert response["Location"] == f"/projects/{project.pk}/"
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED
    client.post(f"/projects/{project.pk}/wizard/start/")
    assert WizardRun.objects.filter(project=project, status=RunStatus.DRAFT).count() == 1
