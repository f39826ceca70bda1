"""The whole flowchart as SVG, laid out top to bottom by grandalf's Sugiyama layout.

The SVG carries no script, no style attribute (our CSP forbids inline styles) and no external
font, so it works inline in a page and in WeasyPrint alike. Every text is escaped.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from grandalf.graphs import Edge, Vertex, graph_core
from grandalf.layouts import SugiyamaLayout
from grandalf.routing import route_with_lines

from decisions.flowchart.definition import Definition
from decisions.flowchart.evaluate import Result

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
FONT_SIZE = 11
LINE_HEIGHT = 13
CHARS_PER_LINE = 19
BOX_WIDTH = 138
PADDING = 8
MARGIN = 16

COLORS = {
    "node": ("#ffffff", "#6c757d", "#212529"),  # fill, stroke, text
    "outcome": ("#eef4ff", "#0d6efd", "#0a3a82"),
    "node_on_path": ("#fff3cd", "#b35c00", "#212529"),
    "outcome_on_path": ("#0d6efd", "#0a3a82", "#ffffff"),
    "edge": "#adb5bd",
    "edge_on_path": "#b35c00",
    "edge_text": "#495057",
}


class _Box:
    """What grandalf needs of a vertex's view: a size, and it sets the centre `xy`."""

    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)


class _Route:
    """What grandalf needs of an edge's view: it stores the routed points."""

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points) -> None:
        self.points = [tuple(point) for point in points]


@dataclass(frozen=True)
class _Arrow:
    source: str
    target: str
    option_ids: tuple[str, ...]
    label: str


def _arrows(definition: Definition) -> list[_Arrow]:
    """One arrow per (source, target) pair: parallel options share it, labels joined."""
    grouped: dict[tuple[str, str], list] = {}
    for node_id, option in definition.edges():
        grouped.setdefault((node_id, option.next), []).append(option)
    return [
        _Arrow(source, target, tuple(o.id for o in options), " / ".join(o.short for o in options))
        for (source, target), options in grouped.items()
    ]


def _attr(value: str) -> str:
    """Text escaped for a double-quoted attribute."""
    return escape(value, {'"': "&quot;"})


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, CHARS_PER_LINE) or [""]


@dataclass(frozen=True)
class _Geometry:
    """Where every box, arrow and arrow label goes: the same for every path through one
    definition, so it is computed once per definition (routing arrows around boxes is the
    slow part of saving a decision)."""

    labels: dict[str, str]
    centres: dict[str, tuple[float, float]]
    heights: dict[str, float]
    routes: list[tuple[_Arrow, list[tuple[float, float]], Rect]]  # arrow, points, label box
    size: tuple[float, float]


_geometries: dict[tuple[str, str], _Geometry] = {}


def _geometry(definition: Definition) -> _Geometry:
    key = (definition.version, definition.content_hash)
    if key not in _geometries:
        _geometries[key] = _lay_out(definition)
    return _geometries[key]


def _lay_out(definition: Definition) -> _Geometry:
    labels = {node_id: node.label for node_id, node in definition.nodes.items()}
    labels.update({oid: outcome.label for oid, outcome in definition.outcomes.items()})
    vertices = {}
    for vertex_id, label in labels.items():
        vertex = Vertex(vertex_id)
        vertex.view = _Box(BOX_WIDTH, len(_lines(label)) * LINE_HEIGHT + 2 * PADDING)
        vertices[vertex_id] = vertex
    arrows = _arrows(definition)
    edges = []
    for arrow in arrows:
        edge = Edge(vertices[arrow.source], vertices[arrow.target], data=arrow)
        edge.view = _Route()
        edges.append(edge)
    # One connected graph built in definition order: grandalf's Graph gathers each component's
    # edges in a set, whose order (and so the layout) changed from one process to the next.
    layout = SugiyamaLayout(graph_core(list(vertices.values()), edges))
    layout.xspace, layout.yspace = 24, 46
    layout.route_edge = route_with_lines
    layout.init_all(roots=[vertices[definition.start]], optimize=True)
    layout.draw()

    boxes = {vertex_id: _rect(vertex) for vertex_id, vertex in vertices.items()}
    for edge in edges:
        edge.view.points = _around_boxes(edge.view.points, boxes, edge.data)
    label_rects = _place_labels(edges, boxes)
    min_x, min_y, width, height = _bounds(vertices.values(), edges, label_rects)

    def shift(point):
        return point[0] - min_x, point[1] - min_y

    return _Geometry(
        labels=labels,
        centres={vertex_id: shift(vertex.view.xy) for vertex_id, vertex in vertices.items()},
        heights={vertex_id: vertex.view.h for vertex_id, vertex in vertices.items()},
        routes=[
            (
                edge.data,
                [shift(point) for point in edge.view.points],
                (label_rect[0] - min_x, label_rect[1] - min_y, *label_rect[2:]),
            )
            for edge, label_rect in zip(edges, label_rects, strict=True)
        ],
        size=(width, height),
    )


