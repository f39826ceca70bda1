from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET

from decisions.flowchart.definition import from_dict
from decisions.flowchart.diagram import render_svg
from decisions.flowchart.evaluate import evaluate
from decisions.flowchart.registry import definition_files, get_definition
from tests.flowchart.spec_2026_11 import ANSWERS_FOR_OUTCOME, SPEC_EDGES

SVG = "{http://www.w3.org/2000/svg}"
DEFINITION = get_definition("2026.11")


def parse(svg: str):
    return ET.fromstring(svg)


def groups(root, css_class):
    return [g for g in root.iter(f"{SVG}g") if css_class in g.get("class", "").split()]


def test_svg_parses_and_holds_every_label():
    root = parse(render_svg(DEFINITION))
    titles = {g.get("data-id"): g.find(f"{SVG}title").text for g in groups(root, "node")}
    titles.update({g.get("data-id"): g.find(f"{SVG}title").text for g in groups(root, "outcome")})
    expected = {node.id: node.label for node in DEFINITION.nodes.values()}
    expected.update({o.id: o.label for o in DEFINITION.outcomes.values()})
    assert titles == expected
    drawn_text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for label in expected.values():
        for word in label.split():
            assert word in drawn_text


def test_exactly_the_path_edges_are_marked():
    result = evaluate(DEFINITION, ANSWERS_FOR_OUTCOME["hybrid"])
    root = parse(render_svg(DEFINITION, result))
    marked = {
        (g.get("data-from"), g.get("data-to"))
        for g in groups(root, "edge")
        if g.get("data-on-path") == "true"
    }
    expected = {(s.node_id, SPEC_EDGES[(s.node_id, s.option_id)]) for s in result.path}
    assert marked == expected
    assert (
        len(groups(root, "on-path")) == len(expected) + len(result.path) + 1
    )  # edges, nodes, outcome


def test_no_path_marks_nothing_and_svg_is_self_contained():
    svg = render_svg(DEFINITION)
    root = parse(svg)
    assert groups(root, "on-path") == []
    assert "<script" not in svg and "style=" not in svg and "href" not in svg
    assert root.get("viewBox")


def test_label_text_is_escaped():
    with definition_files()["2026.11"].open("rb") as handle:
        raw = tomllib.load(handle)
    raw["nodes"]["budget"]["label"] = 'Budget <script>alert("x")</script> & more'
    svg = render_svg(from_dict(raw))
    assert "<script>" not in svg
    titles = [t.text for t in parse(svg).iter(f"{SVG}title")]
    assert 'Budget <script>alert("x")</script> & more' in titles
