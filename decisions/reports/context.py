"""What the report shows, for the page, the shared page and the PDF alike.

Everything comes from the saved decision (its snapshot, explanation and examples), never from
the live flowchart definition: a saved report reads the same forever.
"""

from __future__ import annotations

import re

from decisions.evidence.imports.parse import title_from
from decisions.evidence.readiness import readiness
from decisions.evidence.trials.chart import trials_chart_svg
from decisions.records.models import Decision, ReviewStatus
from decisions.records.services import project_context
from decisions.reports.chart import bar_chart_svg
from decisions.reports.models import ReportScope

EXCERPT_CHARS = 280
# A PDF shows at most this much of each long text a user wrote (an example's texts, an answer's
# note), so one never fills a page and stakeholders read a gist, not a transcript.
# WeasyPrint's time grows with the square of one text's length (4,000 characters of CJK took
# 44 s); the app keeps the full text.
PDF_TEXT_CHARS = 1_000
# The feature's description shares page one with the verdict: a few lines of it, so the
# summary stays one page (a 5,000-character description took 260 s and spilled over).
PDF_DESCRIPTION_CHARS = 400
EXAMPLE_TEXTS = [
    ("input_text", "Input"),
    ("bad_output", "Bad output"),
    ("expected_output", "Expected output"),
]


def report_context(
    decision: Decision, *, for_pdf: bool = False, scope: ReportScope = ReportScope.EXAMPLES
) -> dict:
    """The report's context, holding only what `scope` carries: what a copy leaves out is
    never handed to the template, so no template slip can show it."""
    snapshot = decision.snapshot
    explanation = decision.explanation
    outcome = snapshot["outcome"]
    labels = snapshot["labels"]
    # "Why we ask" per question on the path, saved with 2027.02 decisions (none before).
    rationales = {
        item["node"]: item["rationale"]
        for item in (snapshot.get("report_rules") or {}).get("why", ())
    }
    failure_rows = [
        (labels["failure_types_short"].get(type_id, type_id), count)
        for type_id, count in explanation["evidence"]["failure_counts"].items()
    ]
    return {
        "decision": decision,
        "project": decision.project,
        "outcome": outcome,
        "flowchart": snapshot["flowchart"],
        "explanation": explanation,
        "superseded_by": decision.superseded_by(),
        "review_status": review_status(decision),
        "scope": scope,
        "steps": [
            step_row(
                step,
                decision.notes.get(step["node"], ""),
                for_pdf=for_pdf,
                rationale=rationales.get(step["node"], ""),
            )
            for step in explanation["path"]
        ]
        if scope.has_details
        else [],
        # Snapshot format 1 grouped what would change the verdict by question; format 2 lists
        # the answers that change the verdict first, then those that only ask more.
        "changes": snapshot.get("changes", []),
        "verdict_changes": snapshot.get("verdict_changes", []),
        "more_questions": snapshot.get("more_questions", []),
        "path_view": snapshot.get("path_view", []),
        # As the evidence stood when the decision was saved.
        "readiness": readiness(
            training_count(explanation["evidence"]), snapshot.get("vendor_facts")
        ),
        **saved_trials(explanation["evidence"]),
        "chart_svg": bar_chart_svg(failure_rows, title="Failed examples per failure type"),
        "examples": [
            example_row(example, labels, for_pdf=for_pdf, with_text=scope.has_example_text)
            for example in decision.examples
        ]
        if scope.has_examples
        else [],
        # The verdict first, then the alternatives in the flowchart's order.
        "comparison": [outcome, *snapshot["alternatives"]],
        "summary": executive_summary(decision, explanation, snapshot, scope=scope, for_pdf=for_pdf),
        # On paper, a chart of the size 2027.02 draws also comes in four parts (older
        # versions' charts read well whole and keep their PDF as it was).
        "diagram_parts": (
            diagram_parts(decision.diagram_svg)
            if for_pdf and scope.has_details and "report_rules" in snapshot
            else []
        ),
    }


DIAGRAM_ROOT = re.compile(
    r'viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)" width="[^"]+" height="[^"]+"'
)
# Each part overlaps its neighbours a little, so a box cut at the seam is whole in one of them.
PART_OVERLAP = 0.06
PART_NAMES = ("top left", "top right", "bottom left", "bottom right")


def diagram_parts(svg: str) -> list[dict]:
    """The chart's four quarters, each the same drawing with a narrower viewBox."""
    match = DIAGRAM_ROOT.search(svg)
    if match is None:
        return []
    width, height = float(match[1]), float(match[2])
    part_w, part_h = width * (0.5 + PART_OVERLAP), height * (0.5 + PART_OVERLAP)
    parts = []
    for index, (x, y) in enumerate(
        ((0, 0), (width - part_w, 0), (0, height - part_h), (width - part_w, height - part_h))
    ):
        box = f'viewBox="{x:.0f} {y:.0f} {part_w:.0f} {part_h:.0f}" '
        box += f'width="{part_w:.0f}" height="{part_h:.0f}"'
        # Ids stay unique in the document: the whole chart above keeps the originals.
        text = svg.replace('id="', f'id="part{index}-').replace("url(#", f"url(#part{index}-")
        text = text.replace('aria-labelledby="', f'aria-labelledby="part{index}-')
        parts.append({"where": PART_NAMES[index], "svg": DIAGRAM_ROOT.sub(box, text, count=1)})
    return parts


def step_row(step: dict, note: str, *, for_pdf: bool, rationale: str = "") -> dict:
    """A question on the path with its answer, the note given with it and why it is asked."""
    note, clipped = clip(note, PDF_TEXT_CHARS if for_pdf else None)
    return {**step, "note": note, "note_clipped": clipped, "rationale": rationale}


