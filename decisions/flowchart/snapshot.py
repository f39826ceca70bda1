"""What a saved decision's report shows, copied out of its definition at save time.

A decision is a self-contained record: its report, shared page and PDF render from this
snapshot, never from the live definition, so polishing a definition's wording cannot change an
old report (nor make it disagree with a PDF rendered before the change).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from decisions.flowchart.definition import Definition, Outcome, VendorFact

# Bump when the snapshot's shape changes, so readers can tell old snapshots apart. Format 1
# kept "changes" grouped by question; format 2 keeps "verdict_changes" and "more_questions".
SNAPSHOT_FORMAT = 2


def report_snapshot(
    definition: Definition, explanation: Mapping, *, labels: Mapping[str, Mapping[str, str]]
) -> dict:
    """The report's content for a complete explanation (`Explanation.to_dict()`).

    `labels` holds the vocabulary's display names ("failure_types", "failure_types_short",
    "techniques"), which belong to the app, not to the flowchart package.
    """
    outcome = definition.outcomes[explanation["outcome"]]
    return {
        "format": SNAPSHOT_FORMAT,
        "flowchart": {
            "version": definition.version,
            "title": definition.title,
            "hash": definition.content_hash,
            "sources": [{"title": s.title, "note": s.note} for s in definition.sources],
        },
        "outcome": {
            **effort_row(outcome),
            "verdict": outcome.verdict,
            "kind": outcome.kind,
            "analogy": outcome.analogy,
            "risks": list(outcome.risks),
        },
        # The alternatives in the flowchart's order, for the effort and cost comparison.
        "alternatives": [
            effort_row(other) for other in definition.outcomes.values() if other.id != outcome.id
        ],
        **what_would_change(definition, explanation["counterfactuals"]),
        "path_view": path_view(definition, explanation["path"]),
        "labels": {name: dict(mapping) for name, mapping in labels.items()},
        # 2027.02 on: the vendor facts table as checked when the decision was made.
        **(
            {"vendor_facts": [vendor_row(fact) for fact in definition.vendor_facts]}
            if definition.vendor_facts
            else {}
        ),
        # 2027.02 on: what decided the verdict, the nearest alternative, the experiment and
        # why each question was asked, in words. Absent for older versions, whose reports
        # stay as they were.
        **(
            {"report_rules": report_rules_view(definition, explanation)}
            if explanation.get("deciding") is not None or explanation.get("why")
            else {}
        ),
    }


def vendor_row(fact: VendorFact) -> dict:
    return {
        "provider": fact.provider,
        "offering": fact.offering,
        "methods": fact.methods,
        "minimum_examples": fact.minimum_examples,
        "format": fact.format,
        "status": fact.status,
        "deadline": fact.deadline,
        "closes_on": fact.closes_on.isoformat() if fact.closes_on else None,
        "answers": list(fact.answers),
        "checked_on": fact.checked_on.isoformat(),
        "source": fact.source,
    }


def report_rules_view(definition: Definition, explanation: Mapping) -> dict:
    """The report rules as computed when the decision was saved (`ReportRules.to_dict()`, kept
    under "rules"), with the questions, answers, rationales and labels they name written out,
    so the report never reads the definition to show them."""
    rules = {
        key: explanation.get(key)
        for key in ("deciding", "deciding_option", "nearest", "nearest_answer", "experiment", "why")
    }
    return {
        "rules": rules,
        "deciding": answered(definition, rules["deciding"], rules["deciding_option"]),
        "nearest": (
            {
                **answered(
                    definition, rules["nearest_answer"]["node"], rules["nearest_answer"]["option"]
                ),
                "outcome": rules["nearest"],
                "label": definition.outcomes[rules["nearest"]].label,
                "verdict": definition.outcomes[rules["nearest"]].verdict,
            }
            if rules["nearest"] and rules["nearest_answer"]
            else None
        ),
        "experiment": list(rules["experiment"] or ()),
        # Whether the experiment is a run over the test set's cases (its sentences count
        # them), so a promptfoo configuration can run it.
        "runs_on_cases": runs_on_cases(definition, rules),
        "why": [answered(definition, item["node"], item["option"]) for item in rules["why"] or ()],
    }


def runs_on_cases(definition: Definition, rules: Mapping) -> bool:
    answer = rules.get("nearest_answer")
    if not answer or not rules.get("experiment"):
        return False
    templates = definition.experiments.get(answer["node"], {})
    return any("{n}" in template for template in templates.values())


def answered(definition: Definition, node_id: str | None, option_id: str | None) -> dict | None:
    """A question, the answer given and why the flowchart asks it."""
    if node_id is None:
        return None
    node = definition.nodes[node_id]
    option = node.option(option_id)
    return {
        "node": node_id,
        "option": option_id,
        "question": node.question,
        "answer": option.label if option else option_id,
        "rationale": node.rationale or "",
    }


def effort_row(outcome: Outcome) -> dict:
    return {
        "id": outcome.id,
        "label": outcome.label,
        "time": outcome.time,
        "cost": outcome.cost,
        "data": outcome.data,
        "people": outcome.people,
    }


def path_view(definition: Definition, path: Sequence[Mapping]) -> list[dict]:
    """Each question on the path with the answer taken, and where each other answer leads."""
    view = []
    for step in path:
        node = definition.nodes[step["node"]]
        alternatives = [
            {
                "answer": option.label,
                "leads_to": (
                    definition.outcomes[option.next].label
                    if option.next in definition.outcomes
                    else definition.nodes[option.next].label
                ),
                "is_outcome": option.next in definition.outcomes,
            }
            for option in node.options
            if option.id != step["option"]
        ]
        view.append(
            {
                "node": node.id,
                "question": node.question,
                "answer": step["answer"],
                "alternatives": alternatives,
            }
        )
    return view


def what_would_change(definition: Definition, counterfactuals: Sequence[Mapping]) -> dict:
    """First every other answer that changes the verdict, with that verdict; then one line per
    question for the answers that would only lead to more questions."""
    verdict_changes: list[dict] = []
    more: dict[str, dict] = {}
    for item in counterfactuals:
        node = definition.nodes[item["node"]]
        answer = node.option(item["option"]).label
        if item["outcome"]:
            verdict_changes.append(
                {
                    "node": node.id,
                    "question": node.question,
                    "option": item["option"],
                    "answer": answer,
                    "verdict": definition.outcomes[item["outcome"]].verdict,
                }
            )
        else:
            line = more.setdefault(node.id, {"node": node.id, "question": node.question})
            line.setdefault("answers", []).append(answer)
    return {"verdict_changes": verdict_changes, "more_questions": list(more.values())}


def counterfactual_groups(definition: Definition, counterfactuals: Sequence[Mapping]) -> list:
    """Format 1's grouping by question, with labels written out: the data migration of
    decisions saved before format 2 fills their snapshots with it."""
    groups: dict[str, dict] = {}
    for item in counterfactuals:
        node = definition.nodes[item["node"]]
        group = groups.setdefault(
            node.id, {"node": node.id, "question": node.question, "items": []}
        )
        if item["outcome"]:
            result = definition.outcomes[item["outcome"]].verdict
        else:
            result = "one more question: " + definition.nodes[item["next_node"]].question
        group["items"].append(
            {
                "option": item["option"],
                "answer": node.option(item["option"]).label,
                "result": result,
                "is_verdict": bool(item["outcome"]),
            }
        )
    return list(groups.values())


def content_hash(*parts: object) -> str:
    """A stable hash of JSON-serialisable parts: equal content, equal hash."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
