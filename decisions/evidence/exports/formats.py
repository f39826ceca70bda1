"""A project's examples as files for the tools around us: training data and eval datasets.

Each target says which examples it can use (training formats need the expected output, a
preference pair needs the bad output too), how few it accepts and how many its makers
recommend. The project's test set (evidence/test_set.py) decides the parts: a training format
writes only examples outside it, a dataset format writes the test set alone or the training
split, so no example is ever in a training file and a test file of the same project.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from decisions.evidence.models import FailedExample
from decisions.lib.spreadsheet import escape_cell

# The columns of our own CSV, in the order the import maps back without asking.
CSV_COLUMNS = (
    "title",
    "failure_type",
    "severity",
    "input",
    "bad_output",
    "expected_output",
    "techniques_tried",
    "iterations",
    "notes",
)


# What a target's files are for, and so which parts of the examples they may hold.
TRAINING = "training"  # what a model learns from: never the test set
DATASET = "dataset"  # what an eval tool runs: the test set alone, or the training split
BACKUP = "backup"  # every example, to edit in a spreadsheet and import back
PARTS = {TRAINING: ("train",), DATASET: ("test", "train"), BACKUP: ("all",)}


@dataclass(frozen=True)
class Target:
    slug: str
    label: str
    filename_suffix: str
    content_type: str
    needs: tuple[str, ...]  # example fields that must not be empty
    minimum: int  # below this the tool refuses the file
    recommended: int  # its makers' advice for a useful result
    note: str
    write: Callable[[Sequence[FailedExample], str], str]
    kind: str = TRAINING
    # The vendor facts row (provider, and a word of its offering) this file is for: the export
    # page shows that row's status, minimum and deadline from the definition, as checked.
    vendor: tuple[str, str] | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return PARTS[self.kind]


def usable(target: Target, examples: Iterable[FailedExample]) -> list[FailedExample]:
    return [e for e in examples if all(getattr(e, name).strip() for name in target.needs)]


def _csv(rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape_cell(str(cell)) for cell in row])
    return buffer.getvalue()


def _jsonl(records: Iterable[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def write_csv(examples: Sequence[FailedExample], system: str) -> str:
    header = [CSV_COLUMNS]
    rows = [
        (
            e.title,
            e.failure_type,
            e.severity,
            e.input_text,
            e.bad_output,
            e.expected_output,
            ",".join(e.techniques_tried),
            e.iterations,
            e.notes,
        )
        for e in examples
    ]
    return _csv(header + rows)


def _system(system: str) -> list[dict]:
    return [{"role": "system", "content": system}] if system.strip() else []


def write_openai_chat(examples: Sequence[FailedExample], system: str) -> str:
    return _jsonl(
        {
            "messages": [
                *_system(system),
                {"role": "user", "content": e.input_text},
                {"role": "assistant", "content": e.expected_output},
            ]
        }
        for e in examples
    )


def write_preference(examples: Sequence[FailedExample], system: str) -> str:
    return _jsonl(
        {
            "input": {"messages": [*_system(system), {"role": "user", "content": e.input_text}]},
            "preferred_output": [{"role": "assistant", "content": e.expected_output}],
            "non_preferred_output": [{"role": "assistant", "content": e.bad_output}],
        }
        for e in examples
    )


def write_vertex(examples: Sequence[FailedExample], system: str) -> str:
    def record(e: FailedExample) -> dict:
        contents = [
            {"role": "user", "parts": [{"text": e.input_text}]},
            {"role": "model", "parts": [{"text": e.expected_output}]},
        ]
        if not system.strip():
            return {"contents": contents}
        return {
            "systemInstruction": {"role": "system", "parts": [{"text": system}]},
            "contents": contents,
        }

    return _jsonl(record(e) for e in examples)


def write_bedrock(examples: Sequence[FailedExample], system: str) -> str:
    def record(e: FailedExample) -> dict:
        return {
            "schemaVersion": "bedrock-conversation-2024",
            "system": [{"text": system}] if system.strip() else [],
            "messages": [
                {"role": "user", "content": [{"text": e.input_text}]},
                {"role": "assistant", "content": [{"text": e.expected_output}]},
            ],
        }

    return _jsonl(record(e) for e in examples)


def write_promptfoo(examples: Sequence[FailedExample], system: str) -> str:
    header = [("input", "__expected", "__description")]
    return _csv(header + [(e.input_text, e.expected_output, e.title) for e in examples])


def _metadata(e: FailedExample) -> dict:
    return {
        "title": e.title,
        "failure_type": e.failure_type,
        "severity": e.severity,
        "bad_output": e.bad_output,
        "techniques_tried": list(e.techniques_tried),
        "iterations": e.iterations,
        "notes": e.notes,
    }


def write_langsmith(examples: Sequence[FailedExample], system: str) -> str:
    return _jsonl(
        {
            "inputs": {"input": e.input_text},
            "outputs": {"output": e.expected_output},
            "metadata": _metadata(e),
        }
        for e in examples
    )


def write_braintrust(examples: Sequence[FailedExample], system: str) -> str:
    return _jsonl(
        {
            "input": e.input_text,
            "expected": e.expected_output,
            "metadata": _metadata(e),
            "tags": [e.failure_type],
        }
        for e in examples
    )


JSONL = "application/jsonl; charset=utf-8"
CSV = "text/csv; charset=utf-8"
TARGETS = {
    target.slug: target
    for target in (
        Target(
            "csv",
            "CSV for spreadsheets (every field; imports back unchanged)",
            "csv",
            CSV,
            (),
            1,
            1,
            "Cells starting with =, +, -, @ or an apostrophe get an apostrophe first, so no "
            "spreadsheet runs them and they import back unchanged.",
            write_csv,
            BACKUP,
        ),
        Target(
            "openai-chat",
            "OpenAI chat fine-tuning (JSONL)",
            "jsonl",
            JSONL,
            ("expected_output",),
            10,
            50,
            "One chat per example: system, user, assistant (the expected output).",
            write_openai_chat,
            vendor=("OpenAI", "fine-tuning"),
        ),
        Target(
            "openai-preference",
            "OpenAI preference pairs, DPO (JSONL)",
            "jsonl",
            JSONL,
            ("expected_output", "bad_output"),
            10,
            50,
            "The expected output is preferred over the bad one; both must be recorded.",
            write_preference,
            vendor=("OpenAI", "fine-tuning"),
        ),
        Target(
            "vertex-gemini",
            "Vertex AI Gemini supervised tuning (JSONL)",
            "jsonl",
            JSONL,
            ("expected_output",),
            1,
            100,
            "Gemini's contents format: the input as the user, the expected output as the model.",
            write_vertex,
            vendor=("Google", "Agent Platform"),
        ),
        Target(
            "bedrock-conversation",
            "Amazon Bedrock conversation fine-tuning (JSONL)",
            "jsonl",
            JSONL,
            ("expected_output",),
            1,
            100,
            "Bedrock's conversation schema: the input as the user, the expected output as the "
            "assistant.",
            write_bedrock,
            vendor=("Amazon", "Bedrock"),
        ),
        Target(
            "promptfoo",
            "promptfoo test cases (CSV)",
            "csv",
            CSV,
            (),
            1,
            1,
            "Each example's input becomes the variable {{input}}; __expected holds the "
            "expected output (equals when it has no assertion prefix).",
            write_promptfoo,
            DATASET,
        ),
        Target(
            "langsmith",
            "LangSmith dataset (JSONL)",
            "jsonl",
            JSONL,
            (),
            1,
            1,
            "inputs.input, outputs.output (the expected output), and the rest in metadata.",
            write_langsmith,
            DATASET,
        ),
        Target(
            "braintrust",
            "Braintrust dataset (JSONL)",
            "jsonl",
            JSONL,
            (),
            1,
            1,
            "input, expected, metadata, and the failure type as a tag.",
            write_braintrust,
            DATASET,
        ),
    )
}


@dataclass(frozen=True)
class ExportPlan:
    """What one target gets from a project: counts for the page, examples for each file."""

    target: Target
    total: int
    usable: int
    training: list[FailedExample]
    held_out: list[FailedExample]

    @property
    def left_out(self) -> int:
        return self.total - self.usable

    @property
    def below_minimum(self) -> bool:
        return len(self.training) < self.target.minimum

    @property
    def below_recommended(self) -> bool:
        return len(self.training) < self.target.recommended

    def part(self, name: str) -> list[FailedExample]:
        if name == "all":
            return self.training + self.held_out
        return self.held_out if name == "test" else self.training


def export_plan(target: Target, examples: Sequence[FailedExample]) -> ExportPlan:
    chosen = usable(target, examples)
    if target.kind == BACKUP:
        return ExportPlan(target, len(examples), len(chosen), chosen, [])
    training = [e for e in chosen if not e.in_test_set]
    held_out = [e for e in chosen if e.in_test_set]
    return ExportPlan(target, len(examples), len(chosen), training, held_out)
