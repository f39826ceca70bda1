from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decisions.flowchart.evaluate import AnswerError, evaluate
from decisions.flowchart.registry import get_definition
from tests.flowchart.spec_2026_11 import ANSWERS_FOR_OUTCOME, SPEC_EDGES, SPEC_OUTCOMES

DEFINITION = get_definition("2026.11")


def answers_reaching(node_id: str) -> dict[str, str]:
    """Some answers whose path stops at node_id, found by walking the spec's edges."""
    routes = {"symptom": {}}
    frontier = ["symptom"]
    while frontier:
        current = frontier.pop(0)
        for (source, option), target in SPEC_EDGES.items():
            if source == current and target not in routes:
                routes[target] = {**routes[current], source: option}
                frontier.append(target)
    return routes[node_id]


@pytest.mark.parametrize("outcome", SPEC_OUTCOMES)
def test_every_outcome_is_reached(outcome):
    result = evaluate(DEFINITION, ANSWERS_FOR_OUTCOME[outcome])
    assert result.is_complete
    assert result.outcome == outcome
    assert [step.node_id for step in result.path] == list(ANSWERS_FOR_OUTCOME[outcome])


@pytest.mark.parametrize(("node_option", "target"), sorted(SPEC_EDGES.items()))
def test_every_row_of_the_question_table(node_option, target):
    node_id, option_id = node_option
    before = answers_reaching(node_id)
    assert evaluate(DEFINITION, before).next_node == node_id
    result = evaluate(DEFINITION, {**before, node_id: option_id})
    if target in SPEC_OUTCOMES:
        assert (result.status, result.outcome, result.next_node) == ("complete", target, None)
    else:
        assert (result.status, result.next_node, result.outcome) == ("incomplete", target, None)


def test_no_answers_asks_the_first_question():
    result = evaluate(DEFINITION, {})
    assert result.status == "incomplete"
    assert result.next_node == "symptom"
    assert result.path == ()


def test_answers_off_the_path_are_kept_as_ignored():
    answers = {"symptom": "facts", "context_test": "yes", "spelled_out": "no", "budget": "yes"}
    result = evaluate(DEFINITION, answers)
    assert result.outcome == "context"
    assert result.ignored == {"spelled_out": "no", "budget": "yes"}


def test_unknown_node_is_refused():
    with pytest.raises(AnswerError, match="unknown question 'colour'"):
        evaluate(DEFINITION, {"colour": "blue"})


def test_unknown_option_is_refused():
    with pytest.raises(AnswerError, match="unknown option 'maybe' for question 'budget'"):
        evaluate(DEFINITION, {"budget": "maybe"})


def test_every_training_route_passes_exhausted():
    for outcome in ("hybrid", "prepare", "pretrain", "rescope"):
        path = evaluate(DEFINITION, ANSWERS_FOR_OUTCOME[outcome]).path
        assert ("prompt_effort", "exhausted") in [(s.node_id, s.option_id) for s in path]


answer_sets = st.fixed_dictionaries(
    {},
    optional={
        node.id: st.sampled_from([option.id for option in node.options])
        for node in DEFINITION.nodes.values()
    },
)


@given(answer_sets)
def test_property_evaluation_follows_edges_and_ends_once(answers):
    result = evaluate(DEFINITION, answers)
    current = DEFINITION.start
    for step in result.path:
        assert step.node_id == current
        assert answers[step.node_id] == step.option_id
        current = SPEC_EDGES[(step.node_id, step.option_id)]
    if result.is_complete:
        assert current == result.outcome and result.outcome in SPEC_OUTCOMES
        assert result.next_node is None
    else:
        assert current == result.next_node and result.next_node not in answers
        assert result.outcome is None
    on_path = {step.node_id for step in result.path}
    assert set(result.ignored) == set(answers) - on_path


@given(answer_sets, st.data())
def test_property_changing_an_off_path_answer_never_changes_the_verdict(answers, data):
    result = evaluate(DEFINITION, answers)
    on_path = {step.node_id for step in result.path}
    off_path = [node for node in DEFINITION.nodes.values() if node.id not in on_path]
    if result.next_node:
        # Answering the next question is on the path by definition; leave it out.
        off_path = [node for node in off_path if node.id != result.next_node]
    if not off_path:
        return
    node = data.draw(st.sampled_from(off_path))
    option = data.draw(st.sampled_from([option.id for option in node.options]))
    changed = evaluate(DEFINITION, {**answers, node.id: option})
    assert (changed.status, changed.outcome, changed.next_node) == (
        result.status,
        result.outcome,
        result.next_node,
    )
    assert changed.path == result.path