SUMMARY_STEPS = 3


def executive_summary(
    decision: Decision, explanation: dict, snapshot: dict, *, scope: ReportScope, for_pdf: bool
) -> dict:
    """Page one: what the feature is, the verdict and why in a line, how sure, what it costs
    beside the next-best path, the first steps. Everything else follows as detail; a copy of
    the summary alone lists every step, since no later section will."""
    warnings = sorted(explanation["warnings"], key=lambda w: not w["lowers_confidence"])
    path = explanation["path"]
    steps = explanation["next_steps"]
    shown = SUMMARY_STEPS if scope.has_details else len(steps)
    # Revisions saved before the context was kept show the project as it is today.
    context = decision.context or project_context(decision.project)
    description, clipped = clip(
        context.get("description", ""), PDF_DESCRIPTION_CHARS if for_pdf else None
    )
    rules = snapshot.get("report_rules")
    return {
        "context": context,
        "description": description,
        "description_clipped": clipped,
        "context_is_today": not decision.context,
        "deciding_step": path[-1] if path else None,
        # 2027.02 on: the answer that decided it, with why the question is asked, the nearest
        # alternative and the experiment, as saved; older revisions keep their summary.
        "rules": rules,
        "top_warning": warnings[0] if warnings else None,
        "more_warnings": len(warnings) - 1 if warnings else 0,
        "next_best": (
            nearest_alternative(rules, snapshot["alternatives"])
            if rules
            else next_best(explanation["counterfactuals"], snapshot["alternatives"])
        ),
        "next_steps": steps[:shown],
        "more_steps": max(len(steps) - shown, 0),
    }


def nearest_alternative(rules: dict, alternatives: list) -> dict | None:
    """The effort row of the report rules' nearest alternative (None when there is none)."""
    nearest = rules["nearest"]
    if not nearest:
        return None
    return next((row for row in alternatives if row["id"] == nearest["outcome"]), None)


def next_best(counterfactuals: list, alternatives: list) -> dict | None:
    """The verdict one different answer on the path would give: the nearest alternative."""
    by_id = {alternative["id"]: alternative for alternative in alternatives}
    for item in counterfactuals:
        if item.get("outcome") in by_id:
            return by_id[item["outcome"]]
    return None


def saved_trials(evidence: dict) -> dict:
    """The trials and pass mark saved with the decision, with their chart."""
    trials = evidence.get("trials", [])
    pass_mark = evidence.get("pass_mark", 0.8)
    rows = [{**trial, "meets": trial["passed"] >= pass_mark * trial["cases"]} for trial in trials]
    title = f"Pass rate per prompt revision, with 95% intervals; pass mark {pass_mark:.0%}"
    return {
        "trials": rows,
        "pass_mark_percent": round(pass_mark * 100),
        "trials_chart": trials_chart_svg(trials, pass_mark, title=title),
        "trials_measured_cost": any(
            "cost_per_1k" in trial or "p95_latency_ms" in trial for trial in trials
        ),
        "test_set": evidence.get("test_set"),
        "group_results": evidence.get("groups", []),
        "last_comparison": evidence.get("last_comparison"),
    }


def training_count(evidence: dict) -> int:
    """What a training file could hold when the decision was saved: outside the test set once
    there is one, every example with an expected output before."""
    test_set = evidence.get("test_set")
    return test_set["training"] if test_set else evidence.get("with_expected_output", 0)


def review_status(decision: Decision) -> dict:
    """Where the revision stands in review, for the report's header: "Accepted by … on …"."""
    review = getattr(decision, "review", None)
    status = review.status if review else ReviewStatus.DRAFT
    last = decision.review_events.filter(to_status=status).select_related("by").last()
    return {
        "status": status,
        "label": ReviewStatus(status).label,
        "by": last.by.username if last and last.by else "",
        "at": last.at if last else None,
    }


def example_row(
    example: dict, labels: dict, *, for_pdf: bool = False, with_text: bool = True
) -> dict:
    """One example for the appendix; without its text, only what describes it stays."""
    failure_types, techniques = labels["failure_types"], labels["techniques"]
    row = {
        "title": example["title"] if with_text else title_without_text(example),
        "iterations": example["iterations"],
        "failure_label": failure_types.get(example["failure_type"], example["failure_type"]),
        "technique_labels": [techniques.get(t, t) for t in example["techniques_tried"]],
        "excerpt": "",
        "texts": [],
    }
    if with_text:
        row["excerpt"] = excerpt(example["bad_output"])
        row["texts"] = [
            example_text(label, example[field], limit=PDF_TEXT_CHARS if for_pdf else None)
            for field, label in EXAMPLE_TEXTS
            if example[field]
        ]
    return row


TITLE_LEFT_OUT = "Title left out: it was taken from the input"


def title_without_text(example: dict) -> str:
    """A title an import took from the input is the input's text (an e-mail address, a card
    number), so it goes with the text. Revisions saved before titles were marked are matched
    on the text itself."""
    derived = example.get("title_derived")
    if derived is None:
        derived = bool(example["input_text"].strip()) and example["title"] == title_from(
            example["input_text"]
        )
    return TITLE_LEFT_OUT if derived else example["title"]


def example_text(label: str, text: str, *, limit: int | None) -> dict:
    """One text of an example, clipped to `limit` characters with a note that says so."""
    text, clipped = clip(text, limit)
    return {"label": label, "text": text, "clipped": clipped}


def clip(text: str, limit: int | None) -> tuple[str, str]:
    """`text` cut to `limit` characters, and the note that says so ("" when it is whole)."""
    if limit is None or len(text) <= limit:
        return text, ""
    note = f"Clipped at {limit:,} of {len(text):,} characters: the full text is in the app."
    return text[:limit].rstrip() + "…", note


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
