"""The invariants of the 2027.02 spec, checked on every route from `symptom` to an outcome,
and the report rules on every route."""

from __future__ import annotations

import pytest

from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.registry import get_definition
from decisions.flowchart.report_rules import report_rules

DEFINITION = get_definition("2027.02")


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


ROUTES = routes()


def answers_of(route) -> dict[str, str]:
    return dict(route)


def routes_to(*outcomes: str) -> list[dict[str, str]]:
    return [answers_of(route) for route, outcome in ROUTES if outcome in outcomes]


def test_every_outcome_is_reached_and_routes_are_counted():
    assert {outcome for _, outcome in ROUTES} == set(DEFINITION.outcomes)
    # Counted on the spec's transcribed table (spec_2027_02.SPEC_EDGES).
    assert len(ROUTES) == 7251


@pytest.mark.parametrize("outcome", ["hybrid", "adapt", "pretrain"])
def test_training_needs_a_test_set_exhausted_prompts_an_optimizer_and_failing_models(outcome):
    found = routes_to(outcome)
    assert found
    for answers in found:
        assert answers["test_set"] in {"small", "ready"}
        assert answers["prompt_effort"] in {"exhausted", "slice_below"}
        assert answers["optimizer"] in {"no_gain", "not_possible"}
        assert answers["stronger_model"] == "all_fail"


def test_distillation_needs_a_measured_comparison_and_from_cost_the_cheap_levers():
    found = routes_to("distill")
    assert found
    for answers in found:
        assert (
            answers.get("stronger_model") == "too_costly"
            or answers.get("smaller_model") == "fall_short"
        )
        if answers["symptom"] == "cost":
            assert answers["cost_levers"] == "yes"


def test_facts_reach_training_only_when_pasting_the_facts_did_not_help():
    for answers in routes_to("hybrid", "distill", "adapt", "pretrain"):
        if answers["symptom"] == "facts":
            assert answers["context_test"] == "no"


@pytest.mark.parametrize(
    ("outcome", "edge"),
    [
        ("retrieval", ("retrieval_hit", "missed")),
        ("orchestration", ("tool_sequence", "sequence")),
        ("classifier", ("label_errors", "few_classes")),
        ("guardrails", ("safety_settings", "no")),
        ("tune_serving", ("cost_levers", "no")),
        ("optimize", ("optimizer", "not_tried")),
    ],
)
def test_system_outcomes_and_optimize_have_one_incoming_edge_naming_their_fix(outcome, edge):
    incoming = [(node_id, o.id) for node_id, o in DEFINITION.edges() if o.next == outcome]
    assert incoming == [edge]


def test_every_edge_to_prepare_leaves_a_gate():
    sources = {node_id for node_id, o in DEFINITION.edges() if o.next == "prepare"}
    assert sources == {
        "distill_data",
        "distill_ready",
        "platform",
        "data",
        "team",
        "budget",
        "oversight",
    }
    assert all(DEFINITION.node(node_id).kind == "gate" for node_id in sources)


def test_gates_reach_no_outcome_but_prepare_distill_and_hybrid():
    reached = {
        o.next
        for node_id, o in DEFINITION.edges()
        if DEFINITION.node(node_id).kind == "gate" and o.next in DEFINITION.outcomes
    }
    assert reached == {"prepare", "distill", "hybrid"}


def test_slice_below_goes_to_the_optimizer():
    assert DEFINITION.node("prompt_effort").option("slice_below").next == "optimizer"


@pytest.mark.parametrize("size", [60, None])
def test_report_rules_hold_on_every_route(size):
    for route, outcome in ROUTES:
        result = evaluate(DEFINITION, answers_of(route))
        rules = report_rules(DEFINITION, result, test_set_size=size, pass_mark=0.8)
        deciding = DEFINITION.node(rules.deciding)
        if outcome == "prepare":
            assert (rules.deciding, rules.deciding_option) == route[-1]
        else:
            assert deciding.kind == "decisive"
        assert rules.nearest != outcome
        assert bool(rules.experiment) == (rules.nearest is not None)
        if rules.nearest:
            answer = rules.nearest_answer
            assert DEFINITION.node(answer["node"]).option(answer["option"]).next == rules.nearest
            assert (answer["node"], answer["option"]) not in route
        assert all("{" not in sentence for sentence in rules.experiment)
        assert [(item.node, item.option) for item in rules.why] == list(route)
