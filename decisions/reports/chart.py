"""Failures per type as a horizontal bar chart: server-side SVG, no JavaScript.

Like the flowchart diagram it uses presentation attributes only (no style attribute, which
our CSP forbids) and system fonts, so it renders in the page and in WeasyPrint as vectors.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
LABEL_WIDTH = 170
BAR_WIDTH = 260
ROW_HEIGHT = 26
BAR_HEIGHT = 16
COUNT_WIDTH = 40


def bar_chart_svg(
    rows: list[tuple[str, int]], *, title: str, chart_id: str = "bar-chart", unit: str = ""
) -> str:
    """rows: (label, count) pairs, drawn in the given order. `chart_id` tells several charts
    on one page apart; `unit` follows each number ("12 d")."""
    largest = max((count for _, count in rows), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="bar-chart" role="img" '
        f'aria-labelledby="{chart_id}-title" font-family="{FONT}" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}: '
        + escape("; ".join(f"{label}: {count}{unit}" for label, count in rows))
        + "</title>",
    ]
    for index, (label, count) in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        bar = BAR_WIDTH * count / largest
        parts.append(
            f'<g class="bar" data-count="{count}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end" '
            f'fill="#212529">{escape(short_label(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{BAR_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="#e9ecef" rx="3"/>'
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{bar:.1f}" '
            f'height="{BAR_HEIGHT}" fill="#0d6efd" rx="3"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{middle + 4:.1f}" fill="#212529" '
            f'font-weight="bold">{count}{escape(unit)}</text>'
            f"</g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


LABEL_CHARS = 22


def short_label(label: str) -> str:
    """Fits the label column; the table beside every chart has the full name."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


# Colour-blind-safe (Okabe–Ito), then greys for any series beyond.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
           "#000000", "#999999", "#666666", "#bbbbbb"]  # fmt: skip
COLUMN_WIDTH = 44
PLOT_HEIGHT = 160
TOP = 18  # room above the tallest column for its total


def stacked_columns_svg(
    columns: list[str], series: list[tuple[str, list[int]]], *, title: str, chart_id: str
) -> str:
    """One column per period, stacked by series (label, one count per column), with a legend.
    Colours follow the series' order, so the same series keeps its colour across pages."""
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    largest = max(totals, default=0) or 1
    legend_rows = (len(series) + 1) // 2
    width = max(60 + COLUMN_WIDTH * len(columns), 420)
    height = TOP + PLOT_HEIGHT + 40 + legend_rows * 18
    summary = "; ".join(
        f"{column}: " + ", ".join(f"{label} {values[i]}" for label, values in series if values[i])
        for i, column in enumerate(columns)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="stacked-chart" role="img" '
        f'aria-labelledby="{chart_id}-title" font-family="{FONT}" font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}: {escape(summary)}</title>',
        f'<line x1="30" x2="{width - 10}" y1="{TOP + PLOT_HEIGHT}" y2="{TOP + PLOT_HEIGHT}" '
        'stroke="#adb5bd"/>',
    ]
    for i, column in enumerate(columns):
        x = 40 + i * COLUMN_WIDTH
        bottom = TOP + PLOT_HEIGHT
        for index, (label, values) in enumerate(series):
            if not values[i]:
                continue
            bar = PLOT_HEIGHT * values[i] / largest
            bottom -= bar
            parts.append(
                f'<rect x="{x}" y="{bottom:.1f}" width="{COLUMN_WIDTH - 12}" height="{bar:.1f}" '
                f'fill="{PALETTE[index % len(PALETTE)]}"><title>{escape(column)}, '
                f"{escape(label)}: {values[i]}</title></rect>"
            )
        parts.append(
            f'<text x="{x + (COLUMN_WIDTH - 12) / 2}" y="{bottom - 4:.1f}" text-anchor="middle" '
            f'font-weight="bold" fill="#212529">{totals[i]}</text>'
            f'<text x="{x + (COLUMN_WIDTH - 12) / 2}" y="{TOP + PLOT_HEIGHT + 14}" '
            f'text-anchor="middle" fill="#495057">{escape(column)}</text>'
        )
    for index, (label, _) in enumerate(series):
        x = 10 + (index % 2) * (width // 2)
        y = TOP + PLOT_HEIGHT + 34 + (index // 2) * 18
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y}" fill="#212529">{escape(short_label(label))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
