"""Each evidence rule and trial suggestion on both sides of its threshold: a rule moved by one
(`>=` for `>`) changes what the PM is told, so the value at the line and the one before it are
both written out here."""

from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.evidence import Evidence, evidence_warnings, prefills
from decisions.flowchart.registry import get_definition
from decisions.flowchart.trials import Trial
from tests.flowchart.spec_2027_01 import ANSWERS_FOR_OUTCOME

DEFINITION = get_definition("2027.01")
ALL = frozenset({"instructions", "role", "examples", "structure", "context", "schema"})
# Exhausted prompting, on to the foundation question, 500+ examples to train on.
HYBRID = ANSWERS_FOR_OUTCOME["hybrid"]
UNTESTED = {"symptom": "behavior", "rules_given": "yes", "test_set": "ready"}


def trial(label, passed, cases=100, *, current=True, model="gpt-x") -> Trial:
    return Trial(label, model, "2026-11-01", ALL, cases, passed, current)


def evidence(**fields) -> Evidence:
    fields.setdefault("failure_counts", {"domain": 60})
    fields.setdefault("techniques_tried", ALL)
    return Evidence(vocabulary=DEFINITION.vocabulary, **fields)


def messages(answers, found: Evidence, code: str) -> list[str]:
    result = evaluate(DEFINITION, answers)
    return [w.message for w in evidence_warnings(result, found, DEFINITION) if w.code == code]


def suggested(found: Evidence, node: str) -> tuple[str, str]:
    prefill = prefills(DEFINITION, found)[node]
    return prefill.option_id, prefill.reason


# Examples ------------------------------------------------------------------------------------


def test_three_iterations_on_an_example_count_as_recorded_effort():
    found = evidence(most_iterations=3, with_expected_output=500)
    assert messages(HYBRID, found, "effort_unrecorded") == []


def test_two_iterations_do_not_back_exhausted_prompting():
    found = evidence(most_iterations=2, with_expected_output=500)
    assert messages(HYBRID, found, "effort_unrecorded") == [
        "You say prompting is exhausted, but the most iterations recorded on an example is 2. "
        "Record the prompt revisions you measured."
    ]


def test_fifty_expected_outputs_back_an_answer_of_fifty_or_more_to_train_on():
    found = evidence(most_iterations=5, with_expected_output=50)
    assert messages(HYBRID, found, "beyond_evidence") == []
    assert messages(HYBRID, found, "training_data") == []


def test_forty_nine_expected_outputs_are_beyond_the_evidence():
    found = evidence(most_iterations=5, with_expected_output=49)
    assert messages(HYBRID, found, "beyond_evidence") == [
        "You expect 50 or more reviewed examples to train on; this project records 49 with an "
        "expected output. Record them here, so the decision shows the data it relies on."
    ]
    assert messages(HYBRID, found, "training_data") == [
        "Only 49 examples have an expected output. Training needs 10 at the minimum, 50–100 to "
        "see gains and 100–500 to change behavior markedly."
    ]


@pytest.mark.parametrize(
    ("with_expected", "option", "reason"),
    [
        (50, "ready", "50 examples have an expected output."),
        (49, "small", "49 examples have an expected output."),
        (1, "small", "1 example has an expected output."),
    ],
)
def test_fifty_expected_outputs_make_a_ready_test_set(with_expected, option, reason):
    assert suggested(evidence(with_expected_output=with_expected), "test_set") == (option, reason)


# Trials --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "option"),
    [(50, "ready"), (49, "small")],
)
def test_a_trial_of_fifty_cases_makes_a_ready_test_set(cases, option):
    found = evidence(trials=(trial("v1", 10, cases),))
    assert suggested(found, "test_set") == (option, f"The largest trial, “v1”, ran {cases} cases.")


def test_passing_exactly_the_pass_mark_meets_it():
    found = evidence(trials=(trial("v1", 80),), pass_mark=0.8)
    assert suggested(found, "prompt_effort") == (
        "passes",
        "The latest trial, “v1”, passed 80 of 100 (80%), at or above the pass mark of 80%.",
    )


def test_one_case_short_of_the_pass_mark_does_not_meet_it():
    found = evidence(trials=(trial("v1", 79),), pass_mark=0.8)
    assert suggested(found, "prompt_effort") == (
        "some_techniques",
        "Below the pass mark of 80%, but 1 measured revision still show room: keep revising "
        "and measuring.",
    )


def test_the_other_models_trials_are_not_prompt_effort():
    found = evidence(trials=(trial("v1", 60), trial("v1 on big", 90, current=False, model="big")))
    assert suggested(found, "prompt_effort") == (
        "some_techniques",
        "Below the pass mark of 80%, but 1 measured revision still show room: keep revising "
        "and measuring.",
    )


def test_only_the_last_three_revisions_count_against_the_first_ones_interval():
    # v2 rose above v1's interval (40%–60%), but the last three fell back inside it.
    trials = (trial("v1", 50), trial("v2", 75), trial("v3", 52), trial("v4", 52), trial("v5", 52))
    assert suggested(evidence(trials=trials), "prompt_effort") == (
        "exhausted",
        "5 revisions used every technique, none reached 80%, and the best of the last three "
        "(52%) is inside the first one's 95% interval (40%–60%).",
    )


def test_reaching_the_top_of_the_first_interval_is_not_a_gain_beyond_it():
    # 20 of 20 has the interval 84%–100%: 100% later lies on its edge, not above it.
    trials = (trial("v1", 20, 20), trial("v2", 20, 20), trial("v3", 10, 20))
    assert suggested(evidence(trials=trials), "prompt_effort") == (
        "exhausted",
        "3 revisions used every technique, none reached 80%, and the best of the last three "
        "(100%) is inside the first one's 95% interval (84%–100%).",
    )


def test_untested_prompting_with_a_recorded_trial_is_a_contradiction():
    found = evidence(trials=(trial("v1", 60),))
    assert messages({**UNTESTED, "prompt_effort": "untested"}, found, "trials_contradict") == [
        "You say the prompt is untested, but 1 trial is recorded."
    ]


def test_untested_prompting_with_trials_on_other_models_only_is_no_contradiction():
    found = evidence(trials=(trial("v1 on big", 60, current=False, model="big"),))
    assert messages({**UNTESTED, "prompt_effort": "untested"}, found, "trials_contradict") == []
