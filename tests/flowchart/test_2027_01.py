"""Flowchart 2027.01 against its spec: edges, outcomes, invariants over every route, the
evidence rules with their codes and messages, and the validation that catches typos."""

from __future__ import annotations

import copy
import tomllib

import pytest

from decisions.flowchart.definition import DefinitionError, from_dict
from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.evidence import Evidence, prefills
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import current_version, definition_files, get_definition
from tests.flowchart.spec_2027_01 import (
    ANSWERS_FOR_OUTCOME,
    SPEC_EDGES,
    SPEC_OUTCOMES,
    TRAINING_OUTCOMES,
)

DEFINITION = get_definition("2027.01")
VOCABULARY = DEFINITION.vocabulary


def routes(node_id: str = "symptom", taken: tuple = ()) -> list[tuple[tuple, str]]:
    """Every route from the start: ((node, option), ...) and the outcome it ends in."""
    found = []
    for option in DEFINITION.nodes[node_id].options:
        step = (*taken, (node_id, option.id))
        if option.next in DEFINITION.outcomes:
            found.append((step, option.next))
        else:
            found.extend(routes(option.next, step))
    return found


def test_2027_01_stays_registered_after_2027_02_became_the_version_new_runs_use():
    assert current_version() == "2027.02"
    assert "2027.01" in definition_files()


def test_every_row_of_the_spec_table_is_an_edge():
    edges = {(node_id, option.id): option.next for node_id, option in DEFINITION.edges()}
    assert edges == SPEC_EDGES
    assert list(DEFINITION.outcomes) == SPEC_OUTCOMES
    assert len(DEFINITION.nodes) == 20 and len(DEFINITION.outcomes) == 10


def test_vocabulary_adds_tools_and_schema():
    assert VOCABULARY.failure_type_ids == ["format", "tone", "facts", "domain", "behavior", "tools"]
    assert VOCABULARY.failure_label("tools") == "Calls the wrong tool or passes wrong arguments"
    assert VOCABULARY.technique_ids[-1] == "schema"
    assert VOCABULARY.technique_label("schema") == "Strict structured output or tool schemas"


@pytest.mark.parametrize("outcome", SPEC_OUTCOMES)
def test_each_outcome_is_reached_by_its_answers(outcome):
    assert evaluate(DEFINITION, ANSWERS_FOR_OUTCOME[outcome]).outcome == outcome


ROUTES = routes()


def test_every_outcome_is_reached_by_some_route():
    assert {outcome for _, outcome in ROUTES} == set(SPEC_OUTCOMES)
    assert len(ROUTES) > 100


def test_training_verdicts_need_a_test_set_exhausted_prompts_and_failing_stronger_models():
    for route, outcome in ROUTES:
        if outcome in {"hybrid", "adapt", "pretrain"}:
            answers = dict(route)
            assert answers["test_set"] in {"small", "ready"}, route
            assert answers["prompt_effort"] == "exhausted", route
            assert answers["stronger_model"] == "all_fail", route


def test_distillation_needs_a_measured_comparison():
    for route, outcome in ROUTES:
        if outcome == "distill":
            answers = dict(route)
            assert (
                answers.get("stronger_model") == "too_costly"
                or answers.get("smaller_model") == "fall_short"
            ), route


def test_facts_reach_training_only_when_pasting_the_facts_did_not_help():
    for route, outcome in ROUTES:
        answers = dict(route)
        if answers["symptom"] == "facts" and outcome in TRAINING_OUTCOMES:
            assert answers["context_test"] == "no", route


def warnings_of(answers, evidence):
    explanation = explain(DEFINITION, answers, evidence)
    return {w.code: w for w in explanation.warnings}, explanation.confidence


def evidence(**fields) -> Evidence:
    counts = fields.pop("counts", {"domain": 12})
    tried = fields.pop("tried", frozenset(VOCABULARY.technique_ids))
    return Evidence(counts, tried, vocabulary=VOCABULARY, **fields)


@pytest.mark.parametrize(
    ("with_expected", "option", "reason"),
    [
        (0, "none", "0 examples have an expected output."),
        (1, "small", "1 example has an expected output."),
        (23, "small", "23 examples have an expected output."),
        (50, "ready", "50 examples have an expected output."),
    ],
)
def test_test_set_prefill_from_examples_with_an_expected_output(with_expected, option, reason):
    prefill = prefills(DEFINITION, evidence(with_expected_output=with_expected))["test_set"]
    assert (prefill.option_id, prefill.reason) == (option, reason)


def test_symptom_prefill_speaks_in_labels():
    prefill = prefills(DEFINITION, evidence(counts={"tone": 4, "facts": 3}))["symptom"]
    assert prefill.reason == "4 of 7 examples are tagged Tone, voice or style is off."


