from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.evidence import (
    Evidence,
    ExampleGroup,
    confidence,
    evidence_warnings,
    symptom_prefill,
)
from decisions.flowchart.registry import get_definition
from tests.flowchart.spec_2026_11 import ANSWERS_FOR_OUTCOME

DEFINITION = get_definition("2026.11")
ALL_TECHNIQUES = frozenset({"instructions", "role", "examples", "structure", "context"})
CONTEXT_ANSWERS = ANSWERS_FOR_OUTCOME["context"]  # symptom = facts; no exhausted, no training


def facts_evidence(count: int, **kwargs) -> Evidence:
    return Evidence({"facts": count}, ALL_TECHNIQUES, **kwargs)


def assess(answers, evidence):
    warnings = evidence_warnings(evaluate(DEFINITION, answers), evidence)
    return {w.code for w in warnings}, confidence(evidence, warnings)


def test_summary_from_groups_adds_counts_and_keeps_the_most_iterations():
    evidence = Evidence.from_groups(
        [
            ExampleGroup("facts", ("role",), count=2, with_expected_output=1, most_iterations=3),
            ExampleGroup("facts", ("context", "role"), 1, 0, 12),
            ExampleGroup("tone", (), 4, 2, 1),
        ]
    )
    assert evidence.example_count == 7
    assert evidence.failure_counts["facts"] == 3 and evidence.failure_counts["tone"] == 4
    assert evidence.failure_counts["format"] == 0
    assert evidence.techniques_tried == {"role", "context"}
    assert evidence.with_expected_output == 3
    assert evidence.most_iterations == 12


def test_prefill_names_the_most_common_type_with_its_reason():
    prefill = symptom_prefill(Evidence({"facts": 7, "tone": 3}))
    assert prefill.option_id == "facts"
    assert prefill.reason == "7 of 10 examples are tagged Facts are missing, outdated or invented."


def test_prefill_tie_goes_to_the_earlier_type():
    assert symptom_prefill(Evidence({"behavior": 2, "tone": 2, "facts": 1})).option_id == "tone"


def test_no_prefill_without_examples():
    assert symptom_prefill(Evidence()) is None


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "low"), (2, "low"), (3, "medium"), (9, "medium"), (10, "high")]
)
def test_thin_evidence_caps_confidence(count, expected):
    codes, level = assess(CONTEXT_ANSWERS, facts_evidence(count))
    assert level == expected
    assert ("thin_evidence" in codes) == (count < 10)


def test_evidence_disagrees_at_exactly_half():
    # 5 of 10 are tone while the PM answered facts: a warning, one level lower.
    codes, level = assess(CONTEXT_ANSWERS, Evidence({"facts": 5, "tone": 5}, ALL_TECHNIQUES))
    assert "evidence_disagrees" in codes
    assert level == "medium"


def test_evidence_below_half_does_not_disagree():
    evidence = Evidence({"facts": 6, "tone": 4}, ALL_TECHNIQUES)
    codes, level = assess(CONTEXT_ANSWERS, evidence)
    assert "evidence_disagrees" not in codes and level == "high"


def test_disagreement_message_names_both_types():
    result = evaluate(DEFINITION, CONTEXT_ANSWERS)
    [warning] = evidence_warnings(result, Evidence({"tone": 10}, ALL_TECHNIQUES))
    assert warning.message == (
        "You answered “Facts are missing, outdated or invented” as the main symptom, but 10 of "
        "10 examples are tagged Tone, voice or style is off. Check the tags or the answer."
    )


def test_untried_techniques_warn_when_prompting_is_called_exhausted():
    answers = ANSWERS_FOR_OUTCOME["prepare"]  # symptom behavior ... exhausted
    evidence = Evidence({"behavior": 10}, frozenset({"instructions", "role"}))
    result = evaluate(DEFINITION, answers)
    warnings = evidence_warnings(result, evidence)
    [untried] = [w for w in warnings if w.code == "untried_techniques"]
    assert "examples of good output (few-shot)" in untried.message
    assert "clear, specific instructions" not in untried.message
    assert confidence(evidence, warnings) == "medium"


def test_all_techniques_tried_means_no_untried_warning():
    codes, level = assess(
        ANSWERS_FOR_OUTCOME["prepare"], Evidence({"behavior": 10}, ALL_TECHNIQUES)
    )
    assert "untried_techniques" not in codes and level == "high"


def test_two_warnings_lower_two_levels_and_thin_evidence_caps():
    answers = {**ANSWERS_FOR_OUTCOME["prepare"]}
    evidence = Evidence({"tone": 10}, frozenset())
    assert assess(answers, evidence) == ({"evidence_disagrees", "untried_techniques"}, "low")
    evidence = Evidence({"tone": 5}, frozenset())
    assert assess(answers, evidence)[1] == "low"


@pytest.mark.parametrize(("with_expected", "warned"), [(49, True), (50, False)])
@pytest.mark.parametrize("outcome", ["hybrid", "pretrain"])
def test_training_verdict_notes_training_data(outcome, with_expected, warned):
    evidence = Evidence({"domain": 60}, ALL_TECHNIQUES, with_expected_output=with_expected)
    codes, level = assess(ANSWERS_FOR_OUTCOME[outcome], evidence)
    assert ("training_data" in codes) == warned
    assert level == "high"  # a note, not a warning: confidence stays


def test_prompt_verdict_has_no_training_note():
    codes, _ = assess(ANSWERS_FOR_OUTCOME["prompt"], Evidence({"tone": 12}, ALL_TECHNIQUES))
    assert "training_data" not in codes


def test_evidence_from_dict_refuses_unknown_ids():
    with pytest.raises(ValueError, match="unknown failure type"):
        Evidence.from_dict({"failure_counts": {"colour": 1}})
    with pytest.raises(ValueError, match="unknown technique"):
        Evidence.from_dict({"techniques_tried": ["magic"]})
    with pytest.raises(ValueError, match="whole numbers"):
        Evidence.from_dict({"failure_counts": {"facts": -1}})


def test_the_training_method_counts_only_examples_outside_the_test_set():
    from decisions.flowchart.explain import training_method_step

    evidence = Evidence({"domain": 68}, with_expected_output=68, test_set_size=60, training_count=8)
    assert training_method_step(evidence) == (
        "Method: supervised fine-tuning on the 8 examples with an expected output outside the "
        "test set (its 60 stay out, to measure the result); since each also records the bad "
        "output, the same 8 examples make preference pairs (DPO) to train on as well."
    )


def test_with_everything_held_out_the_method_asks_for_examples_to_train_on():
    from decisions.flowchart.explain import training_method_step

    evidence = Evidence({"domain": 5}, with_expected_output=5, test_set_size=5, training_count=0)
    assert training_method_step(evidence).startswith(
        "Every example with an expected output is in the test set (5)"
    )


@pytest.mark.parametrize(("size", "option"), [(49, "small"), (50, "ready"), (0, "none")])
def test_the_test_set_prefill_reads_the_chosen_test_set(size, option):
    from decisions.flowchart.evidence import suggested_test_set

    evidence = Evidence(
        {"facts": 80}, with_expected_output=80, test_set_size=size, training_count=1
    )
    prefill = suggested_test_set(evidence)
    assert prefill.option_id == option
    assert prefill.reason.startswith("The project's test set holds out ")
