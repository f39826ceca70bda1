"""The words failed examples are tagged with: the current flowchart version's vocabulary.

The flowchart package owns the vocabulary (each definition declares its own); this stage only
reads the current one. A newer version only ever adds terms, so an example tagged under an
older version keeps a valid tag. Choices are callables, so a new version needs no migration.
"""

from __future__ import annotations

from decisions.flowchart.registry import get_definition
from decisions.flowchart.vocabulary import Vocabulary


def current_vocabulary() -> Vocabulary:
    return get_definition().vocabulary


def failure_type_choices() -> list[tuple[str, str]]:
    return [(term.id, term.label) for term in current_vocabulary().failure_types]


def technique_choices() -> list[tuple[str, str]]:
    return [(term.id, term.label) for term in current_vocabulary().techniques]
