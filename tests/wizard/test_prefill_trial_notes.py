"""A prefill that rests on trials says when their cases are not the test set's: the same note as
the trials page, under the suggestion; nothing when every case is held out."""

from __future__ import annotations

import pytest

from decisions.evidence import services
from decisions.evidence.models import PromptTrial
from tests.conftest import make_example
from tests.wizard.conftest import answer

ALL = ["instructions", "role", "examples", "structure", "context", "schema"]
TO_EFFORT = [("symptom", "domain"), ("examples_test", "no"), ("test_set", "ready")]


@pytest.fixture
def ten(project, alice):
    """10 examples, the first 8 held out."""
    examples = [
        make_example(
            project, title=f"Case {n}", failure_type="domain", techniques_tried=ALL, iterations=4
        )
        for n in range(10)
    ]
    services.test_set_choose(project=project, user=alice, example_ids=[e.pk for e in examples[:8]])
    return examples


def record(project, alice, examples) -> PromptTrial:
    results = {f"example-{e.pk}": True for e in examples}
    trial = PromptTrial(
        label="v1", model_name="gpt-x", techniques=ALL, cases=len(results), passed=len(results)
    )
    trial.results = results
    return services.trial_create(project=project, trial=trial, user=alice)


def effort_step(client, alice, run) -> str:
    client.force_login(alice)
    for node, option in TO_EFFORT:
        answer(client, run, node, option)
    response = client.get(f"/wizard/runs/{run.pk}/q/prompt_effort/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suggested from your evidence" in page
    return page


def test_a_trial_on_the_test_set_alone_adds_no_note(client, alice, project, ten, run):
    record(project, alice, ten[:8])
    assert 'id="prefill-trial-notes"' not in effort_step(client, alice, run)


def test_a_trial_with_one_case_outside_says_so(client, alice, project, ten, run):
    record(project, alice, ten[:9])
    page = effort_step(client, alice, run)
    assert (
        "<li>“v1”: 1 of this trial&#x27;s 9 cases is not in the test set: its pass rate says "
        "less about unseen cases.</li>"
    ) in page


def test_without_a_test_set_the_prefill_says_its_trials_are_not_held_out(
    client, alice, project, run
):
    examples = [
        make_example(project, failure_type="domain", techniques_tried=ALL) for _ in range(3)
    ]
    record(project, alice, examples)
    page = effort_step(client, alice, run)
    assert (
        "<li>No test set is chosen, so the trials&#x27; cases are not held out: their pass rates "
        "say less about unseen cases.</li>"
    ) in page


def test_a_second_look_reads_no_trials(
    client, alice, project, ten, run, django_assert_max_num_queries
):
    record(project, alice, ten[:9])
    effort_step(client, alice, run)
    # The notes are kept with the panel's evidence: the same queries as the symptom step
    # (tests/wizard/test_panel_evidence.py), none for the trials or examples.
    with django_assert_max_num_queries(5):
        response = client.get(f"/wizard/runs/{run.pk}/q/prompt_effort/")
    assert response.status_code == 200
