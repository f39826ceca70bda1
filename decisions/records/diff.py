"""What changed between two revisions of a project's decision, read from what each saved."""

from __future__ import annotations

from decisions.records.models import Decision, EventKind, Review

EVIDENCE_COUNTS = [
    ("example_count", "Failed examples"),
    ("with_expected_output", "Examples with an expected output"),
    ("most_iterations", "Most prompt iterations on one example"),
]


def revision_diff(older: Decision, newer: Decision) -> dict:
    """Answers and their notes, verdict, confidence, warnings, evidence counts, flowchart
    version, and where each side stands in review."""
    return {
        "answers": answer_changes(older, newer),
        "notes": note_changes(older, newer),
        "verdict": _changed(
            older.snapshot["outcome"]["verdict"], newer.snapshot["outcome"]["verdict"]
        ),
        "confidence": _changed(older.confidence, newer.confidence),
        "flowchart": _changed(older.flowchart_version, newer.flowchart_version),
        "warnings_fired": _warnings(newer, minus=older),
        "warnings_cleared": _warnings(older, minus=newer),
        "evidence": _evidence(older, newer),
        "review": [review_outcome(older), review_outcome(newer)],
    }


def review_outcome(decision: Decision) -> dict:
    """Where one side stands in review: its status, the last move with who made it and
    their note, and who accepted it."""
    review = Review.objects.filter(decision=decision).first()
    last = (
        decision.review_events.filter(kind=EventKind.MOVE)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    accepted = decision.acceptances.live().select_related("reviewer").order_by("at", "pk")
    return {
        "revision": decision.revision,
        "status": review.get_status_display() if review else "Draft",
        "by": last.by.username if last and last.by else "",
        "note": last.note if last else "",
        "accepted_by": [acceptance.reviewer.username for acceptance in accepted],
    }


def _changed(before, after) -> dict | None:
    return None if before == after else {"before": before, "after": after}


def _path(decision: Decision) -> dict[str, dict]:
    return {step["node"]: step for step in decision.explanation["path"]}


def answer_changes(older: Decision, newer: Decision) -> list[dict]:
    """Every question on either path whose answer differs, in the newer path's order."""
    before, after = _path(older), _path(newer)
    order = list(after) + [node for node in before if node not in after]
    rows = []
    for node in order:
        old, new = before.get(node), after.get(node)
        if old and new and old["option"] == new["option"]:
            continue
        rows.append(
            {
                "question": (new or old)["question"],
                "before": old["answer"] if old else "not asked",
                "after": new["answer"] if new else "not asked",
            }
        )
    return rows


def note_changes(older: Decision, newer: Decision) -> list[dict]:
    """Every question on the newer path (then the older) whose note differs: a re-run that
    answers a change request often rewrites the notes and keeps every answer."""
    before, after = _path(older), _path(newer)
    order = list(after) + [node for node in before if node not in after]
    rows = []
    for node in order:
        old, new = older.notes.get(node, ""), newer.notes.get(node, "")
        if old != new:
            question = (after.get(node) or before.get(node))["question"]
            rows.append({"question": question, "before": old, "after": new})
    return rows


def _warnings(decision: Decision, *, minus: Decision) -> list[str]:
    other = {warning["code"] for warning in minus.explanation["warnings"]}
    return [w["message"] for w in decision.explanation["warnings"] if w["code"] not in other]


def _evidence(older: Decision, newer: Decision) -> list[dict]:
    before, after = older.explanation["evidence"], newer.explanation["evidence"]
    labels = {
        **older.snapshot["labels"]["failure_types"],
        **newer.snapshot["labels"]["failure_types"],
    }
    rows = [
        {"label": label, "before": before.get(key, 0), "after": after.get(key, 0)}
        for key, label in EVIDENCE_COUNTS
    ]
    counts_before, counts_after = before["failure_counts"], after["failure_counts"]
    for type_id in dict.fromkeys([*counts_before, *counts_after]):
        rows.append(
            {
                "label": f"Tagged {labels.get(type_id, type_id)}",
                "before": counts_before.get(type_id, 0),
                "after": counts_after.get(type_id, 0),
            }
        )
    return [row for row in rows if row["before"] != row["after"]]
