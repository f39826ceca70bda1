"""Reading failed examples from the files eval tools export: CSV, JSONL or a JSON array.

Three steps, each refusing bad input with the row and column where there is one:
`read_upload` checks the file as a whole (size, encoding, NUL bytes, JSON syntax, row count),
`suggest_mapping` recognises the tool's shape and maps its columns to our fields, and
`convert_rows` turns every record into an example's fields or a list of problems. An import
saves all rows or none, so problems are collected for the whole file before anything is saved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from decisions.evidence.imports import sources
from decisions.evidence.imports.read import (  # noqa: F401 (the reading side, re-exported)
    PANDAS_INDEX,
    READERS,
    ImportRefused,
    ParsedFile,
    Problem,
    Record,
    decode_utf8,
    detect_format,
    parse_text,
    read_upload,
    records,
    source_of,
    too_large,
    too_many_rows,
)
from decisions.evidence.imports.sources.common import chat_from
from decisions.evidence.models import OUTPUT_MAX, Severity
from decisions.flowchart.vocabulary import Vocabulary
from decisions.lib.spreadsheet import looks_like_formula, unescape_cell
from decisions.projects.models import NOTES_MAX, TITLE_MAX

# The pseudo-column for promptfoo's test CSVs, whose input is every variable column.
ALL_VARIABLES = "@vars"
# How many problems a refusal lists before it says "and N more".
PROBLEMS_SHOWN = 50
TITLE_FROM_INPUT = 80
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    limit: int | None = None
    # Column names that map to this field without asking, in order of preference.
    synonyms: tuple[str, ...] = ()


FIELDS = (
    ImportField("title", "Title", TITLE_MAX, ("title", "name", "__description", "metadata.title")),
    ImportField(
        "input_text",
        "Input",
        OUTPUT_MAX,
        ("input", "inputs", "prompt", "question", "query", "inputs.input", "inputs.question"),
    ),
    ImportField(
        "bad_output",
        "Bad output",
        OUTPUT_MAX,
        ("bad_output", "output", "response", "actual_output", "completion", "metadata.bad_output"),
    ),
    ImportField(
        "expected_output",
        "Expected output",
        OUTPUT_MAX,
        (
            "expected_output",
            "expected",
            "expectedoutput",
            "reference_output",
            "reference",
            "ideal",
            "__expected",
            "answer",
        ),
    ),
    ImportField(
        "failure_type",
        "Failure type",
        None,
        ("failure_type", "metadata.failure_type", "tag", "tags", "category", "label"),
    ),
    ImportField("severity", "Severity", None, ("severity", "metadata.severity")),
    ImportField(
        "techniques_tried",
        "Techniques tried",
        None,
        ("techniques_tried", "techniques", "metadata.techniques_tried"),
    ),
    ImportField("iterations", "Iterations", None, ("iterations", "metadata.iterations")),
    ImportField("notes", "Notes", NOTES_MAX, ("notes", "comment", "comments", "metadata.notes")),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
FIELD_LABELS = {f.name: f.label for f in FIELDS}

SHAPE_LABELS = {
    "langsmith": "LangSmith dataset or experiment",
    "braintrust": "Braintrust dataset or experiment",
    "langfuse": "Langfuse dataset items",
    "promptfoo": "promptfoo test cases",
    "openai_evals": "OpenAI evals samples",
    "plain": "Plain columns",
    **sources.SOURCE_LABELS,
}


# Recognising the tool ---------------------------------------------------------------------


def suggest_mapping(columns: list[str], source: str = "") -> tuple[str, dict[str, str]]:
    """(shape, {field: column}) for the tool whose export these columns look like; a file
    sources.py rewrote (`source`) has our own column names, mapped by name."""
    present = {c.lower(): c for c in columns}
    shape, mapping = (source, {}) if source else _tool_shape(present)
    for import_field in FIELDS:
        if import_field.name in mapping:
            continue
        for synonym in import_field.synonyms:
            column = present.get(synonym)
            if column and column not in mapping.values():
                mapping[import_field.name] = column
                break
    return shape, {name: column for name, column in mapping.items() if column}


def _tool_shape(present: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    def has(*names: str) -> bool:
        return all(name in present for name in names)

    if has("inputs") and (has("outputs") or has("reference_outputs")):
        # A LangSmith dataset keeps the reference answer in `outputs`; an experiment keeps
        # the model's answer there and the reference in `reference_outputs`.
        experiment = has("reference_outputs")
        mapping = {
            "input_text": _single_leaf(present, "inputs"),
            "expected_output": _single_leaf(
                present, "reference_outputs" if experiment else "outputs"
            ),
        }
        if experiment:
            mapping["bad_output"] = _single_leaf(present, "outputs")
        # A dataset leaves the bad output to the synonyms: our own export keeps it in
        # metadata.bad_output, and without it 116 of 1,000 rows came back with no output.
        return "langsmith", mapping
    if has("input", "expectedoutput"):
        return "langfuse", {
            "input_text": present["input"],
            "expected_output": present["expectedoutput"],
        }
    if has("input", "expected") and (has("tags") or has("metadata") or has("id")):
        mapping = {"input_text": present["input"], "expected_output": present["expected"]}
        if not has("metadata.failure_type") and has("tags"):
            mapping["failure_type"] = present["tags"]
        return "braintrust", mapping
    if has("input", "ideal"):
        return "openai_evals", {"input_text": present["input"], "expected_output": present["ideal"]}
    if any(name.startswith("__") for name in present) and not has("input"):
        return "promptfoo", {"input_text": ALL_VARIABLES}
    return "plain", {}


def _single_leaf(present: Mapping[str, str], parent: str) -> str:
    """`inputs.question` when `inputs` holds one key, else the whole `inputs` object."""
    leaves = [column for name, column in present.items() if name.startswith(f"{parent}.")]
    return leaves[0] if len(leaves) == 1 else present.get(parent, "")


# Our CSV's column of a conversation's turns (JSON): the input column beside it holds only
# their readable text, so the turns are what the example is.
MESSAGES_COLUMN = "input_messages"


# Column names of the tools' exports that are not a field's synonym.
SHAPE_COLUMNS = frozenset(
    {"inputs", "outputs", "reference_outputs", "expectedoutput", "metadata", "id", "tags"}
    | {MESSAGES_COLUMN}
)
# A header cell that reads like a value: a sentence, a question, an address, a number.
DATA_LIKE = re.compile(r"[?!;@]|[.:](\s|$)|\d{3}|^[\d\s.,+-]+$|(\S+\s+){4}\S")


def header_looks_like_data(parsed: ParsedFile) -> bool:
    """A CSV whose first row reads like data, not column names: no header cell is a column
    we know, and some read like values. Such a file has no header row, and its first row
    would silently become the column names."""
    if parsed.file_format != "csv":
        return False
    known = {synonym for f in FIELDS for synonym in f.synonyms} | SHAPE_COLUMNS
    names = [name.lower() for name in parsed.columns]
    if any(name in known or name.startswith("__") for name in names):
        return False
    return any(DATA_LIKE.search(cell) for cell in parsed.columns)


# Turning records into examples ------------------------------------------------------------


@dataclass
class ConvertedRow:
    where: str
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def column_value(record: Mapping, column: str):
    if column in record:
        return record[column]
    parent, _, key = column.partition(".")
    nested = record.get(parent)
    return nested.get(key) if isinstance(nested, dict) else None


def as_text(value) -> str:
    """A cell or a JSON value as the text a person would read."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, dict):
        if "messages" in value and isinstance(value["messages"], list):
            return as_text(value["messages"])
        if "role" in value and "content" in value:  # one chat message: a trace's output
            return as_text(value["content"])
        if len(value) == 1 and isinstance(next(iter(value.values())), str):
            return next(iter(value.values()))
    if isinstance(value, list):
        if value and all(isinstance(i, dict) and i.get("role") == "assistant" for i in value):
            # An output as messages ({"messages": [{"role": "assistant", …}]}): the answer.
            return "\n\n".join(as_text(item.get("content")) for item in value)
        if all(isinstance(item, dict) and "content" in item for item in value):
            return "\n\n".join(
                f"{m.get('role', 'message')}: {as_text(m['content'])}" for m in value
            )
        if all(isinstance(item, str) for item in value):
            return "\n".join(value)
    return json.dumps(value, ensure_ascii=False, indent=2)


