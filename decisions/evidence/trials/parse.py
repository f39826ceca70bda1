"""Reading a trial's case-by-case results from an eval tool: promptfoo's `--output` JSON, or a
plain CSV of case id and pass/fail. One file is one trial; a file that is not one refuses whole,
with the row or the reason."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from decisions.evidence.imports.parse import ImportRefused, Problem, decode_utf8
from decisions.flowchart.statistics import percentile_95
from decisions.projects.models import TITLE_MAX

PASS_WORDS = {"pass", "passed", "true", "1", "yes", "y", "ok"}
FAIL_WORDS = {"fail", "failed", "false", "0", "no", "n", "error"}
CASE_COLUMNS = ("case_id", "case", "id", "test", "description")
GROUP_COLUMNS = ("group", "slice", "segment")
PASS_COLUMNS = ("pass", "passed", "success", "result", "outcome")
# promptfoo's output nests fewer than ten levels; far deeper JSON is an attack on the parser.
MAX_JSON_DEPTH = 100
TOO_DEEP = (
    f"The JSON nests deeper than {MAX_JSON_DEPTH} levels; promptfoo's output nests fewer than "
    "ten. Export the results again with promptfoo eval --output results.json."
)


@dataclass(frozen=True)
class TrialResults:
    results: dict[str, bool]  # case id -> passed
    model: str = ""  # what the file says ran, when it says
    label: str = ""
    groups: dict[str, str] = field(default_factory=dict)  # case id -> group, where known
    # From promptfoo's per-result `cost` (dollars) and `latencyMs`, when the file has them.
    cost_per_1k: Decimal | None = None
    p95_latency_ms: int | None = None

    @property
    def cases(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(self.results.values())


def read_trial_file(
    raw: bytes, filename: str, *, max_bytes: int, group_by: str = ""
) -> list[TrialResults]:
    """The trials in the file: one per prompt and model a promptfoo output ran (the file of an
    experiment on several models makes one trial per model), one for a CSV. `group_by` names
    the promptfoo var or metadata field that groups its cases (a CSV groups by its column)."""
    if len(raw) > max_bytes:
        raise ImportRefused(
            [Problem(f"The file is {len(raw):,} bytes; the limit is {max_bytes:,}.")]
        )
    if b"\x00" in raw:
        raise ImportRefused([Problem("The file holds a NUL byte: export it as JSON or CSV.")])
    text = decode_utf8(raw)
    looks_json = filename.lower().endswith(".json") or text.lstrip().startswith("{")
    trials = _promptfoo(text, group_by) if looks_json else [_csv(text)]
    if not any(trial.results for trial in trials):
        raise ImportRefused([Problem("The file holds no test results.")])
    return trials


def _promptfoo(text: str, group_by: str = "") -> list[TrialResults]:
    rows = _promptfoo_rows(_load_json(text))
    problems = [
        Problem(message, f"Result {index}")
        for index, row in enumerate(rows, start=1)
        for message in _shape_problems(row)
    ]
    if problems:
        raise ImportRefused(problems)
    runs: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for index, row in enumerate(rows, start=1):
        runs.setdefault((_prompt_of(row), _provider_of(row)), []).append((index, row))
    return [
        _promptfoo_run(prompt, provider, numbered, group_by)
        for (prompt, provider), numbered in runs.items()
    ]


def _promptfoo_run(
    prompt: str, provider: str, numbered: list[tuple[int, dict]], group_by: str
) -> TrialResults:
    """One prompt on one model: its cases, each passed or failed."""
    problems = []
    results: dict[str, bool] = {}
    for index, row in numbered:
        case = _case_of(row, index)
        passed = row.get("success")
        if passed is None:
            passed = (row.get("gradingResult") or {}).get("pass")
        if not isinstance(passed, bool):
            problems.append(Problem("has no pass or fail (success).", f"Result {index}"))
            continue
        if case in results:
            problems.append(Problem(f"repeats the case “{case}”.", f"Result {index}"))
            continue
        results[case] = passed
    if problems:
        raise ImportRefused(problems)
    rows = [row for _, row in numbered]
    groups = _promptfoo_groups(numbered, group_by) if group_by else {}
    return TrialResults(
        results, model=provider, label=prompt, groups=groups, **_cost_and_latency(rows)
    )


def _promptfoo_groups(numbered: list[tuple[int, dict]], name: str) -> dict[str, str]:
    """Each case's value of the var or metadata field `name`; refused when no case has one,
    since a misspelt name would otherwise group nothing without a word."""
    groups = {}
    for index, row in numbered:
        test_case = row.get("testCase") or {}
        for source in (row.get("vars"), test_case.get("vars"), row.get("metadata"),
                       test_case.get("metadata")):  # fmt: skip
            if isinstance(source, dict) and source.get(name) not in (None, ""):
                groups[_case_of(row, index)] = _one_line(str(source[name]))
                break
    if not groups:
        raise ImportRefused(
            [Problem(f"No case has a var or metadata field “{name}” to group by: check the name.")]
        )
    return groups


def _cost_and_latency(rows: list[dict]) -> dict:
    costs = [row["cost"] for row in rows if _is_number(row.get("cost"))]
    latencies = [row["latencyMs"] for row in rows if _is_number(row.get("latencyMs"))]
    p95 = percentile_95(latencies)
    return {
        "cost_per_1k": round(Decimal(str(sum(costs))) * 1000 / len(costs), 4) if costs else None,
        "p95_latency_ms": round(p95) if p95 is not None else None,
    }


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _load_json(text: str):
    """The document, refused when it is not JSON or nests deeper than any results file."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                Problem(
                    f"not valid JSON ({error.msg} at column {error.colno}).", f"Line {error.lineno}"
                )
            ]
        ) from None
    except RecursionError:
        # Python's parser recurses once per level: `[` × 100,000 exhausts the stack.
        raise ImportRefused([Problem(TOO_DEEP)]) from None
    if _nests_deeper(document, MAX_JSON_DEPTH):
        raise ImportRefused([Problem(TOO_DEEP)])
    return document


