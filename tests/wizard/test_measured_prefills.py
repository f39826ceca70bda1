"""2027.02's measured prefills reach the wizard with their reasons, from the project's test
set and its trials case by case (evidence/aggregate.py): a group below the mark, no significant
gain between the last two revisions, the training count outside the test set; and the
underpowered note at review. A prefill suggests; the path waits for the PM's answer."""

from __future__ import annotations

import pytest

from decisions.evidence import services as evidence_services
from decisions.evidence.models import PromptTrial
from decisions.wizard.models import RunStatus, WizardRun
from tests.conftest import make_example
from tests.wizard.conftest import answer

ALL = ["instructions", "role", "examples", "structure", "context", "schema"]
TO_EFFORT = [("symptom", "domain"), ("examples_test", "no"), ("test_set", "ready")]


def trial(project, label, cases, passing: set[int], groups=None):
    results = {f"c{n}": n in passing for n in range(cases)}
    return PromptTrial.objects.create(
        project=project,
        label=label,
        model_name="gpt-x",
        techniques=ALL,
        cases=cases,
        passed=len(passing),
        results=results,
        case_groups=groups or {},
    )


def started(client, alice, project) -> WizardRun:
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    return WizardRun.objects.get(project=project, status=RunStatus.DRAFT)


def step(client, run, node) -> str:
    return client.get(f"/wizard/runs/{run.pk}/q/{node}/").content.decode()


@pytest.fixture
def examples(project):
    for _ in range(3):
        make_example(project, failure_type="domain", techniques_tried=ALL, iterations=4)
    return project


def test_a_group_below_the_mark_suggests_slice_below(client, alice, examples):
    groups = {f"c{n}": "German" if n < 20 else "English" for n in range(200)}
    passing = set(range(8, 200)) - set(range(20, 28))  # German 12 of 20, in all 184 of 200
    trial(examples, "v6", 200, passing, groups)
    run = started(client, alice, examples)
    for node, option in TO_EFFORT:
        answer(client, run, node, option)
    page = step(client, run, "prompt_effort")
    assert (
        "Suggested from your evidence: <strong>Meets the pass mark overall, but one group of "
        "cases (a class, a language, a customer tier) stays below it</strong>. “v6” passes 184 "
        "of 200 (92%), but German passes 12 of 20 (60%), below the pass mark of 80%."
    ) in page
    run.refresh_from_db()
    assert "prompt_effort" not in run.answers  # suggested, not answered


def test_no_significant_gain_suggests_exhausted_with_mcnemar(client, alice, examples):
    trial(examples, "v1", 60, set(range(30)))
    trial(examples, "v2", 60, set(range(35)))
    trial(examples, "v3", 60, set(range(36)))
    run = started(client, alice, examples)
    for node, option in TO_EFFORT:
        answer(client, run, node, option)
    page = step(client, run, "prompt_effort")
    assert (
        "3 revisions used every technique, the latest is below the pass mark of 80%, and the "
        "last two show no significant gain: “v3” against “v2”: 1 case fixed and 0 broken "
        "(McNemar mid-p 0.500)."
    ) in page


def test_a_significant_gain_suggests_more_revisions(client, alice, examples):
    trial(examples, "v1", 60, set(range(20)))
    trial(examples, "v2", 60, set(range(25)))
    trial(examples, "v3", 60, (set(range(25)) | set(range(30, 37))) - {0})  # 7 fixed, 1 broken
    run = started(client, alice, examples)
    for node, option in TO_EFFORT:
        answer(client, run, node, option)
    page = step(client, run, "prompt_effort")
    assert "the last two revisions show a significant gain" in page
    assert "“v3” against “v2”: 7 cases fixed and 1 broken (McNemar mid-p 0.039)" in page


def test_the_data_question_counts_outside_the_test_set(client, alice, project):
    for number in range(70):
        make_example(project, title=f"Case {number}", failure_type="domain", techniques_tried=ALL)
    held = list(project.examples.order_by("pk").values_list("pk", flat=True)[:60])
    evidence_services.test_set_choose(project=project, user=alice, example_ids=held)
    run = started(client, alice, project)
    path = [
        *TO_EFFORT,
        ("prompt_effort", "exhausted"),
        ("optimizer", "no_gain"),
        ("stronger_model", "all_fail"),
        ("foundation", "yes"),
        ("platform", "managed"),
        ("grader", "yes"),
    ]
    for node, option in path:
        assert answer(client, run, node, option).status_code == 302, node
    page = step(client, run, "data")
    assert (
        "Suggested from your evidence: <strong>Fewer than 50</strong>. 70 examples have an "
        "expected output; 60 are in the test set, leaving 10 to train on."
    ) in page


def test_an_underpowered_trial_is_said_at_review(client, alice, examples):
    trial(examples, "v1", 40, set(range(30)))
    run = started(client, alice, examples)
    for node, option in [*TO_EFFORT, ("prompt_effort", "passes")]:
        answer(client, run, node, option)
    page = client.get(f"/wizard/runs/{run.pk}/review/").content.decode()
    assert (
        "The best trial on the current model, “v1”, passed 30 of 40 (75%, 95% interval 60–86%), "
        "which includes the pass mark of 80%: at 75% it takes about 246 cases to tell."
    ) in page
