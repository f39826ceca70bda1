"""A decision revision as files to keep beside the code: JSON, and Markdown in the MADR layout
with its status and people where log4brains reads them (`metadata_list`).

Both come from the saved revision alone (its snapshot, explanation and examples), so an export
of an old revision reads as that revision did. People's names come from the review: who saved
and accepted it decided, who commented was consulted, who was told on acceptance was informed.
"""

from __future__ import annotations

import json

from decisions.projects.models import UseCase
from decisions.records.models import Decision, ReviewStatus
from decisions.records.services import project_context

EXPORT_FORMAT = 1
# MADR's status words; ours map onto them.
MADR_STATUS = {
    ReviewStatus.DRAFT: "proposed",
    ReviewStatus.PROPOSED: "proposed",
    ReviewStatus.CHANGES_REQUESTED: "proposed",
    ReviewStatus.ACCEPTED: "accepted",
    ReviewStatus.REJECTED: "rejected",
    ReviewStatus.SUPERSEDED: "superseded",
}


def people(decision: Decision) -> dict[str, list[str]]:
    review = getattr(decision, "review", None)
    deciders = [decision.created_by.username] if decision.created_by else []
    # Everyone whose acceptance counts (a team may need several, some carried over from the
    # revision before), then whoever rejected it.
    acceptances = decision.acceptances.live().select_related("reviewer").order_by("at", "pk")
    deciders += [acceptance.reviewer.username for acceptance in acceptances]
    for event in decision.review_events.select_related("by").order_by("at"):
        if event.by and event.to_status == ReviewStatus.REJECTED:
            deciders.append(event.by.username)
    consulted = decision.comments.select_related("author").values_list(
        "author__username", flat=True
    )
    informed = review.informed.values_list("username", flat=True) if review else []
    return {
        "decision-makers": list(dict.fromkeys(deciders)),
        "consulted": sorted(set(consulted) - set(deciders)),
        "informed": sorted(informed),
    }


def review_state(decision: Decision) -> tuple[str, int | None]:
    review = getattr(decision, "review", None)
    status = review.status if review else ReviewStatus.DRAFT
    superseded_by = review.superseded_by.revision if review and review.superseded_by else None
    return status, superseded_by


def described(decision: Decision) -> dict:
    """The project as the revision was decided on: renaming it later must not rewrite old
    records. A revision saved before that was kept has only today's project to go by."""
    return decision.context or project_context(decision.project)


def decision_json(decision: Decision, *, url: str) -> str:
    status, superseded_by = review_state(decision)
    project = described(decision)
    use_case_ids = {label: value for value, label in UseCase.choices}
    record = {
        "export_format": EXPORT_FORMAT,
        "project": {
            "id": decision.project_id,
            "name": project["name"],
            "use_case": use_case_ids.get(project["use_case"], project["use_case"]),
            "model_in_use": project["model_in_use"],
        },
        "revision": decision.revision,
        "url": url,
        "created_at": decision.created_at.isoformat(),
        "created_by": decision.created_by.username if decision.created_by else None,
        "review": {"status": status, "superseded_by_revision": superseded_by, **people(decision)},
        "outcome": decision.outcome,
        "confidence": decision.confidence,
        "flowchart": {"version": decision.flowchart_version, "hash": decision.flowchart_hash},
        "answers": decision.answers,
        "notes": decision.notes,
        "explanation": decision.explanation,
        "snapshot": decision.snapshot,
        "examples": decision.examples,
    }
    return json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"


def metadata_list(
    *, status: str, deciders: list[str], date: str, consulted: list[str], informed: list[str]
) -> list[str]:
    """The record's status and people as the list under its title (MADR 2's layout), which is
    where log4brains reads them: @log4brains/core takes the first list between the title and
    the first `##` heading, one `Key: value` a line, deciders split at commas. It has no YAML
    front matter reader: MADR 4's front matter reads there as accepted, decided by no one."""
    return [
        f"* Status: {status}",
        f"* Deciders: {', '.join(deciders)}",
        f"* Date: {date}",
        f"* Consulted: {', '.join(consulted)}",
        f"* Informed: {', '.join(informed)}",
    ]


def _line(text: str) -> str:
    """User text on one Markdown line: no line breaks that would end a list item."""
    return " ".join(str(text).split())


