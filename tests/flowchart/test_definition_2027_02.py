"""2027.02's definition against its spec, and the checks a definition with kinds must pass:
each check is shown failing on a broken copy of the definition."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from decisions.flowchart.definition import DefinitionError, from_dict
from decisions.flowchart.registry import definition_files, get_definition
from tests.flowchart.spec_2027_02 import SPEC_EDGES, SPEC_GATES, SPEC_OUTCOMES


@pytest.fixture
def raw():
    with definition_files()["2027.02"].open("rb") as handle:
        return tomllib.load(handle)


def test_2027_02_matches_its_spec_table():
    definition = get_definition("2027.02")
    edges = {(node_id, option.id): option.next for node_id, option in definition.edges()}
    assert edges == SPEC_EDGES
    assert list(definition.outcomes) == SPEC_OUTCOMES
    assert len(definition.nodes) == 28
    assert definition.start == "symptom"


def test_nineteen_decisive_questions_and_nine_gates():
    definition = get_definition("2027.02")
    gates = {node.id for node in definition.nodes.values() if node.kind == "gate"}
    decisive = [node.id for node in definition.nodes.values() if node.kind == "decisive"]
    assert gates == SPEC_GATES
    assert len(decisive) == 19


def test_rationales_are_the_spec_why_we_ask():
    definition = get_definition("2027.02")
    assert definition.node("grader").rationale == (
        "It never changes the verdict, only the method: a grader makes reinforcement "
        "fine-tuning possible."
    )
    assert definition.node("symptom").rationale == (
        "Each kind of failure has its own first fix; output that is fine but slow or costly "
        "is its own path."
    )


def test_new_failure_types_join_the_vocabulary_in_tie_break_order():
    vocabulary = get_definition("2027.02").vocabulary
    assert vocabulary.failure_type_ids == [
        "format",
        "tone",
        "facts",
        "domain",
        "behavior",
        "tools",
        "labels",
        "refuses",
    ]
    assert vocabulary.failure_label("refuses") == "Refuses or hedges on requests it should answer"


def test_nineteen_rules_declared():
    rules = get_definition("2027.02").rules
    assert len(rules) == 19
    assert rules[9] == "test_split"
    assert rules[-2:] == ("platform_closing", "facts_dated")


def test_older_versions_have_no_kinds_and_still_load():
    for version in ("2026.11", "2027.01"):
        definition = get_definition(version)
        assert definition.declares_kinds is False
        assert {node.kind for node in definition.nodes.values()} == {None}
        assert {node.rationale for node in definition.nodes.values()} == {None}
        assert definition.vendor_facts == ()
        assert dict(definition.experiments) == {}


def test_vendor_facts_rows():
    facts = get_definition("2027.02").vendor_facts
    assert len(facts) == 9
    openai = facts[0]
    assert (openai.provider, openai.status, openai.closes_on) == (
        "OpenAI",
        "closing",
        date(2027, 1, 6),
    )
    assert openai.answers == ("platform.openai_existing",)
    assert openai.checked_on == date(2026, 12, 1)
    assert [row.status for row in facts].count("closed") == 3
    assert [row.closes_on for row in facts[1:]] == [None] * 8


def test_experiment_template_of_stronger_model():
    templates = get_definition("2027.02").experiments
    assert templates["stronger_model"]["switch_model"] == (
        "Run your best prompt on the most capable model of another vendor on your {n} cases; "
        "if {k} or more pass ({p}%) at a cost you accept, the verdict becomes {label}."
    )


# Each check, shown failing on a broken copy.


def test_node_without_kind_is_refused(raw):
    del raw["nodes"]["team"]["kind"]
    with pytest.raises(DefinitionError, match="node 'team': kind None is neither"):
        from_dict(raw)


def test_unknown_kind_is_refused(raw):
    raw["nodes"]["team"]["kind"] = "maybe"
    with pytest.raises(DefinitionError, match="node 'team': kind 'maybe' is neither"):
        from_dict(raw)


def test_node_without_rationale_is_refused(raw):
    raw["nodes"]["optimizer"]["rationale"] = ""
    with pytest.raises(DefinitionError, match="node 'optimizer' has no rationale"):
        from_dict(raw)


def test_a_tenth_gate_is_refused(raw):
    raw["nodes"]["optimizer"]["kind"] = "gate"
    with pytest.raises(DefinitionError, match="'optimizer' is a gate"):
        from_dict(raw)


def test_a_missing_gate_is_refused(raw):
    raw["nodes"]["grader"]["kind"] = "decisive"
    raw["experiments"]["grader"] = {}
    with pytest.raises(DefinitionError, match="'grader' is not a gate"):
        from_dict(raw)


def test_edge_to_prepare_from_a_decisive_question_is_refused(raw):
    raw["nodes"]["retrieval_hit"]["options"][1]["next"] = "prepare"
    del raw["experiments"]["retrieval_hit"]["prompt"]
    with pytest.raises(
        DefinitionError, match="node 'retrieval_hit', option 'found': leads to 'prepare'"
    ):
        from_dict(raw)


def test_missing_template_of_a_decisive_question_is_refused(raw):
    del raw["experiments"]["retrieval_hit"]["prompt"]
    with pytest.raises(
        DefinitionError, match="no template for node 'retrieval_hit' leading to 'prompt'"
    ):
        from_dict(raw)


@pytest.mark.parametrize(
    ("node_id", "outcome_id"), [("distill_ready", "distill"), ("oversight", "hybrid")]
)
def test_missing_template_of_a_gate_is_refused(raw, node_id, outcome_id):
    del raw["experiments"][node_id]
    with pytest.raises(
        DefinitionError, match=f"no template for node '{node_id}' leading to '{outcome_id}'"
    ):
        from_dict(raw)


def test_template_for_an_outcome_the_question_does_not_reach_is_refused(raw):
    raw["experiments"]["optimizer"]["hybrid"] = "Nope, the verdict becomes {label}."
    with pytest.raises(DefinitionError, match="experiments: optimizer.hybrid names no answer"):
        from_dict(raw)


@pytest.mark.parametrize("field", ["offering", "methods", "source", "deadline"])
def test_vendor_row_with_an_empty_field_is_refused(raw, field):
    raw["vendor_facts"][3][field] = " "
    with pytest.raises(DefinitionError, match=f"vendor_facts: 'Amazon' has no {field}"):
        from_dict(raw)


def test_vendor_row_without_a_field_is_refused(raw):
    del raw["vendor_facts"][3]["minimum_examples"]
    with pytest.raises(DefinitionError, match="missing or malformed field: 'minimum_examples'"):
        from_dict(raw)


def test_vendor_row_with_an_unknown_status_is_refused(raw):
    raw["vendor_facts"][0]["status"] = "ajar"
    with pytest.raises(DefinitionError, match="'OpenAI' status 'ajar' is not one of"):
        from_dict(raw)


def test_vendor_row_with_a_bad_date_is_refused(raw):
    raw["vendor_facts"][0]["checked_on"] = "1 December 2026"
    with pytest.raises(DefinitionError, match="'OpenAI' checked_on '1 December 2026' is not"):
        from_dict(raw)


def test_vendor_row_without_checked_on_is_refused(raw):
    del raw["vendor_facts"][2]["checked_on"]
    with pytest.raises(DefinitionError, match="'Microsoft' has no checked_on"):
        from_dict(raw)


def test_vendor_row_naming_an_unknown_answer_is_refused(raw):
    raw["vendor_facts"][0]["answers"] = ["platform.openai"]
    with pytest.raises(DefinitionError, match="answer 'platform.openai' names no question"):
        from_dict(raw)


def test_empty_vendor_table_is_refused(raw):
    raw["vendor_facts"] = []
    with pytest.raises(DefinitionError, match="vendor_facts: the table is empty"):
        from_dict(raw)


def test_rule_needing_a_missing_option_is_refused(raw):
    raw["nodes"]["platform"]["options"] = [
        option
        for option in raw["nodes"]["platform"]["options"]
        if option["id"] != "openai_existing"
    ]
    raw["vendor_facts"][0]["answers"] = []
    del raw["path_steps"]["platform.openai_existing"]
    with pytest.raises(DefinitionError, match="rule 'platform_closing' needs option"):
        from_dict(raw)