def render_svg(definition: Definition, result: Result | None = None) -> str:
    """The diagram; with a result, the path taken and its outcome are highlighted."""
    taken = {(step.node_id, step.option_id) for step in result.path} if result else set()
    visited = {step.node_id for step in result.path} if result else set()
    if result and result.outcome:
        visited.add(result.outcome)
    geometry = _geometry(definition)
    width, height = geometry.size
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" class="flowchart-diagram" role="img" '
        f'aria-labelledby="flowchart-title" font-family={quoteattr(FONT)} '
        f'font-size="{FONT_SIZE}">',
        f'<title id="flowchart-title">{escape(definition.title)} {escape(definition.version)}'
        f"{_path_summary(definition, result)}</title>",
    ]
    for arrow, points, label_rect in geometry.routes:
        on_path = any((arrow.source, option_id) in taken for option_id in arrow.option_ids)
        parts.append(_edge_svg(arrow, points, label_rect, on_path))
    for vertex_id, label in geometry.labels.items():
        parts.append(
            _box_svg(
                vertex_id,
                label,
                geometry.centres[vertex_id],
                geometry.heights[vertex_id],
                is_outcome=vertex_id in definition.outcomes,
                on_path=vertex_id in visited,
            )
        )
    parts.append("</svg>")
    return "\n".join(parts)


Rect = tuple[float, float, float, float]  # x, y, width, height
LABEL_FONT_SIZE = 9
LABEL_CHAR_WIDTH = 5.4  # a generous average advance of the sans-serif at 9 px
LABEL_PADDING = 2
DETOUR_GAP = 8


def _rect(vertex) -> Rect:
    (x, y), w, h = vertex.view.xy, BOX_WIDTH, vertex.view.h
    return (x - w / 2, y - h / 2, w, h)


def _segment_hits(p, q, rect: Rect, inset: float = 1.0) -> bool:
    """Whether the segment p-q passes through the inside of rect."""
    x, y, w, h = rect[0] + inset, rect[1] + inset, rect[2] - 2 * inset, rect[3] - 2 * inset
    steps = max(int(max(abs(q[0] - p[0]), abs(q[1] - p[1])) / 2), 1)
    for i in range(steps + 1):
        t = i / steps
        px, py = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if x < px < x + w and y < py < y + h:
            return True
    return False


def _around_boxes(points, boxes: dict[str, Rect], arrow: _Arrow) -> list:
    """The routed points, with a detour beside any box a segment would cross."""
    others = [rect for vid, rect in boxes.items() if vid not in (arrow.source, arrow.target)]
    route = [tuple(point) for point in points]
    for _ in range(4):  # a detour can meet another box; a few rounds settle it
        detoured = [route[0]]
        for p, q in zip(route, route[1:], strict=False):
            hit = next((rect for rect in others if _segment_hits(p, q, rect)), None)
            if hit:
                detoured += _detour(p, q, hit)
            detoured.append(q)
        if detoured == route:
            break
        route = detoured
    return route


