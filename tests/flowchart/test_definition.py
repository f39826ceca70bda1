from __future__ import annotations

import copy
import tomllib

import pytest

from decisions.flowchart.definition import DefinitionError, from_dict, load_file
from decisions.flowchart.registry import CURRENT_VERSION, definition_files, get_definition
from tests.flowchart.spec_2026_11 import SPEC_EDGES, SPEC_OUTCOMES


@pytest.fixture
def raw():
    with definition_files()[CURRENT_VERSION].open("rb") as handle:
        return tomllib.load(handle)


def test_2026_11_definition_matches_its_spec_table():
    definition = get_definition("2026.11")
    edges = {(node_id, option.id): option.next for node_id, option in definition.edges()}
    assert edges == SPEC_EDGES
    assert list(definition.outcomes) == SPEC_OUTCOMES
    assert definition.start == "symptom"


def test_symptom_options_are_the_failure_types_in_order():
    definition = get_definition("2026.11")
    options = [option.id for option in definition.node("symptom").options]
    assert options == ["format", "tone", "facts", "domain", "behavior"]
    assert definition.vocabulary.failure_type_ids == options


def test_every_outcome_has_its_report_content():
    for outcome in get_definition().outcomes.values():
        assert outcome.verdict and outcome.analogy and outcome.next_steps and outcome.risks
        assert outcome.time and outcome.cost and outcome.data and outcome.people


# The SHA-256 of 2026.11's parsed content, as saved on every decision made with it: a change
# to the file's content, or to how the hash is taken, would orphan those decisions.
HASH_2026_11 = "6fbd1d447000d9ef723136a41ed92a5096d9ee05dd0d10a926689d60f71c9086"


def test_version_and_content_hash():
    definition = get_definition("2026.11")
    assert definition.version == "2026.11"
    assert definition.content_hash == HASH_2026_11
    assert load_file(definition_files()["2026.11"]).content_hash == HASH_2026_11


def test_unknown_version_is_refused():
    with pytest.raises(DefinitionError, match="unknown flowchart version '1999.01'"):
        get_definition("1999.01")


def test_dangling_edge_is_refused(raw):
    raw["nodes"]["budget"]["options"][1]["next"] = "nowhere"
    with pytest.raises(DefinitionError, match="node 'budget', option 'yes': leads to 'nowhere'"):
        from_dict(raw)


def test_cycle_is_refused(raw):
    raw["nodes"]["oversight"]["options"][0]["next"] = "data"
    with pytest.raises(DefinitionError, match="option 'no': leads back to 'data'"):
        from_dict(raw)


def test_unreachable_node_is_refused(raw):
    raw["nodes"]["orphan"] = {
        "label": "Orphan",
        "question": "Nobody asks this?",
        "options": [{"id": "yes", "label": "Yes", "next": "prompt"}],
    }
    with pytest.raises(DefinitionError, match="node 'orphan' is not reachable from 'symptom'"):
        from_dict(raw)


def test_unreachable_outcome_is_refused(raw):
    raw["nodes"]["pretrain_scale"]["options"][0]["next"] = "rescope"
    with pytest.raises(DefinitionError, match="outcome 'pretrain' is not reachable"):
        from_dict(raw)


def test_duplicate_option_id_is_refused(raw):
    options = raw["nodes"]["team"]["options"]
    options.append(copy.deepcopy(options[0]))
    with pytest.raises(DefinitionError, match="node 'team': duplicate option id 'nobody'"):
        from_dict(raw)


def test_id_shared_by_node_and_outcome_is_refused(raw):
    raw["outcomes"]["budget"] = raw["outcomes"]["prompt"]
    with pytest.raises(DefinitionError, match="id used by both a node and an outcome: 'budget'"):
        from_dict(raw)


def test_duplicate_node_id_in_toml_is_refused(tmp_path):
    source = definition_files()[CURRENT_VERSION].read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(source + '\n[nodes.budget]\nlabel = "again"\n', encoding="utf-8")
    with pytest.raises(DefinitionError, match="not valid TOML"):
        load_file(bad)
