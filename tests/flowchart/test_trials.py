"""Measured trials: Wilson intervals against known values, and every trial-based prefill and
the contradiction warning, with the expected option and reason written out."""

from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.evidence import Evidence, evidence_warnings, prefills
from decisions.flowchart.registry import get_definition
from decisions.flowchart.trials import Trial, wilson_interval

ALL = frozenset({"instructions", "role", "examples", "structure", "context", "schema"})


def trial(label, passed, cases=100, techniques=ALL, model="gpt-x", current=True):
    return Trial(label, model, "2026-11-01", frozenset(techniques), cases, passed, current)


@pytest.mark.parametrize(
    ("passed", "cases", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (50, 100, 0.4038, 0.5962),
        (45, 50, 0.7864, 0.9565),
    ],
)
def test_wilson_interval_known_values(passed, cases, low, high):
    got_low, got_high = wilson_interval(passed, cases)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


def suggestions(*trials, pass_mark=0.8):
    definition = get_definition("2027.01")
    evidence = Evidence(vocabulary=definition.vocabulary, trials=trials, pass_mark=pass_mark)
    return {
        node: (p.option_id, p.reason)
        for node, p in prefills(definition, evidence).items()
        if node != "symptom"
    }


def test_no_trial_suggests_untested_and_the_examples_test_set():
    assert suggestions() == {
        "test_set": ("none", "0 examples have an expected output."),
        "prompt_effort": ("untested", "No trial on the current model is recorded yet."),
    }


def test_test_set_comes_from_the_largest_trial():
    assert suggestions(trial("v1", 30, cases=40))["test_set"] == (
        "small",
        "The largest trial, “v1”, ran 40 cases.",
    )
    assert suggestions(trial("v1", 30, cases=40), trial("v2", 50, cases=60))["test_set"] == (
        "ready",
        "The largest trial, “v2”, ran 60 cases.",
    )


def test_latest_trial_meeting_the_mark_suggests_passes():
    assert suggestions(trial("v1", 60), trial("v2", 85))["prompt_effort"] == (
        "passes",
        "The latest trial, “v2”, passed 85 of 100 (85%), at or above the pass mark of 80%.",
    )


def test_an_unused_technique_suggests_some_techniques():
    used = ALL - {"schema", "role"}
    assert suggestions(trial("v1", 60, techniques=used))["prompt_effort"] == (
        "some_techniques",
        "Below the pass mark of 80%, and no trial used these techniques yet: "
        "a role or persona, strict structured output or tool schemas.",
    )


def test_three_revisions_without_significant_gain_suggest_exhausted():
    found = suggestions(trial("v1", 60), trial("v2", 64), trial("v3", 66))
    assert found["prompt_effort"] == (
        "exhausted",
        "3 revisions used every technique, none reached 80%, and the best of the last three "
        "(66%) is inside the first one's 95% interval (50%–69%).",
    )


def test_a_significant_gain_is_not_exhausted():
    found = suggestions(trial("v1", 40), trial("v2", 55), trial("v3", 70))
    assert found["prompt_effort"] == (
        "some_techniques",
        "Below the pass mark of 80%, but 3 measured revisions still show room: "
        "keep revising and measuring.",
    )


def test_two_revisions_are_not_enough_for_exhausted():
    assert suggestions(trial("v1", 60), trial("v2", 61))["prompt_effort"][0] == "some_techniques"


def test_other_models_suggest_stronger_and_smaller_model_answers():
    found = suggestions(
        trial("v3", 60),
        trial("v3 on big", 88, model="big-model", current=False),
        trial("v3 on other", 70, model="other-vendor", current=False),
    )
    assert found["stronger_model"] == (
        "passes",
        "“v3 on big” on big-model passed 88%, at or above the pass mark of 80%.",
    )
    assert found["smaller_model"][0] == "one_passes"
    failing = suggestions(trial("v3", 60), trial("small", 50, model="mini", current=False))
    assert failing["stronger_model"] == (
        "all_fail",
        "Trials on mini stayed below the pass mark of 80%.",
    )
    assert failing["smaller_model"][0] == "fall_short"


def warnings_for(answers, *trials):
    definition = get_definition("2027.01")
    evidence = Evidence(vocabulary=definition.vocabulary, trials=trials)
    result = evaluate(definition, answers)
    return [
        w for w in evidence_warnings(result, evidence, definition) if w.code == "trials_contradict"
    ]


EXHAUSTED = {
    "symptom": "behavior",
    "rules_given": "yes",
    "test_set": "ready",
    "prompt_effort": "exhausted",
}


def test_exhausted_while_the_latest_trial_passes_is_a_contradiction():
    [warning] = warnings_for(EXHAUSTED, trial("v1", 60), trial("v2", 90))
    assert warning.message == (
        "You say prompting is exhausted, but the latest trial, “v2”, passed 90%, at or above "
        "the pass mark of 80%."
    )
    assert warning.lowers_confidence is True


def test_exhausted_with_fewer_than_three_trials_is_a_contradiction():
    [warning] = warnings_for(EXHAUSTED, trial("v1", 60))
    assert warning.message == (
        "You say prompting is exhausted, but only 1 trial is recorded; it takes 3 measured "
        "revisions to show it."
    )


def test_an_answer_the_trials_support_gets_no_warning():
    assert warnings_for(EXHAUSTED, trial("v1", 60), trial("v2", 62), trial("v3", 61)) == []
    assert warnings_for(EXHAUSTED) == []