def _detour(p, q, rect: Rect) -> list[tuple[float, float]]:
    """Two points that take the segment p-q around rect: beside it for a steep segment, over
    or under it for a flat one (an arrow to a box in the same layer runs nearly level, and a
    detour beside the box would cross it again)."""
    x, y, w, h = rect
    if abs(q[0] - p[0]) > abs(q[1] - p[1]):
        t = (x + w / 2 - p[0]) / ((q[0] - p[0]) or 1e-6)
        mid_y = p[1] + (q[1] - p[1]) * min(max(t, 0), 1)
        level = y - DETOUR_GAP if mid_y < y + h / 2 else y + h + DETOUR_GAP
        first, second = (x + w + DETOUR_GAP, x - DETOUR_GAP)
        if q[0] > p[0]:
            first, second = second, first
        return [(first, level), (second, level)]
    # Pass on the side nearer to where the segment meets the box's middle.
    t = (y + h / 2 - p[1]) / ((q[1] - p[1]) or 1e-6)
    mid_x = p[0] + (q[0] - p[0]) * min(max(t, 0), 1)
    side = x - DETOUR_GAP if mid_x < x + w / 2 else x + w + DETOUR_GAP
    return [(side, y - DETOUR_GAP), (side, y + h + DETOUR_GAP)]


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _point_along(points, fraction: float) -> tuple[float, float]:
    lengths = [
        ((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2) ** 0.5
        for p, q in zip(points, points[1:], strict=False)
    ]
    goal = sum(lengths) * fraction
    for (p, q), length in zip(zip(points, points[1:], strict=False), lengths, strict=True):
        if goal <= length and length:
            t = goal / length
            return p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        goal -= length
    return points[-1]


LABEL_POSITIONS = (0.3, 0.45, 0.2, 0.6, 0.15, 0.75, 0.1, 0.85, 0.38, 0.52, 0.25, 0.68)


def _place_labels(edges, boxes: dict[str, Rect]) -> list[Rect]:
    """A spot for each edge's label along its line, clear of every box and other label."""
    placed: list[Rect] = []
    for edge in edges:
        width = len(edge.data.label) * LABEL_CHAR_WIDTH + 2 * LABEL_PADDING
        height = LABEL_FONT_SIZE + 2 * LABEL_PADDING + 1
        candidates = []
        for fraction in LABEL_POSITIONS:
            cx, cy = _point_along(edge.view.points, fraction)
            candidates.append((cx - width / 2, cy - height / 2, width, height))
        clear = next(
            (
                rect
                for rect in candidates
                if not any(_overlaps(rect, box) for box in boxes.values())
                and not any(_overlaps(rect, other) for other in placed)
            ),
            candidates[0],
        )
        placed.append(clear)
    return placed


def _bounds(vertices, edges, labels: list[Rect]) -> tuple[float, float, float, float]:
    """The box around every vertex, routed edge point and label, with a margin."""
    xs, ys = [], []
    for x, y, w, h in labels:
        xs += [x, x + w]
        ys += [y, y + h]
    for vertex in vertices:
        (x, y), half_h = vertex.view.xy, vertex.view.h / 2
        xs += [x - BOX_WIDTH / 2, x + BOX_WIDTH / 2]
        ys += [y - half_h, y + half_h]
    for edge in edges:
        xs += [x for x, _ in edge.view.points]
        ys += [y for _, y in edge.view.points]
    min_x, min_y = min(xs) - MARGIN, min(ys) - MARGIN
    return min_x, min_y, max(xs) + MARGIN - min_x, max(ys) + MARGIN - min_y


def _path_summary(definition: Definition, result: Result | None) -> str:
    if not result or not result.path:
        return ""
    answers = "; ".join(f"{step.node_label}: {step.option_label}" for step in result.path)
    end = definition.outcomes[result.outcome].label if result.outcome else "in progress"
    return escape(f". Path taken: {answers}; verdict: {end}.")


def _edge_svg(arrow: _Arrow, points, label: Rect, on_path: bool) -> str:
    color = COLORS["edge_on_path"] if on_path else COLORS["edge"]
    stroke_width = 2.5 if on_path else 1.2
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    (x1, y1), (x2, y2) = points[-2], points[-1]
    head = _arrow_head(x1, y1, x2, y2)
    lx, ly, lw, lh = label
    # A box behind the label, not a stroke halo: WeasyPrint ignores paint-order and would
    # paint the halo over the text.
    return (
        f'<g class="edge{" on-path" if on_path else ""}" data-from="{_attr(arrow.source)}" '
        f'data-to="{_attr(arrow.target)}" data-on-path="{"true" if on_path else "false"}">'
        f'<polyline points="{coords}" fill="none" stroke="{color}" '
        f'stroke-width="{stroke_width}"/>'
        f'<polygon points="{head}" fill="{color}"/>'
        f'<rect class="edge-label-box" x="{lx:.1f}" y="{ly:.1f}" width="{lw:.1f}" '
        f'height="{lh:.1f}" rx="3" fill="#ffffff" stroke="{color}" stroke-width="0.6"/>'
        f'<text x="{lx + lw / 2:.1f}" y="{ly + lh / 2 + LABEL_FONT_SIZE * 0.35:.1f}" '
        f'text-anchor="middle" font-size="{LABEL_FONT_SIZE}" '
        f'fill="{COLORS["edge_text"]}">{escape(arrow.label)}</text>'
        f"</g>"
    )


def _arrow_head(x1: float, y1: float, x2: float, y2: float, size: float = 7.0) -> str:
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-6)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * size, y2 - uy * size
    left = (bx - uy * size / 2, by + ux * size / 2)
    right = (bx + uy * size / 2, by - ux * size / 2)
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in ((x2, y2), left, right))


def _box_svg(vertex_id, label, centre, height, *, is_outcome: bool, on_path: bool) -> str:
    kind = ("outcome" if is_outcome else "node") + ("_on_path" if on_path else "")
    fill, stroke, text_color = COLORS[kind]
    cx, cy = centre
    x, y = cx - BOX_WIDTH / 2, cy - height / 2
    lines = _lines(label)
    first_baseline = cy - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
    tspans = "".join(
        f'<tspan x="{cx:.1f}" y="{first_baseline + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    css_class = "outcome" if is_outcome else "node"
    weight = "bold" if is_outcome else "normal"
    return (
        f'<g class="{css_class}{" on-path" if on_path else ""}" data-id="{_attr(vertex_id)}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{height:.1f}" '
        f'rx="{12 if is_outcome else 4}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{2.5 if on_path else 1.2}"/>'
        f'<text text-anchor="middle" fill="{text_color}" font-weight="{weight}">{tspans}</text>'
        f"</g>"
    )