def test_small_test_set_caps_confidence_at_medium():
    answers = {**ANSWERS_FOR_OUTCOME["switch_model"], "test_set": "small"}
    found, level = warnings_of(answers, evidence(with_expected_output=12, most_iterations=5))
    assert set(found) == {"small_test_set"}
    assert found["small_test_set"].message == (
        "Your test set has fewer than 50 cases, so its pass rate is uncertain: 8 of 10 passing "
        "has a 95% Wilson interval of about 49–94%. Confidence is at most medium."
    )
    assert level == "medium"


def test_effort_unrecorded_lowers_confidence():
    found, level = warnings_of(
        ANSWERS_FOR_OUTCOME["switch_model"], evidence(with_expected_output=60, most_iterations=2)
    )
    assert set(found) == {"effort_unrecorded"}
    assert found["effort_unrecorded"].message == (
        "You say prompting is exhausted, but the most iterations recorded on an example is 2. "
        "Record the prompt revisions you measured."
    )
    assert level == "medium"


def test_beyond_evidence_is_a_note_that_does_not_lower_confidence():
    found, level = warnings_of(
        ANSWERS_FOR_OUTCOME["hybrid"], evidence(with_expected_output=12, most_iterations=9)
    )
    assert found["beyond_evidence"].message == (
        "You expect 50 or more reviewed examples to train on; this project records 12 with an "
        "expected output. Record them here, so the decision shows the data it relies on."
    )
    assert found["beyond_evidence"].lowers_confidence is False
    assert set(found) == {"beyond_evidence", "training_data"}
    assert level == "high"


@pytest.mark.parametrize("outcome", sorted(TRAINING_OUTCOMES))
def test_training_data_note_for_every_training_verdict(outcome):
    found, _ = warnings_of(
        ANSWERS_FOR_OUTCOME[outcome], evidence(with_expected_output=7, most_iterations=9)
    )
    assert found["training_data"].message == (
        "Only 7 examples have an expected output. Training needs 10 at the minimum, 50–100 to "
        "see gains and 100–500 to change behavior markedly."
    )


def test_no_evidence_replaces_thin_evidence_and_confidence_is_low():
    found, level = warnings_of(ANSWERS_FOR_OUTCOME["prompt"], evidence(counts={}))
    assert set(found) == {"no_evidence"}
    assert found["no_evidence"].message.startswith(
        "No failed example is recorded for this project, so nothing here checks the answers"
    )
    assert level == "low"


def test_hybrid_names_the_training_method_with_the_counts():
    explanation = explain(
        DEFINITION,
        ANSWERS_FOR_OUTCOME["hybrid"],
        evidence(with_expected_output=64, most_iterations=9),
    )
    assert (
        "Method: supervised fine-tuning on the 64 examples with an expected output; since each "
        "also records the bad output, the same 64 examples make preference pairs (DPO) to "
        "train on as well."
    ) in explanation.next_steps


def test_path_steps_of_the_spec_come_with_their_answers():
    explanation = explain(DEFINITION, {"symptom": "format", "structured": "off"}, evidence())
    assert explanation.next_steps[0] == (
        "Switch on strict structured output with a JSON schema for the response; most format "
        "failures in machine-read output stop there."
    )


def raw() -> dict:
    with definition_files()["2027.01"].open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (
            lambda d: d["path_steps"].update({"structured.of": "typo"}),
            "path_steps: key 'structured.of' names no question and answer of this definition",
        ),
        (lambda d: d["outcomes"]["distill"].pop("risks"), "outcome 'distill' has no risks"),
        (
            lambda d: d["outcomes"]["measure"].update(next_steps=[]),
            "outcome 'measure' has no next_steps",
        ),
        (
            lambda d: d["vocabulary"]["failure_types"].append({"id": "speed", "label": "Slow"}),
            "vocabulary: failure type 'speed' is not an option of node 'symptom'",
        ),
        (
            lambda d: d["nodes"]["test_set"]["options"].pop(1),
            "rules.evidence: rule 'test_set_prefill' needs option 'small' of 'test_set'",
        ),
        (
            lambda d: d["rules"].update(training_outcomes=["hybrid", "distil"]),
            "rules.training_outcomes: no outcome 'distil'",
        ),
        (
            lambda d: d["rules"]["evidence"].append("gut_feeling"),
            "rules.evidence: unknown rule 'gut_feeling'",
        ),
    ],
)
def test_a_definition_with_a_typo_is_refused_naming_the_key(break_it, message):
    data = copy.deepcopy(raw())
    break_it(data)
    with pytest.raises(DefinitionError) as refused:
        from_dict(data)
    assert str(refused.value).startswith(message)


def test_most_questions_left_counts_the_longest_route():
    assert DEFINITION.most_questions_from("symptom") == 12
    assert DEFINITION.most_questions_from("oversight") == 1
    assert DEFINITION.most_questions_from("foundation") == 6
