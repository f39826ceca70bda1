"""The vendor facts table of a definition (2027.02 on): where fine-tuning can still be done, as
checked on a date. The `platform` texts, the readiness meter, the export page and the rules
`platform_closing` and `facts_dated` read it; re-checking rows and dates keeps the version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

VENDOR_STATUSES = ("open", "closing", "closed")
VENDOR_TEXT_FIELDS = (
    "provider",
    "offering",
    "methods",
    "minimum_examples",
    "format",
    "deadline",
    "source",
)


class VendorFactError(ValueError):
    """A row that cannot be read (a date that is not ISO)."""


@dataclass(frozen=True)
class VendorFact:
    """One row of the vendor facts table."""

    provider: str
    offering: str
    methods: str
    minimum_examples: str
    format: str
    status: str  # "open", "closing" or "closed"
    deadline: str
    # The last day the offering takes a new job, where one is known.
    closes_on: date | None
    # The answers ("node.option") the row applies to.
    answers: tuple[str, ...]
    checked_on: date | None
    source: str


def vendor_fact(row: Mapping) -> VendorFact:
    """A row as written in the definition; a missing field is a KeyError."""

    def day(key: str) -> date | None:
        text = row.get(key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except (TypeError, ValueError) as error:
            raise VendorFactError(
                f"{row.get('provider')!r} {key} {text!r} is not an ISO date"
            ) from error

    return VendorFact(
        provider=row["provider"],
        offering=row["offering"],
        methods=row["methods"],
        minimum_examples=row["minimum_examples"],
        format=row["format"],
        status=row["status"],
        deadline=row["deadline"],
        closes_on=day("closes_on"),
        answers=tuple(row["answers"]),
        checked_on=day("checked_on"),
        source=row["source"],
    )


def vendor_problem(rows: Iterable[VendorFact], answer_keys: set[str]) -> str | None:
    """What makes the table incomplete, or None: every row full, its status known, its answers
    real "node.option" keys of the definition."""
    rows = list(rows)
    if not rows:
        return "the table is empty"
    for row in rows:
        for name in VENDOR_TEXT_FIELDS:
            if not str(getattr(row, name)).strip():
                return f"{row.provider!r} has no {name}"
        if row.status not in VENDOR_STATUSES:
            return f"{row.provider!r} status {row.status!r} is not one of " + ", ".join(
                VENDOR_STATUSES
            )
        if row.checked_on is None:
            return f"{row.provider!r} has no checked_on"
        for key in row.answers:
            if key not in answer_keys:
                return (
                    f"{row.provider!r} answer {key!r} names no question and answer of this "
                    "definition"
                )
    return None


def passed_deadlines(
    rows: Iterable[VendorFact], answers: Mapping[str, str], today: date
) -> list[str]:
    """Why a decision with these answers is stale on `today`: one reason per vendor row that
    applies to an answer given and whose last day for new jobs (`closes_on`) has passed,
    e.g. "OpenAI took no new fine-tuning jobs after 6 January 2027". The staleness rule of
    saved decisions reads it."""
    reasons = []
    for row in rows:
        if row.closes_on is None or today <= row.closes_on:
            continue
        if any(answers.get(key.partition(".")[0]) == key.partition(".")[2] for key in row.answers):
            day = row.closes_on
            reasons.append(
                f"{row.provider} took no new fine-tuning jobs after "
                f"{day.day} {day.strftime('%B')} {day.year}"
            )
    return reasons
