"""Reading a trial's case-by-case results from the file an eval tool wrote: promptfoo's
`--output` (JSON, JSONL or YAML, `--repeat` runs included), Braintrust experiment rows, a
LangSmith experiment CSV, or a plain CSV of case id and pass/fail. A file that is none of these
is refused whole, with a message about what it is; a file of these with a bad row is refused
whole, with the row."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

import yaml

from decisions.evidence.imports.parse import ImportRefused, Problem, decode_utf8
from decisions.evidence.trials import promptfoo, scored
from decisions.evidence.trials.results import TrialResults, one_line
from decisions.evidence.trials.scored import PassRule

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
# Fields that say a row is an example to learn from or test on, not a verdict on one.
EXAMPLE_FIELDS = ("messages", "conversations", "instruction", "input", "inputs", "expected",
                  "ideal", "chosen", "preferred_output", "vars")  # fmt: skip
WHAT_A_TRIAL_READS = (
    "A trial reads promptfoo's --output file (JSON, JSONL or YAML), Braintrust experiment rows "
    "(each with scores), a LangSmith experiment CSV (with feedback columns) or a CSV of "
    "case_id and pass."
)


def read_trial_file(
    raw: bytes, filename: str, *, max_bytes: int, group_by: str = "", rule: PassRule | None = None
) -> list[TrialResults]:
    """The trials in the file: one per prompt and model a promptfoo output ran (the file of an
    experiment on several models makes one trial per model), one for the other formats.
    `group_by` names the var, metadata field or column that groups the cases; `rule` says
    which score decides a pass where the tool scores rather than passes."""
    if len(raw) > max_bytes:
        raise ImportRefused(
            [Problem(f"The file is {len(raw):,} bytes; the limit is {max_bytes:,}.")]
        )
    if b"\x00" in raw:
        raise ImportRefused([Problem("The file holds a NUL byte: export it as JSON or CSV.")])
    rule = rule or PassRule()
    if group_by:
        rule = PassRule(rule.score, rule.at_least, group_by)
    trials = _read(decode_utf8(raw), filename, rule)
    if not any(trial.results for trial in trials):
        raise ImportRefused([Problem("The file holds no test results.")])
    return trials


def _read(text: str, filename: str, rule: PassRule) -> list[TrialResults]:
    suffix = PurePath(filename.lower()).suffix
    if suffix in (".yaml", ".yml"):
        return _from_document(_load_yaml(text), "YAML file", rule)
    if text.lstrip()[:1] in ("{", "[") or suffix in (".json", ".jsonl"):
        rows = _json_lines(text) if _is_json_lines(text, suffix) else None
        if rows is not None:
            return _from_rows(rows, "JSON Lines file", rule)
        return _from_document(_load_json(text), "JSON file", rule)
    return [_csv(text, rule)]


def _from_document(document, kind: str, rule: PassRule) -> list[TrialResults]:
    if isinstance(document, dict) and "results" in document:
        return promptfoo.promptfoo_trials(promptfoo.results_of_document(document), rule.group_by)
    if isinstance(document, list) and document and all(isinstance(r, dict) for r in document):
        return _from_rows(document, kind, rule)
    if isinstance(document, dict):
        raise ImportRefused([_not_results(kind, list(document))])
    raise ImportRefused(
        [
            Problem(
                "This is not promptfoo output: it has no list of results "
                "(promptfoo eval --output results.json writes one)."
            )
        ]
    )


def _from_rows(rows: list, kind: str, rule: PassRule) -> list[TrialResults]:
    if not all(isinstance(row, dict) for row in rows):
        raise ImportRefused([Problem(f"This {kind} holds values that are not objects. "
                                     + WHAT_A_TRIAL_READS)])  # fmt: skip
    if any(promptfoo.is_result_row(row) for row in rows):
        return promptfoo.promptfoo_trials(rows, rule.group_by)
    if any(scored.is_braintrust_row(row) for row in rows):
        return [scored.braintrust_trial(rows, rule)]
    raise ImportRefused([_not_results(kind, list(dict.fromkeys(k for r in rows for k in r)))])


def _not_results(kind: str, fields: list[str]) -> Problem:
    """What the file is, said in its own terms, when it holds no verdicts."""
    named = ", ".join(fields[:8]) + (", …" if len(fields) > 8 else "") if fields else "none"
    if any(field in EXAMPLE_FIELDS for field in fields):
        return Problem(
            f"This {kind} holds examples (fields: {named}), not results: no field says "
            "whether a case passed. Import examples on the project’s Import page. "
            + WHAT_A_TRIAL_READS
        )
    return Problem(
        f"This {kind} has the fields {named}; none says whether a case passed. "
        + WHAT_A_TRIAL_READS
    )


def _is_json_lines(text: str, suffix: str) -> bool:
    """JSONL: several lines that each start an object. One document spread over lines is
    JSON; promptfoo's JSONL has one result a line."""
    if suffix == ".jsonl":
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not all(line.startswith("{") for line in lines[:2]):
        return False
    try:
        json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _json_lines(text: str) -> list:
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(_load_json(line, where=f"Line {number}"))
        except ImportRefused as refusal:
            problems.extend(refusal.problems)
    if problems:
        raise ImportRefused(problems)
    return rows


def _load_json(text: str, where: str = ""):
    """The document, refused when it is not JSON or nests deeper than any results file."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                Problem(
                    f"not valid JSON ({error.msg} at column {error.colno}).",
                    where or f"Line {error.lineno}",
                )
            ]
        ) from None
    except RecursionError:
        # Python's parser recurses once per level: `[` × 100,000 exhausts the stack.
        raise ImportRefused([Problem(TOO_DEEP)]) from None
    if _nests_deeper(document, MAX_JSON_DEPTH):
        raise ImportRefused([Problem(TOO_DEEP)])
    return document


def _load_yaml(text: str):
    """promptfoo's `--output results.yaml`: the JSON document written as YAML. Only plain data
    (safe_load): a tag that builds objects is an attack, not a result."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"Line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "it could not be read"
        raise ImportRefused([Problem(f"not valid YAML ({problem}).", where)]) from None
    except RecursionError:
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


def _csv(text: str, rule: PassRule) -> TrialResults:
    rows = scored.read_csv(text)
    if not rows:
        raise ImportRefused([Problem("The CSV is empty.")])
    header = [cell.strip().lower() for cell in rows[0]]
    if any(name.startswith("feedback.") for name in header):
        return scored.langsmith_trial([cell.strip() for cell in rows[0]], rows[1:], rule)
    case_column = next((header.index(c) for c in CASE_COLUMNS if c in header), None)
    pass_column = next((header.index(c) for c in PASS_COLUMNS if c in header), None)
    group_column = next((header.index(c) for c in GROUP_COLUMNS if c in header), None)
    if case_column is None or pass_column is None:
        raise ImportRefused(
            [
                Problem(
                    "The CSV needs a case id column (case_id) and a result column (pass), "
                    f"but its header is: {', '.join(rows[0])}. " + WHAT_A_TRIAL_READS,
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
                groups[case] = one_line(group)
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
