"""The shared vocabulary of the flowchart (docs/flowchart/): failure types and prompt techniques.

Ids are a stable contract: a failure type id equals an option id of the flowchart's
`symptom` question. The order is the spec's tie-break order.
"""

from __future__ import annotations

FAILURE_TYPES: list[tuple[str, str]] = [
    ("format", "Format, structure or length is wrong"),
    ("tone", "Tone, voice or style is off"),
    ("facts", "Facts are missing, outdated or invented"),
    ("domain", "Inconsistent in our specialized domain"),
    ("behavior", "Won't behave: ignores rules, policy or safety limits"),
]

TECHNIQUES: list[tuple[str, str]] = [
    ("instructions", "Clear, specific instructions"),
    ("role", "A role or persona"),
    ("examples", "Examples of good output (few-shot)"),
    ("structure", "An output structure or template"),
    ("context", "The facts or documents it needs, in the prompt"),
]

# Short names where space is tight (chart axes, badges).
FAILURE_TYPE_SHORT_LABELS = {
    "format": "Format or length",
    "tone": "Tone or style",
    "facts": "Facts",
    "domain": "Specialized domain",
    "behavior": "Rules and behavior",
}

FAILURE_TYPE_IDS = [type_id for type_id, _ in FAILURE_TYPES]
TECHNIQUE_IDS = [technique_id for technique_id, _ in TECHNIQUES]
TECHNIQUE_LABELS = dict(TECHNIQUES)
FAILURE_TYPE_LABELS = dict(FAILURE_TYPES)


def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Every display name, for a decision's snapshot: old reports keep the words they had."""
    return {
        "failure_types": FAILURE_TYPE_LABELS,
        "failure_types_short": FAILURE_TYPE_SHORT_LABELS,
        "techniques": TECHNIQUE_LABELS,
    }
