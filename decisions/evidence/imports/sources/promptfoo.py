"""promptfoo: `eval --output` results (JSON, JSONL, CSV) and test-case CSVs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from decisions.evidence.imports.sources.common import (
    CHECKS_ONLY,
    PASSED,
    Records,
    labelled_lines,
    text_of,
    variables_input,
)

# promptfoo: results files and test-case CSVs ---------------------------------------------------


def _results_list(record: Mapping):
    """The results of a promptfoo `--output results.json`: {"results": {"results": [...]}} in
    output versions 2 and 3."""
    results = record.get("results")
    if isinstance(results, dict) and isinstance(results.get("results"), list):
        return results["results"]
    return None


def is_promptfoo_json(file_format, columns, first) -> bool:
    return _results_list(first) is not None


def is_promptfoo_jsonl(file_format, columns, first) -> bool:
    # `--output results.jsonl` writes one result a line.
    return "success" in first and ("testCase" in first or "gradingResult" in first)


def promptfoo_json(records: Records) -> Iterator[tuple[str, dict]]:
    for _, record in records:
        for number, result in enumerate(_results_list(record), start=1):
            where = f"Result {number}"
            if not isinstance(result, dict):
                yield where, {"input": {"@problem": "is not a JSON object ({…})."}}
                continue
            yield where, _promptfoo_result(result)


def promptfoo_jsonl(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        yield where, _promptfoo_result(record)


def _promptfoo_result(result: Mapping) -> dict:
    test = result.get("testCase") if isinstance(result.get("testCase"), dict) else {}
    variables = result.get("vars") or test.get("vars") or {}
    response = result.get("response") if isinstance(result.get("response"), dict) else {}
    output = response.get("output")
    if output in (None, ""):
        output = response.get("error") or result.get("error") or ""
    expected, assertions = _expected_and_assertions(test.get("assert") or [])
    grading = result.get("gradingResult") if isinstance(result.get("gradingResult"), dict) else {}
    provider = result.get("provider")
    if isinstance(provider, dict):
        provider = provider.get("label") or provider.get("id")
    notes = labelled_lines(
        ("promptfoo grader", grading.get("reason")),
        ("promptfoo assertions", "; ".join(assertions)),
        ("Provider", provider),
    )
    rewritten = {
        "title": text_of(test.get("description")),
        "input": variables_input(variables),
        "bad_output": text_of(output),
        "expected_output": expected,
        "notes": notes,
        PASSED: result.get("success") if isinstance(result.get("success"), bool) else None,
    }
    metadata = metadata_fields(test.get("metadata") or {})
    rewritten["notes"] = "\n".join(part for part in (notes, metadata.pop("notes", "")) if part)
    rewritten.update(metadata)
    return rewritten


def _expected_and_assertions(asserts: list) -> tuple[str, list[str]]:
    """(the expected output an `equals` assertion names, every other assertion as text)."""
    expected, others = "", []
    for assertion in asserts:
        if not isinstance(assertion, dict):
            continue
        kind, value = assertion.get("type", ""), assertion.get("value")
        if kind == "equals" and isinstance(value, str) and not expected:
            expected = value
        else:
            others.append(f"{kind}: {text_of(value)}" if value is not None else str(kind))
    return expected, others


def is_promptfoo_csv_results(file_format, columns, first) -> bool:
    # `--output results.csv`: vars, then per prompt "[provider] label", Status, Score, …
    return file_format == "csv" and "Status" in columns and "Grader Reason" in columns


def promptfoo_csv_results(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        columns = list(record)
        status_at = columns.index("Status")
        output_column = columns[status_at - 1] if status_at else ""
        skip = {"Description", output_column}
        variables = {name: record[name] for name in columns[: status_at - 1] if name not in skip}
        status = record.get("Status", "").strip().upper()
        yield (
            where,
            {
                "title": record.get("Description", ""),
                "input": variables_input(variables),
                "bad_output": record.get(output_column, ""),
                "notes": labelled_lines(
                    ("promptfoo grader", record.get("Grader Reason", "")),
                    ("Prompt", output_column),
                ),
                PASSED: {"PASS": True, "FAIL": False, "ERROR": False}.get(status),
            },
        )


# promptfoo assertion types (its BaseAssertionTypes) and legacy prefixes: an __expected cell
# that starts with one of these is a check promptfoo runs, not the text it expects.
ASSERTION = re.compile(
    r"^(not-)?(equals|i?contains(-any|-all)?|contains-(json|sql|xml|html)|is-(json|sql|xml|html"
    r"|valid-openai-tools-call|valid-openai-function-call|refusal)|regex|starts-with|similar"
    r"|levenshtein|rouge-n|bleu|gleu|meteor|webhook|perplexity(-score)?|cost|latency"
    r"|answer-relevance|context-(faithfulness|recall|relevance)|factuality"
    r"|model-graded-(closedqa|factuality)|llm-rubric|g-eval|classifier|moderation"
    r"|select-best|javascript|python|guardrails|finish-reason|word-count|trace-\w+"
    r"|pi|ruby|agent-\w+)(\(\d+(\.\d+)?\))?(:[\s\S]*)?$"
    r"|^(javascript|fn|eval|grade|llm-rubric|python|file):"
)
EQUALS = re.compile(r"^equals:\s?([\s\S]*)$")
PROMPTFOO_SPECIAL = ("__expected", "__description", "__metadata:", "__providerOutput")


def is_assertion(cell: str) -> bool:
    return ASSERTION.match(cell.strip()) is not None


def is_promptfoo_tests(file_format, columns, first) -> bool:
    return any(column.startswith(PROMPTFOO_SPECIAL) for column in columns)


def promptfoo_tests(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        expected, assertions = _expected_cells(record)
        variables = {k: v for k, v in record.items() if not k.startswith("_")}
        metadata = {
            k.removeprefix("__metadata:"): v
            for k, v in record.items()
            if k.startswith("__metadata:") and str(v).strip()
        }
        rewritten = {
            "title": record.get("__description", ""),
            "input": variables_input(variables),
            "bad_output": record.get("__providerOutput", ""),
            "expected_output": expected,
        }
        rewritten.update(metadata_fields(metadata))
        rewritten[CHECKS_ONLY] = bool(assertions)
        kept = rewritten.get("notes", "")
        rewritten["notes"] = "\n".join(
            part
            for part in (kept, labelled_lines(("promptfoo assertions", "; ".join(assertions))))
            if part
        )
        yield where, rewritten


def _expected_cells(record: Mapping) -> tuple[str, list[str]]:
    """(the expected output, the assertions kept as a note). Only `__expected` can be the
    expected output, and only when it is a literal or an `equals:`; `__expected1..N` are
    always assertions promptfoo runs (kept as a note, never as the expected output)."""
    expected, assertions = "", []
    for column, cell in record.items():
        if not column.startswith("__expected") or not str(cell).strip():
            continue
        equals = EQUALS.match(cell)
        if column == "__expected" and equals:
            expected = equals.group(1)
        elif column == "__expected" and not is_assertion(cell):
            expected = cell
        else:
            assertions.append(cell)
    return expected, assertions


# Metadata names that feed our fields, whatever the tool (promptfoo's __metadata:*, its
# results' testCase.metadata). Other keys go to the notes, so nothing is dropped unseen.
METADATA_FIELDS = {
    "severity": "severity",
    "failure_type": "failure_type",
    "failure type": "failure_type",
    "category": "failure_type",
    "notes": "notes",
    "note": "notes",
    "comment": "notes",
}


def metadata_fields(metadata) -> dict:
    if not isinstance(metadata, dict):
        return {}
    fields: dict[str, str] = {}
    other = []
    for key, value in metadata.items():
        field = METADATA_FIELDS.get(str(key).strip().lower())
        if field and field not in fields:
            fields[field] = text_of(value)
        elif str(key) and value not in (None, ""):
            other.append(f"{key}: {text_of(value)}")
    notes = [part for part in (fields.get("notes", ""), *other) if part]
    if notes:
        fields["notes"] = "\n".join(notes)
    return fields
