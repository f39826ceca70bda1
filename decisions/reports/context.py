"""What the report shows, for the page, the shared page and the PDF alike."""

from __future__ import annotations

from decisions.projects.vocabulary import (
    FAILURE_TYPE_LABELS,
    FAILURE_TYPE_SHORT_LABELS,
    TECHNIQUE_LABELS,
)
from decisions.records.models import Decision
from decisions.reports.chart import bar_chart_svg

EXCERPT_CHARS = 280


def report_context(decision: Decision) -> dict:
    definition = decision.definition()
    explanation = decision.explanation
    outcome = definition.outcomes[decision.outcome]
    failure_rows = [
        (FAILURE_TYPE_SHORT_LABELS[type_id], count)
        for type_id, count in explanation["evidence"]["failure_counts"].items()
    ]
    return {
        "decision": decision,
        "project": decision.project,
        "definition": definition,
        "outcome": outcome,
        "explanation": explanation,
        "superseded_by": decision.superseded_by(),
        "steps": [
            {**step, "note": decision.notes.get(step["node"], "")} for step in explanation["path"]
        ],
        "changes": counterfactual_groups(definition, explanation["counterfactuals"]),
        "chart_svg": bar_chart_svg(failure_rows, title="Failed examples per failure type"),
        "examples": [example_row(example) for example in decision.examples],
        # The verdict first, then the alternatives in the flowchart's order.
        "comparison": [outcome]
        + [other for other in definition.outcomes.values() if other.id != outcome.id],
    }


def example_row(example: dict) -> dict:
    return {
        **example,
        "failure_label": FAILURE_TYPE_LABELS.get(example["failure_type"], example["failure_type"]),
        "technique_labels": [TECHNIQUE_LABELS.get(t, t) for t in example["techniques_tried"]],
        "excerpt": excerpt(example["bad_output"]),
    }


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def counterfactual_groups(definition, counterfactuals: list[dict]) -> list[dict]:
    """The saved counterfactuals grouped by question, in short words."""
    groups: dict[str, dict] = {}
    for item in counterfactuals:
        node = definition.nodes[item["node"]]
        group = groups.setdefault(node.id, {"question": node.question, "items": []})
        if item["outcome"]:
            result = definition.outcomes[item["outcome"]].verdict
        else:
            result = "one more question: " + definition.nodes[item["next_node"]].question
        group["items"].append(
            {
                "answer": node.option(item["option"]).label,
                "result": result,
                "is_verdict": bool(item["outcome"]),
            }
        )
    return list(groups.values())