def variables_text(record: Mapping) -> str:
    """promptfoo's input: every variable column, by name when there are several."""
    variables = [(k, as_text(v)) for k, v in record.items() if not k.startswith(("__", "@"))]
    if len(variables) == 1:
        return variables[0][1]
    return "\n".join(f"{name}: {value}" for name, value in variables)


def unknown_failure_types(
    parsed: ParsedFile, mapping: Mapping[str, str], vocabulary: Vocabulary
) -> list[str]:
    column = mapping.get("failure_type")
    if not column:
        return []
    unknown: dict[str, None] = {}
    for _, record in parsed.records():
        known, first = _failure_type_of(column_value(record, column), vocabulary)
        if not known and first:
            unknown[first] = None
    return sorted(unknown)


def _failure_type_of(value, vocabulary: Vocabulary) -> tuple[str, str]:
    """(the vocabulary id it names, or "", and the first raw value, normalised)."""
    values = value if isinstance(value, list) else [value]
    names = [as_text(v).strip().lower() for v in values if as_text(v).strip()]
    for name in names:
        term = _find_term(vocabulary.failure_types, name)
        if term:
            return term, names[0]
    return "", names[0] if names else ""


def _find_term(terms: Iterable, name: str) -> str:
    for term in terms:
        if name in (term.id, term.label.lower(), term.short.lower()):
            return term.id
    return ""


