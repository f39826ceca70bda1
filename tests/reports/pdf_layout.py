"""Reads a laid-out PDF report page by page, for the faults a reader sees on paper.

WeasyPrint's own layout (its boxes, with their page and position) is the one the PDF is drawn
from, so what is found here is what the pages show.
"""

from __future__ import annotations

from collections import defaultdict

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from decisions.reports.weasy import PDF_BASE_URL, StaticFilesOnlyFetcher

HEADINGS = {"h1", "h2", "h3", "h4"}
# Less than this much below a heading, before the page ends, leaves it alone: a section's
# one-line introduction is not the section. About two lines of body text, in CSS pixels.
MIN_BELOW = 32
# A page that starts no section and whose text and images fill less than this share of its
# height is near-empty: a reader turns a page for the last line or two of what came before
# (a verdict alone before the diagram, say). A short page that opens a section is not.
MIN_FILL = 0.15


def render(html: str):
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).render()


def layout_problems(html_or_document) -> list[str]:
    """Lone headings at a page's foot, tables split to leave one row alone, footers that wrap,
    near-empty pages. Takes the HTML, or a document already rendered from it."""
    document = render(html_or_document) if isinstance(html_or_document, str) else html_or_document
    problems: list[str] = []
    table_parts: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    pages = [page._page_box for page in document.pages]
    for number, page_box in enumerate(pages, 1):
        for margin in (c for c in page_box.children if isinstance(c, boxes.MarginBox)):
            lines = [d for d in margin.descendants() if isinstance(d, boxes.LineBox)]
            if len(lines) > 1:
                problems.append(f"page {number}: the footer wraps onto {len(lines)} lines")
        flow = [c for c in page_box.children if not isinstance(c, boxes.MarginBox)]
        fill = page_fill(page_box, flow)
        if fill < MIN_FILL and not _starts_section(flow):
            problems.append(f"page {number}: near-empty, {fill:.0%} of it filled")
        if number < len(pages):
            continues = {id(box.element) for box in pages[number].descendants()}
            problems += [f"page {number}: {p}" for p in _lone_headings(flow, continues)]
        for table, units in _table_units(flow):
            table_parts[id(table.element)].append((number, units, _text(table.element)[:40]))
    for parts in table_parts.values():
        if len(parts) > 1:
            for number, units, name in parts:
                if units == 1:
                    problems.append(f"page {number}: one row alone of the table “{name}”")
    return problems


def page_count(html: str) -> int:
    return len(render(html).pages)


def page_fill(page_box, flow: list) -> float:
    """How far down the page its text and images reach, from 0 (blank) to 1 (full)."""
    top = page_box.content_box_y()
    bottoms = [
        box.position_y + box.margin_height()
        for root in flow
        for box in root.descendants()
        if _is_content(box)
    ]
    return (max(bottoms, default=top) - top) / page_box.height


def _lone_headings(flow: list, continues: set[int]) -> list[str]:
    """Headings with less than MIN_BELOW of their section under them on this page, when the
    section goes on over the page (`continues`: the elements the next page draws)."""
    headings, content = [], []
    for root in flow:
        for parent in _parents(root):
            for box in parent.children:
                if box.element_tag in HEADINGS and isinstance(box, boxes.BlockBox):
                    headings.append((box, parent))
        content += [box for box in root.descendants() if _is_content(box)]
    problems = []
    for heading, section in headings:
        if id(section.element) not in continues:
            continue
        bottom = heading.position_y + heading.margin_height()
        inside = {id(d) for d in heading.descendants()}
        below = [
            box.position_y + box.margin_height() - bottom
            for box in content
            if id(box) not in inside and box.position_y >= bottom - 1
        ]
        if max(below, default=0) < MIN_BELOW:
            problems.append(f"the heading “{_text(heading.element)}” ends the page")
    return problems


def _starts_section(flow: list) -> bool:
    return any(box.element_tag in HEADINGS for root in flow for box in root.descendants())


def _parents(root):
    return (box for box in root.descendants() if isinstance(box, boxes.ParentBox))


def _is_content(box) -> bool:
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    return isinstance(box, boxes.ReplacedBox)


def _table_units(flow: list):
    """Each table's share of this page, in rows; an example's text row is part of its title
    row's unit, not a row of its own."""
    for root in flow:
        for box in root.descendants():
            if isinstance(box, boxes.TableBox):
                rows = [
                    row
                    for group in box.children
                    if isinstance(group, boxes.TableRowGroupBox) and not group.is_header
                    for row in group.children
                ]
                yield box, sum(1 for row in rows if "example-detail" not in _classes(row))


def _classes(box) -> str:
    return box.element.get("class", "") if box.element is not None else ""


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())