def _nests_deeper(document, limit: int) -> bool:
    """Walked with a list, not recursion: the check itself must not exhaust the stack."""
    pending = [(document, 1)] if isinstance(document, dict | list) else []
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _shape_problems(row: dict) -> list[str]:
    """What in one result is not where promptfoo puts it: read as it is, each would fail."""
    problems = []
    for key, kinds, message in (
        ("prompt", (dict,), "prompt is not an object with a label or raw text."),
        ("provider", (dict, str), "provider is not an object or a name."),
        ("testCase", (dict,), "testCase is not an object with a description."),
        ("gradingResult", (dict,), "gradingResult is not an object with a pass."),
    ):
        if row.get(key) is not None and not isinstance(row[key], kinds):
            problems.append(message)
    index = row.get("testIdx")
    if "testIdx" in row and (type(index) is not int or index < 0):
        problems.append(f"testIdx is “{str(index)[:40]}”, not a case number.")
    test_case = row.get("testCase")
    description = test_case.get("description") if isinstance(test_case, dict) else None
    if description is not None and not isinstance(description, str | int | float):
        problems.append("testCase.description is not text.")
    return problems


def _promptfoo_rows(document) -> list[dict]:
    """The list of results: `results.results` in promptfoo's output (v2 to v4)."""
    found = document.get("results") if isinstance(document, dict) else None
    if isinstance(found, dict):
        found = found.get("results")
    if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
        raise ImportRefused(
            [
                Problem(
                    "This is not promptfoo output: it has no list of results "
                    "(promptfoo eval --output results.json writes one)."
                )
            ]
        )
    return found


def _prompt_of(row: dict) -> str:
    """The prompt's label, or the start of its text: on one line, as a label is shown."""
    prompt = row.get("prompt") or {}
    text = str(prompt.get("label") or prompt.get("raw") or row.get("promptIdx", ""))
    return _one_line(text)[:TITLE_MAX]


def _provider_of(row: dict) -> str:
    provider = row.get("provider")
    if isinstance(provider, dict):
        return _one_line(str(provider.get("label") or provider.get("id") or ""))
    return _one_line(str(provider or ""))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _case_of(row: dict, index: int) -> str:
    test_case = row.get("testCase") or {}
    if test_case.get("description"):
        return str(test_case["description"])
    if "testIdx" in row:
        return f"case {row['testIdx'] + 1}"
    return f"case {index}"


def _csv(text: str) -> TrialResults:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ImportRefused([Problem("The CSV is empty.")])
    header = [cell.strip().lower() for cell in rows[0]]
    case_column = next((header.index(c) for c in CASE_COLUMNS if c in header), None)
    pass_column = next((header.index(c) for c in PASS_COLUMNS if c in header), None)
    group_column = next((header.index(c) for c in GROUP_COLUMNS if c in header), None)
    if case_column is None or pass_column is None:
        raise ImportRefused(
            [
                Problem(
                    "The CSV needs a case id column (case_id) and a result column (pass), "
                    f"but its header is: {', '.join(rows[0])}.",
                    row="Row 1",
                )
            ]
        )
    results: dict[str, bool] = {}
    groups: dict[str, str] = {}
    problems = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"Row {number}"
        case = cells[case_column].strip() if case_column < len(cells) else ""
        word = cells[pass_column].strip().lower() if pass_column < len(cells) else ""
        if not case:
            problems.append(Problem("has no case id.", where, rows[0][case_column]))
        elif case in results:
            problems.append(Problem(f"repeats the case “{case}”.", where, rows[0][case_column]))
        elif word not in PASS_WORDS | FAIL_WORDS:
            problems.append(Problem(f"“{word}” is not pass or fail.", where, rows[0][pass_column]))
        else:
            results[case] = word in PASS_WORDS
            group = _cell(cells, group_column)
            if group:
                groups[case] = _one_line(group)
    if problems:
        raise ImportRefused(problems)
    return TrialResults(results, groups=groups)


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column].strip() if column is not None and column < len(cells) else ""


@dataclass(frozen=True)
class Comparison:
    fixed: list[str]  # failed in the first, passed in the second
    broken: list[str]  # passed in the first, failed in the second
    still_failing: list[str]
    still_passing: int
    only_in_one: int


def compare(first: dict[str, bool], second: dict[str, bool]) -> Comparison:
    shared = [case for case in first if case in second]
    return Comparison(
        fixed=[c for c in shared if not first[c] and second[c]],
        broken=[c for c in shared if first[c] and not second[c]],
        still_failing=[c for c in shared if not first[c] and not second[c]],
        still_passing=sum(1 for c in shared if first[c] and second[c]),
        only_in_one=len(set(first) ^ set(second)),
    )
