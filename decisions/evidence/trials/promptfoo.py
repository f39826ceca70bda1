"""promptfoo's `--output` results as trials: the JSON and YAML documents (`results.results`) and
the JSONL file (one result a line). One trial per prompt and provider the file ran.

`--repeat N` runs every test N times: the same `testIdx` comes back N times. Those runs make ONE
trial, not N, and not N times the cases: the same input run three times is not three samples of
the traffic, so counting repeats as cases would make the interval look three times surer than
it is, and N trials would count as N measured revisions of the prompt. Each case passes when it
passed in more than half of its runs (a case that fails half the time is not one to ship); the
trial keeps every case's passes and runs, and the page names the cases that flip."""

from __future__ import annotations

from decimal import Decimal

from decisions.evidence.imports.parse import ImportRefused, Problem
from decisions.evidence.trials.results import TrialResults, one_line
from decisions.flowchart.statistics import percentile_95
from decisions.projects.models import TITLE_MAX


def is_result_row(row: dict) -> bool:
    """Whether a JSON object is one of promptfoo's results (an EvaluateResult)."""
    return any(key in row for key in ("testIdx", "promptIdx", "gradingResult", "testCase"))


def results_of_document(document) -> list[dict]:
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


def promptfoo_trials(rows: list[dict], group_by: str = "") -> list[TrialResults]:
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
    """One prompt on one model: its cases, each passed or failed (in most of its runs)."""
    problems = []
    runs: dict[str, list[bool]] = {}
    test_of_case: dict[str, object] = {}
    for index, row in numbered:
        case = _case_of(row, index)
        passed = row.get("success")
        if passed is None:
            passed = (row.get("gradingResult") or {}).get("pass")
        if not isinstance(passed, bool):
            problems.append(Problem("has no pass or fail (success).", f"Result {index}"))
            continue
        # A repeat comes back with the same testIdx; two tests that share a description are
        # two cases under one name, which no comparison could tell apart.
        test = row.get("testIdx", index)
        if test_of_case.setdefault(case, test) != test:
            problems.append(Problem(f"repeats the case “{case}”.", f"Result {index}"))
            continue
        runs.setdefault(case, []).append(passed)
    if problems:
        raise ImportRefused(problems)
    rows = [row for _, row in numbered]
    groups = _promptfoo_groups(numbered, group_by) if group_by else {}
    return TrialResults(
        {case: sum(outcomes) * 2 > len(outcomes) for case, outcomes in runs.items()},
        model=provider,
        label=prompt,
        groups=groups,
        source="promptfoo",
        case_runs={case: (sum(outcomes), len(outcomes)) for case, outcomes in runs.items()},
        **_cost_and_latency(rows),
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
                groups[_case_of(row, index)] = one_line(str(source[name]))
                break
    if not groups:
        raise ImportRefused(
            [Problem(f"No case has a var or metadata field “{name}” to group by: check the name.")]
        )
    return groups


def _cost_and_latency(rows: list[dict]) -> dict:
    costs = [row["cost"] for row in rows if _is_number(row.get("cost"))]
    latencies = [row["latencyMs"] for row in rows if _is_number(row.get("latencyMs"))]
    return cost_and_latency(costs, latencies)


def cost_and_latency(costs: list, latencies_ms: list) -> dict:
    """Dollars per 1,000 requests from each request's cost, and the 95th percentile latency."""
    p95 = percentile_95(latencies_ms)
    return {
        "cost_per_1k": round(Decimal(str(sum(costs))) * 1000 / len(costs), 4) if costs else None,
        "p95_latency_ms": round(p95) if p95 is not None else None,
    }


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


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


def _prompt_of(row: dict) -> str:
    """The prompt's label, or the start of its text: on one line, as a label is shown."""
    prompt = row.get("prompt") or {}
    text = str(prompt.get("label") or prompt.get("raw") or row.get("promptIdx", ""))
    return one_line(text)[:TITLE_MAX]


def _provider_of(row: dict) -> str:
    provider = row.get("provider")
    if isinstance(provider, dict):
        return one_line(str(provider.get("label") or provider.get("id") or ""))
    return one_line(str(provider or ""))


def _case_of(row: dict, index: int) -> str:
    test_case = row.get("testCase") or {}
    if test_case.get("description"):
        return str(test_case["description"])
    if "testIdx" in row:
        return f"case {row['testIdx'] + 1}"
    return f"case {index}"
