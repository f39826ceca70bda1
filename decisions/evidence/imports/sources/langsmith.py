"""LangSmith's experiment CSV: `client.get_test_results(...).to_csv()`."""

from __future__ import annotations

from collections.abc import Iterator

from decisions.evidence.imports.sources.common import (
    PASSED,
    Records,
    joined,
    labelled_lines,
    passed_by,
    variables_input,
)

# LangSmith experiment CSV (client.get_test_results(...).to_csv()) -------------------------------

LANGSMITH_PREFIXES = ("inputs.", "input.", "outputs.", "reference.", "feedback.")


def is_langsmith_csv(file_format, columns, first) -> bool:
    has = {prefix for prefix in LANGSMITH_PREFIXES for c in columns if c.startswith(prefix)}
    return file_format == "csv" and bool(has & {"inputs.", "input."}) and len(has) >= 2


def langsmith_csv(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:

        def group(*prefixes: str, record=record) -> dict:
            return {
                k.split(".", 1)[1]: v
                for k, v in record.items()
                if k.startswith(prefixes) and str(v).strip()
            }

        feedback = group("feedback.")
        outputs = group("outputs.") or ({"output": record["output"]} if "output" in record else {})
        reference = group("reference.") or (
            {"reference": record["reference"]} if "reference" in record else {}
        )
        yield (
            where,
            {
                "input": variables_input(group("inputs.", "input.")),
                "bad_output": joined(outputs),
                "expected_output": joined(reference),
                "notes": labelled_lines(
                    ("LangSmith feedback", ", ".join(f"{k} {v}" for k, v in feedback.items())),
                    ("Error", record.get("error", "")),
                ),
                PASSED: passed_by(feedback),
            },
        )
