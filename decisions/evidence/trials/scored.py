"""Trials from tools that score each case rather than pass it: Braintrust experiment rows
(`scores`, each 0 to 1) and LangSmith's experiment CSV (`feedback.<key>` columns). The PM names
the score that decides a pass and the mark it must reach; a file with one score needs no name.

A case passes when its score is at or above the mark (0.5 unless the PM says): a judge that
gives 0.5 on a 0/0.5/1 scale has called the answer half right, and the form says so."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from decisions.evidence.imports.parse import ImportRefused, Problem
from decisions.evidence.trials.promptfoo import cost_and_latency
from decisions.evidence.trials.results import TrialResults, one_line

DEFAULT_PASS_AT = Decimal("0.5")
TRUE_WORDS = {"true", "pass", "passed", "yes", "correct"}
FALSE_WORDS = {"false", "fail", "failed", "no", "incorrect"}
# LangSmith's columns that name the dataset example a run answered: the same id in every
# experiment on the dataset, so two trials compare case by case.
LANGSMITH_CASE_COLUMNS = ("example_id", "reference_example_id", "id")


@dataclass(frozen=True)
class PassRule:
    score: str = ""  # the score or feedback key that decides; empty: the file's only one
    at_least: Decimal = DEFAULT_PASS_AT
    group_by: str = ""


def is_braintrust_row(row: dict) -> bool:
    return isinstance(row.get("scores"), dict)


def braintrust_trial(rows: list[dict], rule: PassRule) -> TrialResults:
    """One experiment's root spans: each is a case with its input, output and scores. A
    Braintrust export also holds the task, LLM and scorer spans under each root; they carry
    no verdict of their own and are left out."""
    roots = [(number, row) for number, row in enumerate(rows, start=1) if _is_root(row)]
    score = _chosen(rule.score, (name for _, row in roots for name in row["scores"]), "score")
    results: dict[str, bool] = {}
    groups: dict[str, str] = {}
    problems = []
    for number, row in roots:
        where = f"Row {number}"
        case = _braintrust_case(row, number)
        passed = _passes(row["scores"].get(score), rule.at_least, errored=bool(row.get("error")))
        if passed is None:
            problems.append(Problem(f"has no {score} score and no error.", where))
        elif case in results:
            problems.append(Problem(f"repeats the case “{case}”.", where))
        else:
            results[case] = passed
            group = _field(row, rule.group_by)
            if group:
                groups[case] = group
    if problems:
        raise ImportRefused(problems)
    _check_grouped(groups, rule.group_by)
    return TrialResults(
        results,
        model=_same_everywhere(
            str((row.get("metadata") or {}).get("model") or "") for _, row in roots
        ),
        groups=groups,
        source="braintrust",
        **cost_and_latency(*_braintrust_metrics(row for _, row in roots)),
    )


def _is_root(row: dict) -> bool:
    if not is_braintrust_row(row):
        return False
    attributes = row.get("span_attributes") or {}
    if isinstance(attributes, dict) and attributes.get("type") not in (None, "eval"):
        return False
    root = row.get("root_span_id")
    return root is None or row.get("span_id") in (None, root) or row.get("is_root") is True


def _braintrust_case(row: dict, number: int) -> str:
    """The dataset record the row ran, so experiments on one dataset share case ids."""
    origin = row.get("origin")
    if isinstance(origin, dict) and origin.get("id"):
        return str(origin["id"])
    for key in ("dataset_record_id", "id"):
        if row.get(key):
            return str(row[key])
    return f"case {number}"


def _braintrust_metrics(rows: Iterable[dict]) -> tuple[list, list]:
    costs, latencies = [], []
    for row in rows:
        metrics = row.get("metrics") or {}
        cost = metrics.get("estimated_cost")
        if _is_amount(cost):
            costs.append(cost)
        start, end = metrics.get("start"), metrics.get("end")
        if _is_amount(start) and _is_amount(end) and end >= start:
            latencies.append((end - start) * 1000)  # Braintrust times are in seconds
    return costs, latencies


def langsmith_trial(header: list[str], rows: list[list[str]], rule: PassRule) -> TrialResults:
    """LangSmith's experiment CSV: a row per dataset example, its feedback in columns."""
    feedback = [name.removeprefix("feedback.") for name in header if name.startswith("feedback.")]
    score = _chosen(rule.score, feedback, "feedback")
    column = header.index(f"feedback.{score}")
    case_column = next((header.index(c) for c in LANGSMITH_CASE_COLUMNS if c in header), None)
    error_column = header.index("error") if "error" in header else None
    group_column = _langsmith_group_column(header, rule.group_by)
    results: dict[str, bool] = {}
    groups: dict[str, str] = {}
    problems = []
    latencies = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"Row {number}"
        case = _cell(cells, case_column) or f"case {number - 1}"
        passed = _passes(
            _cell(cells, column), rule.at_least, errored=bool(_cell(cells, error_column))
        )
        if passed is None:
            problems.append(
                Problem(
                    f"“{_cell(cells, column)[:40]}” is not a score or true/false.",
                    where,
                    f"feedback.{score}",
                )  # fmt: skip
            )
        elif case in results:
            problems.append(Problem(f"repeats the case “{case}”.", where))
        else:
            results[case] = passed
            if group_column is not None and _cell(cells, group_column):
                groups[case] = one_line(_cell(cells, group_column))
            seconds = _number(_cell(cells, _index(header, "execution_time")))
            if seconds is not None:
                latencies.append(float(seconds) * 1000)
    if problems:
        raise ImportRefused(problems)
    costs = [
        float(amount)
        for cells in rows
        if (amount := _number(_cell(cells, _index(header, "total_cost")))) is not None
    ]
    return TrialResults(
        results, groups=groups, source="langsmith", **cost_and_latency(costs, latencies)
    )