@dataclass(frozen=True)
class ImportSettings:
    mapping: Mapping[str, str]
    type_mapping: Mapping[str, str]
    default_failure_type: str
    # Leave out the rows the file marks as passing (promptfoo results, scores, feedback).
    only_failing: bool = False


def records_to_import(parsed: ParsedFile, only_failing: bool) -> Iterator[Record]:
    """The records an import saves, one at a time: all, or without those the tool judged a
    pass."""
    if not only_failing:
        return parsed.records()
    return ((where, r) for where, r in parsed.records() if r.get(sources.PASSED) is not True)


def mapping_problems(parsed: ParsedFile, mapping: Mapping[str, str]) -> list[Problem]:
    problems = []
    if not mapping.get("input_text"):
        problems.append(
            Problem(
                "No column is mapped to Input: pick the column that holds what the model was given."
            )
        )
    if not mapping.get("bad_output") and not mapping.get("expected_output"):
        problems.append(
            Problem("No column is mapped to Bad output or Expected output: map at least one.")
        )
    known = set(parsed.columns) | {ALL_VARIABLES}
    for name, column in mapping.items():
        if column and column not in known:
            problems.append(Problem(f"The file has no column “{column}” for {FIELD_LABELS[name]}."))
    return problems


def convert_rows(
    parsed: ParsedFile, options: ImportSettings, vocabulary: Vocabulary
) -> list[ConvertedRow]:
    """Every row at once: for a small file (tests, a preview's first rows)."""
    return list(converted(parsed, options, vocabulary))


def converted(
    parsed: ParsedFile, options: ImportSettings, vocabulary: Vocabulary
) -> Iterator[ConvertedRow]:
    """Each row's fields or problems, one row at a time (an import reads 100,000)."""
    for where, record in records_to_import(parsed, options.only_failing):
        yield _convert(where, record, parsed, options, vocabulary)


def _convert(where, record, parsed, options, vocabulary) -> ConvertedRow:
    row = ConvertedRow(where)
    for import_field in FIELDS:
        column = options.mapping.get(import_field.name, "")
        raw = _raw_value(record, column)
        if import_field.name == "input_text":
            try:
                raw = _chat_input(row, _saved_conversation(record, parsed) or raw)
            except ValueError as error:
                row.problems.append(Problem(str(error), where, column))
                continue
        if parsed.file_format == "csv" and isinstance(raw, str):
            if looks_like_formula(raw):
                row.problems.append(
                    Problem(
                        f"starts with “{raw[0]}”, which a spreadsheet runs as a formula. "
                        "Put an apostrophe before it to keep it as text.",
                        where,
                        column,
                    )
                )
                continue
            raw = unescape_cell(raw)
        try:
            row.values[import_field.name] = _clean(import_field, raw, options, vocabulary)
        except ValueError as error:
            row.problems.append(Problem(str(error), where, column))
    _check_required(row, record, options)
    return row


def _saved_conversation(record, parsed: ParsedFile) -> list | None:
    """The turns in our CSV's input_messages cell, or None when the file has none there.
    ValueError, naming the column, when the cell holds no list of turns."""
    if parsed.file_format != "csv" or MESSAGES_COLUMN not in parsed.columns:
        return None
    cell = unescape_cell(str(column_value(record, MESSAGES_COLUMN) or "")).strip()
    if not cell:
        return None
    try:
        turns = json.loads(cell)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{MESSAGES_COLUMN} is not JSON ({error.msg} at character {error.pos + 1}): it "
            'holds the turns as [{"role": "user", "content": "…"}, …], or nothing.'
        ) from None
    if chat_from(turns) is None:
        raise ValueError(
            f"{MESSAGES_COLUMN} holds no list of turns: write them as "
            '[{"role": "user", "content": "…"}, …], or leave it empty.'
        )
    return turns


def _chat_input(row: ConvertedRow, raw):
    """Keeps a conversation's turns (input_messages) beside its readable text."""
    raw, turns = sources.input_parts(raw)
    if turns:
        row.values["input_messages"] = turns
    return raw


def _raw_value(record, column: str):
    if not column:
        return None
    if column == ALL_VARIABLES:
        return variables_text(record)
    return column_value(record, column)