def decision_madr(decision: Decision, *, url: str) -> str:
    snapshot, explanation = decision.snapshot, decision.explanation
    outcome = snapshot["outcome"]
    project = described(decision)
    status, superseded_by = review_state(decision)
    madr_status = MADR_STATUS[ReviewStatus(status)]
    if superseded_by:
        madr_status = f"superseded by revision {superseded_by}"
    who = people(decision)
    evidence = explanation["evidence"]
    labels = snapshot["labels"]
    lines = [
        f"# {_line(project['name'])}: {outcome['verdict']}",
        "",
        *metadata_list(
            status=madr_status,
            deciders=who["decision-makers"],
            date=decision.created_at.date().isoformat(),
            consulted=who["consulted"],
            informed=who["informed"],
        ),
        "",
        "## Context and Problem Statement",
        "",
        f"{_line(project['name'])} is a generative-AI feature "
        f"({project['use_case'].lower()}"
        + (f", model in use: {_line(project['model_in_use'])}" if project["model_in_use"] else "")
        + ") that keeps producing bad output. Is this a prompting problem or a model problem?",
        "",
    ]
    if project["description"]:
        lines += [_line(project["description"]), ""]
    lines += [
        f"Evidence at revision {decision.revision}: {evidence['example_count']} failed "
        f"example(s), {evidence.get('with_expected_output', 0)} with an expected output.",
        "",
        "## Decision Drivers",
        "",
    ]
    for type_id, count in evidence["failure_counts"].items():
        if count:
            label = labels["failure_types"].get(type_id, type_id)
            lines.append(f"* {count} failed example(s): {label}")
    for step in explanation["path"]:
        answer = step["answer"]
        note = decision.notes.get(step["node"], "")
        lines.append(f"* {step['question']} {answer}." + (f" Note: {_line(note)}" if note else ""))
    lines += ["", "## Considered Options", ""]
    options = [outcome, *snapshot["alternatives"]]
    lines += [f"* {option['label']}" for option in options]
    lines += [
        "",
        "## Decision Outcome",
        "",
        f'Chosen option: "{outcome["label"]}", because the answers above lead there in the '
        f"decision flowchart {snapshot['flowchart']['version']}: {outcome['analogy']}",
        "",
        f"Confidence: {decision.confidence}.",
        "",
        "### Consequences",
        "",
        f"* Good, because it is {outcome['kind']}: {outcome['time']}, {outcome['cost']}.",
        f"* Neutral, because it needs {outcome['data']}; people: {outcome['people']}.",
    ]
    lines += [f"* Bad, because {_lower_first(risk)}" for risk in outcome["risks"]]
    lines += [f"* Bad, because {_lower_first(w['message'])}" for w in explanation["warnings"]]
    lines += ["", "### Confirmation", ""]
    lines += [f"* {_line(step)}" for step in explanation.get("next_steps", [])]
    lines += [
        "* Re-run the wizard when the examples change: the decision is then marked for review.",
        "",
        "## Pros and Cons of the Options",
        "",
    ]
    for option in options:
        chosen = option["id"] == outcome["id"]
        lines += [
            f"### {option['label']}" + (" (chosen)" if chosen else ""),
            "",
            f"* Neutral, because it takes {option['time']} and costs {option['cost']}.",
            f"* Neutral, because it needs {option['data']}; people: {option['people']}.",
            "",
        ]
    lines += [
        "## More Information",
        "",
        f"* Revision {decision.revision} of {_line(project['name'])}, saved "
        f"{decision.created_at:%Y-%m-%d %H:%M} UTC: {url}",
        f"* Decision flowchart {snapshot['flowchart']['version']} "
        f"(hash {snapshot['flowchart']['hash'][:12]}).",
    ]
    for change in snapshot.get("verdict_changes", []):
        lines.append(
            f"* Would change the verdict: answering “{change['answer']}” to "
            f"“{change['question']}” gives “{change['verdict']}”."
        )
    lines += [f"* Source: {source['title']}" for source in snapshot["flowchart"]["sources"]]
    return "\n".join(lines) + "\n"


def _lower_first(text: str) -> str:
    text = _line(text)
    # "The model…" becomes "the model…"; an acronym ("RAG…") keeps its capitals.
    return text if text[:2].isupper() else text[:1].lower() + text[1:]