def _langsmith_group_column(header: list[str], name: str) -> int | None:
    if not name:
        return None
    for column in (name, f"inputs.{name}", f"reference.{name}", f"metadata.{name}"):
        if column in header:
            return header.index(column)
    raise ImportRefused(
        [Problem(f"No column “{name}” (or inputs.{name}) to group by: check the name.")]
    )


def _chosen(named: str, available: Iterable[str], kind: str) -> str:
    """The score that decides a pass: the one named, or the file's only one."""
    names = list(dict.fromkeys(available))
    if named:
        if named in names:
            return named
        raise ImportRefused(
            [Problem(f"The file has no {kind} “{named}”; its {kind}s are: {_listed(names)}.")]
        )
    if len(names) == 1:
        return names[0]
    if not names:
        raise ImportRefused([Problem(f"No row carries a {kind}, so no case passed or failed.")])
    raise ImportRefused(
        [
            Problem(
                f"The rows carry {len(names)} {kind}s ({_listed(names)}): name the one that "
                "decides a pass under “Pass when this score”."
            )
        ]
    )


def _passes(value, at_least: Decimal, *, errored: bool) -> bool | None:
    """A score at or above the mark passes; a run that errored without a score failed;
    anything else is not a verdict (None)."""
    if value in (None, ""):
        return False if errored else None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    number = _number(value)
    return None if number is None else number >= at_least


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_amount(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _field(row: dict, name: str) -> str:
    """A Braintrust row's metadata or input field `name`, for grouping."""
    if not name:
        return ""
    for source in (row.get("metadata"), row.get("input")):
        if isinstance(source, dict) and source.get(name) not in (None, ""):
            return one_line(str(source[name]))
    return ""


def _check_grouped(groups: dict, name: str) -> None:
    if name and not groups:
        raise ImportRefused(
            [Problem(f"No row has a metadata or input field “{name}” to group by: check the name.")]
        )


def _same_everywhere(values: Iterable[str]) -> str:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else ""


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column].strip() if column is not None and column < len(cells) else ""


def _index(header: list[str], name: str) -> int | None:
    return header.index(name) if name in header else None


def _listed(names: list[str]) -> str:
    return ", ".join(names) if names else "none"


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))