def _clean(import_field: ImportField, raw, options: ImportSettings, vocabulary: Vocabulary):
    name = import_field.name
    if name == "failure_type":
        return _clean_failure_type(raw, options, vocabulary)
    if name == "techniques_tried":
        return _clean_techniques(raw, vocabulary)
    text = as_text(raw).strip() if name in ("severity", "iterations") else as_text(raw)
    if "\x00" in text:
        raise ValueError("contains a NUL character, which cannot be stored.")
    if name == "severity":
        return _clean_severity(text)
    if name == "iterations":
        return _clean_iterations(text)
    if import_field.limit and len(text) > import_field.limit:
        raise ValueError(
            f"{len(text):,} characters; the limit is {import_field.limit:,}. Nothing was cut: "
            "shorten it in the file."
        )
    return text


def _clean_failure_type(raw, options: ImportSettings, vocabulary: Vocabulary) -> str:
    known, first = _failure_type_of(raw, vocabulary)
    if known:
        return known
    if not first:
        return options.default_failure_type
    mapped = options.type_mapping.get(first, "")
    if mapped and _find_term(vocabulary.failure_types, mapped):
        return mapped
    raise ValueError(f"“{first}” is not one of our failure types: map it in the preview.")


def _clean_techniques(raw, vocabulary: Vocabulary) -> list[str]:
    values = raw if isinstance(raw, list) else re.split(r"[,;|]", as_text(raw))
    chosen = []
    for value in values:
        name = as_text(value).strip().lower()
        if not name:
            continue
        term = _find_term(vocabulary.techniques, name)
        if not term:
            allowed = ", ".join(t.id for t in vocabulary.techniques)
            raise ValueError(f"“{name}” is not a technique; use {allowed}.")
        chosen.append(term)
    order = [t.id for t in vocabulary.techniques]
    return sorted(set(chosen), key=order.index)


def _clean_severity(text: str) -> str:
    if not text:
        return Severity.MEDIUM
    for value, label in Severity.choices:
        if text.lower() in (value, label.lower()):
            return value
    raise ValueError(f"“{text}” is not a severity; use low, medium or high.")


def _clean_iterations(text: str) -> int:
    if not text:
        return 0
    if not text.isdigit() or int(text) > MAX_ITERATIONS:
        raise ValueError(f"“{text}” is not a whole number from 0 to {MAX_ITERATIONS:,}.")
    return int(text)


def _check_required(row: ConvertedRow, record, options: ImportSettings) -> None:
    values = row.values
    if "input_text" in values and not values["input_text"].strip():
        row.problems.append(
            Problem("Input is empty.", row.where, options.mapping.get("input_text", ""))
        )
    outputs = (values.get("bad_output", ""), values.get("expected_output", ""))
    has_output = any(text.strip() for text in outputs if isinstance(text, str))
    if not has_output and not record.get(sources.CHECKS_ONLY):
        row.problems.append(Problem("Bad output and expected output are both empty.", row.where))
    if not values.get("title", "").strip() and values.get("input_text", "").strip():
        values["title"] = title_from(_title_source(values))
        # The title is then the input's own text: a copy that leaves the texts out must
        # leave it out too.
        values["title_derived"] = True


def _title_source(values: Mapping) -> str:
    """A conversation is named by its last user turn (what was asked), not its system turn."""
    asked = [m["content"] for m in values.get("input_messages", []) if m["role"] == "user"]
    return asked[-1] if asked and asked[-1].strip() else values["input_text"]


def title_from(text: str) -> str:
    """A title for a row that has none: the input's first line, shortened with an ellipsis
    (the input itself is kept whole)."""
    first_line = text.strip().splitlines()[0].strip()
    if len(first_line) <= TITLE_FROM_INPUT:
        return first_line
    return first_line[: TITLE_FROM_INPUT - 1].rstrip() + "…"


@dataclass(frozen=True)
class ProblemGroup:
    """One message found in several rows: listed once, with the rows it was found in."""

    message: str
    column: str
    rows: tuple[str, ...]

    ROWS_SHOWN = 5

    @property
    def rows_text(self) -> str:
        shown = ", ".join(self.rows[: self.ROWS_SHOWN])
        more = len(self.rows) - self.ROWS_SHOWN
        return f"{shown} and {more} more" if more > 0 else shown


def grouped(problems: Iterable[Problem]) -> list[ProblemGroup]:
    groups: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        groups.setdefault((problem.message, problem.column), []).append(problem.row)
    return [
        ProblemGroup(message, column, tuple(row for row in rows if row))
        for (message, column), rows in groups.items()
    ]


def all_problems(rows: Iterable[ConvertedRow]) -> list[Problem]:
    return [problem for row in rows for problem in row.problems]
