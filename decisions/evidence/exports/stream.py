"""Exports of 100,000 examples: counted and written a batch at a time, never all in memory.

The formats (formats.py) write whole files; each is a header (empty for JSONL) followed by
one line per example, so a batch's file, less the header, is that batch's lines. A file is
sent as a StreamingHttpResponse over the examples read EXPORT_BATCH at a time
(`QuerySet.iterator`), and the export page's counts add up batch by batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import batched, chain, islice

from django.db.models import QuerySet

from decisions.evidence.exports.formats import BACKUP, TARGETS, Target, export_plan, usable
from decisions.evidence.models import FailedExample
from decisions.projects.models import Project

# Examples read per query (PostgreSQL: per fetch of a server-side cursor) and written at once.
EXPORT_BATCH = 2_000


@dataclass
class PlanCounts:
    """What the export page shows of one target: counts, not the examples themselves."""

    target: Target
    total: int = 0
    usable: int = 0
    training: int = 0
    held_out: int = 0

    @property
    def left_out(self) -> int:
        return self.total - self.usable

    @property
    def below_minimum(self) -> bool:
        return self.training < self.target.minimum

    @property
    def below_recommended(self) -> bool:
        return self.training < self.target.recommended


def plan_counts(project: Project) -> list[PlanCounts]:
    """Each target's counts, read in one query: only the fields the targets need, as named
    tuples (a model instance each costs ten times as much at 100,000 examples)."""
    needed = sorted({name for target in TARGETS.values() for name in target.needs})
    counts = [PlanCounts(target) for target in TARGETS.values()]
    examples = project.examples.values_list("in_test_set", *needed, named=True).order_by()
    for batch in batched(examples.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        for plan in counts:
            part = export_plan(plan.target, batch)
            plan.total += part.total
            plan.usable += part.usable
            plan.training += len(part.training)
            plan.held_out += len(part.held_out)
    return counts


def part_examples(project: Project, target: Target, part: str) -> Iterator[FailedExample]:
    """The examples of one part of a target's file, in the order they were added."""
    examples: QuerySet = project.examples.order_by("created_at", "pk")
    if target.kind != BACKUP:
        examples = examples.filter(in_test_set=part == "test")
    for batch in batched(examples.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        yield from usable(target, batch)


def first_examples(examples: Iterator[FailedExample], count: int):
    """(the first `count` examples, all of them again): the view checks a part's minimum
    on the first few without reading the rest twice."""
    first = list(islice(examples, count))
    return first, chain(first, examples)


def export_lines(target: Target, examples: Iterable[FailedExample], system: str) -> Iterator[str]:
    """The target's file, a batch of examples at a time."""
    header = target.write([], system)
    yield header
    for batch in batched(examples, EXPORT_BATCH):
        text = target.write(list(batch), system)
        if not text.startswith(header):
            # A format that wraps its examples (a JSON array, a footer) cannot be cut into
            # batches: it must say so here, not send a broken file.
            raise ValueError(f"{target.slug} does not write a header then one line per example")
        yield text[len(header) :]
