"""Failure types and prompt techniques: the words examples are tagged with, per definition.

A definition declares its vocabulary in a [vocabulary] table; one without (2026.11, the first)
uses FIRST_VOCABULARY. Ids are a stable contract: a failure type id equals an option id of the
definition's `symptom` question (checked when it loads). The order is the tie-break order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    short: str


@dataclass(frozen=True)
class Vocabulary:
    failure_types: tuple[Term, ...]
    techniques: tuple[Term, ...]

    @property
    def failure_type_ids(self) -> list[str]:
        return [term.id for term in self.failure_types]

    @property
    def technique_ids(self) -> list[str]:
        return [term.id for term in self.techniques]

    def failure_label(self, type_id: str) -> str:
        return next((t.label for t in self.failure_types if t.id == type_id), type_id)

    def technique_label(self, technique_id: str) -> str:
        return next((t.label for t in self.techniques if t.id == technique_id), technique_id)

    def labels(self) -> dict[str, dict[str, str]]:
        """Every display name, for a decision's snapshot."""
        return {
            "failure_types": {t.id: t.label for t in self.failure_types},
            "failure_types_short": {t.id: t.short for t in self.failure_types},
            "techniques": {t.id: t.label for t in self.techniques},
        }


def terms(rows) -> tuple[Term, ...]:
    return tuple(
        Term(row["id"], row["label"], row.get("short", row["label"]))
        if isinstance(row, Mapping)
        else Term(*row)
        for row in rows
    )


FIRST_VOCABULARY = Vocabulary(
    failure_types=terms(
        [
            ("format", "Format, structure or length is wrong", "Format or length"),
            ("tone", "Tone, voice or style is off", "Tone or style"),
            ("facts", "Facts are missing, outdated or invented", "Facts"),
            ("domain", "Inconsistent in our specialized domain", "Specialized domain"),
            (
                "behavior",
                "Won't behave: ignores rules, policy or safety limits",
                "Rules and behavior",
            ),
        ]
    ),
    techniques=terms(
        [
            ("instructions", "Clear, specific instructions", "Instructions"),
            ("role", "A role or persona", "Role"),
            ("examples", "Examples of good output (few-shot)", "Examples"),
            ("structure", "An output structure or template", "Structure"),
            ("context", "The facts or documents it needs, in the prompt", "Context"),
        ]
    ),
)
