"""How far a project's examples go as training data: examples with an expected output counted
against the sizes fine-tuning guidance names (10; 50 to 100; 100 to 500; 1,000)."""

from __future__ import annotations

import math
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
SCALE_END = 2000
WIDTH = 300


@dataclass(frozen=True)
class Readiness:
    count: int
    level: Level
    next_level: Level | None

    @property
    def to_next(self) -> int:
        return self.next_level.at_least - self.count if self.next_level else 0

    @property
    def bar_width(self) -> int:
        return position(self.count)

    @property
    def marks(self) -> list[tuple[int, int]]:
        return [(mark, position(mark)) for mark in MARKS]


def position(count: int) -> int:
    """Where a count sits on the meter: a log scale, so 10 and 1,000 both have room."""
    share = math.log10(min(count, SCALE_END) + 1) / math.log10(SCALE_END + 1)
    return round(WIDTH * share)


def readiness(count: int) -> Readiness:
    reached = [level for level in LEVELS if count >= level.at_least]
    level = reached[-1]
    index = LEVELS.index(level)
    following = LEVELS[index + 1] if index + 1 < len(LEVELS) else None
    return Readiness(count=count, level=level, next_level=following)
