"""Pass rate per prompt revision with its 95% Wilson interval and the pass mark, as SVG.

Drawn on the server from plain dicts (`Trial.to_dict()`), so the project page, a saved
decision's report and its PDF draw the same picture; models are told apart by colour and shape,
named in a legend. Colours are attributes, not styles: the CSP allows no inline style.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from decisions.evidence.aggregate import project_trials

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 100, 16, 64
PALETTE = ("#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997")
SHAPES = ("circle", "square", "diamond", "triangle", "circle", "square")


# A revision better or worse than the one before on the same cases (McNemar, below 0.05).
VERDICT_MARKS = {"better": ("▲ better", "#198754"), "worse": ("▼ worse", "#dc3545")}


def trials_chart_svg(
    trials: Sequence[Mapping],
    pass_mark: float,
    *,
    title: str,
    verdicts: Sequence[str | None] = (),
) -> str:
    """`verdicts`, one per trial where known: how it compares with the revision before it."""
    if not trials:
        return ""
    models = list(dict.fromkeys(t["model"] for t in trials))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(trials)

    def y(rate: float) -> float:
        return TOP + plot_h * (1 - rate)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="trials-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#6c757d">{tick * 100:.0f}%</text>'
        )
    mark_y = y(pass_mark)
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{mark_y:.1f}" y2="{mark_y:.1f}" '
        'stroke="#dc3545" stroke-width="1.5" stroke-dasharray="6 4"/>'
        # In the right margin, where no trial's point can sit on it.
        f'<text x="{WIDTH - RIGHT + 6}" y="{mark_y + 4:.1f}" font-size="11" '
        f'fill="#dc3545">pass mark {pass_mark * 100:.0f}%</text>'
    )
    for index, trial in enumerate(trials):
        x = LEFT + step * (index + 0.5)
        colour = PALETTE[models.index(trial["model"]) % len(PALETTE)]
        shape = SHAPES[models.index(trial["model"]) % len(SHAPES)]
        rate = trial["passed"] / trial["cases"] if trial["cases"] else 0
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(trial["high"]):.1f}" '
            f'y2="{y(trial["low"]):.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{x - 5:.1f}" x2="{x + 5:.1f}" y1="{y(trial["high"]):.1f}" '
            f'y2="{y(trial["high"]):.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{x - 5:.1f}" x2="{x + 5:.1f}" y1="{y(trial["low"]):.1f}" '
            f'y2="{y(trial["low"]):.1f}" stroke="{colour}" stroke-width="2"/>'
            + _marker(shape, x, y(rate), colour)
            + f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="#212529">{escape(_short(trial["label"]))}</text>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 30}" text-anchor="middle" '
            f'font-size="10" fill="#6c757d">{trial["passed"]}/{trial["cases"]}</text>'
        )
        verdict = verdicts[index] if index < len(verdicts) else None
        if verdict in VERDICT_MARKS:
            text, colour = VERDICT_MARKS[verdict]
            parts.append(
                f'<text x="{x:.1f}" y="{y(trial["high"]) - 6:.1f}" text-anchor="middle" '
                f'font-size="10" fill="{colour}" data-verdict="{verdict}">{text}</text>'
            )
    parts.append(_legend(models))
    parts.append("</svg>")
    return "".join(parts)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} '
            f'{x - 6:.1f},{y:.1f}" fill="{colour}"/>'
        )
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} '
            f'{x - 6:.1f},{y + 5:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'


def _legend(models: Sequence[str]) -> str:
    parts = []
    x = LEFT
    for index, model in enumerate(models):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(_marker(SHAPES[index % len(SHAPES)], x + 5, HEIGHT - 12, colour))
        name = _short(model, 28)
        parts.append(
            f'<text x="{x + 14}" y="{HEIGHT - 8}" font-size="11" fill="#212529">'
            f"{escape(name)}</text>"
        )
        x += 24 + 7 * len(name)
    return "".join(parts)


def _short(text: str, limit: int = 14) -> str:
    """Chart labels only: the table beside the chart carries the full text."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def trials_chart_for(
    project, trials: Sequence[Mapping] | None = None, verdicts: Sequence[str | None] = ()
) -> str:
    """The chart of a project's trials as they stand now, against its pass mark; `trials`
    (as `Trial.to_dict()`) when the caller already has them."""
    if trials is None:
        trials = [trial.to_dict() for trial in project_trials(project)]
    title = f"Pass rate per prompt revision, with 95% intervals; pass mark {project.pass_mark}%"
    return trials_chart_svg(trials, project.pass_mark / 100, title=title, verdicts=verdicts)
