from __future__ import annotations

from decisions.flowchart.evidence import Evidence
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import get_definition
from tests.flowchart.spec_2026_11 import ANSWERS_FOR_OUTCOME

DEFINITION = get_definition("2026.11")


def test_counterfactual_names_the_other_verdict():
    explanation = explain(DEFINITION, {"symptom": "facts", "context_test": "yes"})
    by_option = {(c.node_id, c.option_id): c for c in explanation.counterfactuals}
    not_tried = by_option[("context_test", "not_tried")]
    assert not_tried.outcome == "prompt"
    assert not_tried.message == (
        "Had you answered “Not tried yet” to “When you paste the facts it needs into the "
        "prompt, does it get the answer right?”, the verdict would be: Prompting problem: "
        "engineer the prompt."
    )


def test_counterfactual_that_needs_more_answers_names_the_next_question():
    explanation = explain(DEFINITION, {"symptom": "facts", "context_test": "yes"})
    by_option = {(c.node_id, c.option_id): c for c in explanation.counterfactuals}
    assert by_option[("context_test", "no")].next_node == "prompt_effort"
    assert "would next ask" in by_option[("context_test", "no")].message
    assert by_option[("symptom", "tone")].next_node == "spelled_out"


def test_counterfactuals_keep_other_answers():
    # spelled_out is answered but off the path; trying symptom=tone uses it and completes.
    answers = {"symptom": "facts", "context_test": "yes", "spelled_out": "no"}
    by_option = {(c.node_id, c.option_id): c for c in explain(DEFINITION, answers).counterfactuals}
    assert by_option[("symptom", "tone")].outcome == "prompt"


def test_same_verdict_alternatives_are_not_listed():
    explanation = explain(DEFINITION, {"symptom": "domain", "examples_test": "yes"})
    options = {(c.node_id, c.option_id) for c in explanation.counterfactuals}
    assert ("examples_test", "not_tried") not in options  # also leads to prompt
    assert ("examples_test", "no") in options


def test_prompt_next_steps_list_untried_techniques():
    evidence = Evidence({"tone": 4}, frozenset({"instructions", "role"}))
    steps = explain(DEFINITION, ANSWERS_FOR_OUTCOME["prompt"], evidence).next_steps
    assert steps[0] == (
        "Try the techniques your failed examples do not record as tried yet: examples of good "
        "output (few-shot), an output structure or template, the facts or documents it needs, "
        "in the prompt."
    )


def test_untested_prompt_gets_the_batch_step():
    answers = {"symptom": "tone", "spelled_out": "yes", "prompt_effort": "untested"}
    steps = explain(DEFINITION, answers).next_steps
    assert "Test your best prompt on 10 real inputs; stop when 8 pass." in steps


def test_hybrid_next_steps_start_with_lora():
    evidence = Evidence({"domain": 10}, frozenset({"instructions"}))
    steps = explain(DEFINITION, ANSWERS_FOR_OUTCOME["hybrid"], evidence).next_steps
    assert steps[0].startswith("Start with a LoRA pilot on an open-weight model")
    assert not any(step.startswith("Try the techniques") for step in steps)


def test_prepare_next_steps_say_what_is_missing():
    answers = {**ANSWERS_FOR_OUTCOME["hybrid"], "team": "nobody"}
    steps = explain(DEFINITION, answers).next_steps
    assert any(step.startswith("Name who will run and monitor training") for step in steps)
    answers = {**ANSWERS_FOR_OUTCOME["hybrid"], "oversight": "no"}
    steps = explain(DEFINITION, answers).next_steps
    assert any(step.startswith("Name an evaluation owner") for step in steps)
    assert not any(step.startswith("Name who will run") for step in steps)


def test_incomplete_has_no_next_steps_and_json_shape():
    document = explain(DEFINITION, {"symptom": "facts"}).to_dict()
    assert document["status"] == "incomplete"
    assert document["next_node"] == "context_test"
    assert document["next_steps"] == []
