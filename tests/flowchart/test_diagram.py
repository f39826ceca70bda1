from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET

import pytest

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


SVG_NS = {"s": "http://www.w3.org/2000/svg"}


def layout_of(version: str):
    """(boxes by id, edges as (from, to, points, label rect)) of a version's drawing."""
    root = ET.fromstring(render_svg(get_definition(version)))
    boxes, edges = {}, []
    for group in root.findall("s:g", SVG_NS):
        if group.get("data-id"):
            rect = group.find("s:rect", SVG_NS)
            boxes[group.get("data-id")] = tuple(
                float(rect.get(key)) for key in ("x", "y", "width", "height")
            )
        elif group.get("data-from"):
            points = [
                tuple(map(float, pair.split(",")))
                for pair in group.find("s:polyline", SVG_NS).get("points").split()
            ]
            label = group.find("s:rect", SVG_NS)
            label_rect = tuple(float(label.get(k)) for k in ("x", "y", "width", "height"))
            edges.append((group.get("data-from"), group.get("data-to"), points, label_rect))
    return boxes, edges


def inside(px, py, rect, inset=1.0):
    x, y, w, h = rect
    return x + inset < px < x + w - inset and y + inset < py < y + h - inset


def overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("version", ["2026.11", "2027.01", "2027.02"])
def test_no_edge_is_drawn_through_a_box(version):
    boxes, edges = layout_of(version)
    for source, target, points, _ in edges:
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            for box_id, rect in boxes.items():
                if box_id in (source, target):
                    continue
                crossing = [
                    inside(x1 + (x2 - x1) * t / 200, y1 + (y2 - y1) * t / 200, rect)
                    for t in range(201)
                ]
                assert not any(crossing), f"{source} -> {target} crosses {box_id}"


@pytest.mark.parametrize("version", ["2026.11", "2027.01", "2027.02"])
def test_edge_labels_overlap_neither_boxes_nor_each_other(version):
    boxes, edges = layout_of(version)
    labels = [label for *_, label in edges]
    for index, label in enumerate(labels):
        assert not any(overlap(label, box) for box in boxes.values()), edges[index][:2]
        assert not any(overlap(label, other) for other in labels[index + 1 :]), edges[index][:2]


def test_edge_labels_sit_on_a_box_not_a_halo_weasyprint_ignores():
    svg = render_svg(get_definition("2027.01"))
    assert "paint-order" not in svg
    assert svg.count('class="edge-label-box"') == svg.count('<g class="edge')
