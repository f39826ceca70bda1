"""Whether a project's latest decision still stands: evidence or flowchart moved on since."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max

from decisions.evidence.aggregate import project_evidence
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import current_version, get_definition
from decisions.records.models import Decision


@dataclass(frozen=True)
class Staleness:
    reasons: list[str] = field(default_factory=list)
    # Evidence warnings the current examples would fire, or clear, on the same answers.
    would_fire: list[str] = field(default_factory=list)
    would_clear: list[str] = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        return bool(self.reasons)


def staleness(decision: Decision) -> Staleness:
    """Why a re-run is suggested (nothing when none is)."""
    project = decision.project
    reasons = []
    examples = project.examples.aggregate(count=Count("pk"), changed=Max("updated_at"))
    saved_count = len(decision.examples)
    if examples["count"] != saved_count:
        reasons.append(
            f"The project now has {examples['count']} failed example"
            f"{'s' if examples['count'] != 1 else ''}; this revision was made with {saved_count}."
        )
    elif examples["changed"] and examples["changed"] > decision.created_at:
        reasons.append("Failed examples were edited after this revision was made.")
    newer = current_version()
    if decision.flowchart_version != newer:
        reasons.append(
            f"Flowchart {newer} is newer than the {decision.flowchart_version} this revision used."
        )
    if not reasons:
        return Staleness()
    definition = get_definition(decision.flowchart_version)
    now = explain(definition, decision.answers, project_evidence(project, definition.vocabulary))
    before = {w["code"]: w["message"] for w in decision.explanation["warnings"]}
    after = {w.code: w.message for w in now.warnings}
    return Staleness(
        reasons=reasons,
        would_fire=[message for code, message in after.items() if code not in before],
        would_clear=[message for code, message in before.items() if code not in after],
    )
