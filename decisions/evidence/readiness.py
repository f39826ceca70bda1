"""How far a project's examples go as training data: examples with an expected output counted
against the sizes fine-tuning guidance names.

Two scales. Decisions saved before 2027.02 keep the one they were shown (10; 50 to 100; 100 to
500; 1,000, with vendor names in its words). From 2027.02 the vendors' own minimums come from
the definition's dated vendor facts table, never from this file, and distillation is tied to
one figure, 100, not to 1,000."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    at_least: int
    name: str
    allows: str


LEVELS = (
    Level(
        0,
        "Not enough to train",
        "Use them as a fixed test set and as few-shot examples in the prompt; "
        "no fine-tuning service takes fewer than 10.",
    ),
    Level(
        10,
        "Enough for a first experiment",
        "The least a fine-tuning service accepts (OpenAI's minimum is 10): a trial run shows "
        "whether training moves the output at all, not a fix.",
    ),
    Level(
        50,
        "Enough for a first real run",
        "50 to 100 examples usually show whether supervised fine-tuning or LoRA helps on a "
        "narrow task; keep some back as the test set.",
    ),
    Level(
        100,
        "Enough to tune a narrow task",
        "100 to 500 is where Google and Amazon suggest tuning starts: a LoRA or fine-tune that "
        "holds on a narrow task, measured on a held-out set.",
    ),
    Level(
        1000,
        "Broad coverage",
        "1,000 or more cover many cases and leave a sizeable test set; distilling a larger "
        "model into a smaller one becomes realistic.",
    ),
)
MARKS = (10, 50, 100, 500, 1000)
MARKS_LABEL = "10, 50, 100, 500 and 1,000"

# 2027.02 on: no vendor named, no minimum quoted; those are the table's rows (`minimums`).
LEVELS_WITH_VENDOR_FACTS = (
    Level(
        0,
        "Not enough to train",
        "Use them as a fixed test set and as few-shot examples in the prompt.",
    ),
    Level(
        10,
        "Enough for a first experiment",
        "A trial run shows whether training moves the output at all, not a fix.",
    ),
    Level(
        50,
        "Enough for a first real run",
        "50 to 100 examples usually show whether supervised fine-tuning or LoRA helps on a "
        "narrow task.",
    ),
    Level(
        100,
        "Enough to tune a narrow task",
        "100 to 500 is where tuning holds on a narrow task, measured on the test set. "
        "Distillation trains on 100 or more of the strong model's passing outputs, not on these.",
    ),
    Level(
        500,
        "Enough to change behavior markedly",
        "Hundreds to thousands of reviewed examples change behavior markedly; the test set "
        "stays out of them.",
    ),
)
MARKS_WITH_VENDOR_FACTS = (10, 50, 100, 500)
MARKS_WITH_VENDOR_FACTS_LABEL = "10, 50, 100 and 500"
SCALE_END = 2000
WIDTH = 300


@dataclass(frozen=True)
class Minimum:
    """One row of the vendor facts table that still takes jobs, with what it asks for."""

    provider: str
    offering: str
    minimum_examples: str
    status: str
    checked_on: str


@dataclass(frozen=True)
class Readiness:
    count: int
    level: Level
    next_level: Level | None
    mark_values: tuple[int, ...] = MARKS
    marks_label: str = MARKS_LABEL
    # From the definition's vendor facts (2027.02 on): what each platform asks.
    minimums: tuple[Minimum, ...] = ()

    @property
    def to_next(self) -> int:
        return self.next_level.at_least - self.count if self.next_level else 0

    @property
    def bar_width(self) -> int:
        return position(self.count)

    @property
    def marks(self) -> list[tuple[int, int]]:
        return [(mark, position(mark)) for mark in self.mark_values]


def position(count: int) -> int:
    """Where a count sits on the meter: a log scale, so 10 and 1,000 both have room."""
    share = math.log10(min(count, SCALE_END) + 1) / math.log10(SCALE_END + 1)
    return round(WIDTH * share)


def readiness(count: int, vendor_facts: Sequence | None = None) -> Readiness:
    """The level `count` reaches. With vendor facts (the definition's rows, or the dicts a
    saved decision keeps), the 2027.02 scale and each open platform's minimum; without, the
    scale older decisions were shown."""
    levels = LEVELS_WITH_VENDOR_FACTS if vendor_facts else LEVELS
    reached = [level for level in levels if count >= level.at_least]
    level = reached[-1]
    index = levels.index(level)
    following = levels[index + 1] if index + 1 < len(levels) else None
    if not vendor_facts:
        return Readiness(count=count, level=level, next_level=following)
    return Readiness(
        count=count,
        level=level,
        next_level=following,
        mark_values=MARKS_WITH_VENDOR_FACTS,
        marks_label=MARKS_WITH_VENDOR_FACTS_LABEL,
        minimums=tuple(minimum(row) for row in vendor_facts if field(row, "status") != "closed"),
    )


def field(row, name: str):
    return row[name] if isinstance(row, Mapping) else getattr(row, name)


def minimum(row) -> Minimum:
    checked = field(row, "checked_on")
    return Minimum(
        provider=field(row, "provider"),
        offering=field(row, "offering"),
        minimum_examples=field(row, "minimum_examples"),
        status=field(row, "status"),
        checked_on=checked if isinstance(checked, str) else checked.isoformat(),
    )
