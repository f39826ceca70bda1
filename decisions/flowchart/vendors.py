"""Which vendor rows a decision's answers lean on, and which of them have closed since.

The definition's vendor facts table is dated data: a row with `closes_on` stops taking new
fine-tuning jobs after that day. A saved decision that answered one of the row's `answers`
(e.g. "platform.openai_existing") no longer holds once that day has passed. The records stage
turns `closed_rows` into one SQL condition; pages that already hold a decision's answers ask
`closed_for` directly. Both read the same rows through these two functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from decisions.flowchart.definition import Definition, VendorFact
from decisions.flowchart.vendor_facts import passed_deadlines


def closed_rows(definition: Definition, today: date) -> tuple[VendorFact, ...]:
    """The rows whose last day for new jobs is before `today` (on that day itself, it is open)."""
    return tuple(
        fact
        for fact in definition.vendor_facts
        if fact.closes_on is not None and today > fact.closes_on and fact.answers
    )


def answer_keys(fact: VendorFact) -> list[tuple[str, str]]:
    """The (node, option) pairs of a row's "node.option" answer keys."""
    return [tuple(key.split(".", 1)) for key in fact.answers]


def closed_for(definition: Definition, answers: Mapping[str, str], today: date) -> list[str]:
    """The reasons a decision with these answers no longer holds, one per closed row."""
    return passed_deadlines(definition.vendor_facts, answers, today)


def closed_reason(fact: VendorFact) -> str:
    """ "OpenAI took no new fine-tuning jobs after 6 January 2027": the words of
    `passed_deadlines`, for the SQL condition that cannot call it per row."""
    day = fact.closes_on
    return f"{fact.provider} took no new fine-tuning jobs after {day.day} {day:%B %Y}"
