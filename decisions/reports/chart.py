"""Failures per type as a horizontal bar chart: server-side SVG, no JavaScript.

Like the flowchart diagram it uses presentation attributes only (no style attribute, which
our CSP forbids) and system fonts, so it renders in the page and in WeasyPrint as vectors.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
LABEL_WIDTH = 160
BAR_WIDTH = 260
ROW_HEIGHT = 26
BAR_HEIGHT = 16
COUNT_WIDTH = 40


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str) -> str:
    """rows: (label, count) pairs, drawn in the given order."""
    largest = max((count for _, count in rows), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="bar-chart" role="img" '
        f'aria-labelledby="bar-chart-title" font-family="{FONT}" font-size="12">',
        f'<title id="bar-chart-title">{escape(title)}: '
        + escape("; ".join(f"{label}: {count}" for label, count in rows))
        + "</title>",
    ]
    for index, (label, count) in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        bar = BAR_WIDTH * count / largest
        parts.append(
            f'<g class="bar" data-count="{count}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end" '
            f'fill="#212529">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{BAR_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="#e9ecef" rx="3"/>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{bar:.1f}" '
            f'height="{BAR_HEIGHT}" fill="#0d6efd" rx="3"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{middle + 4:.1f}" fill="#212529" '
            f'font-weight="bold">{count}</text>'
            f"</g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
