"""Reading failed examples from the files eval tools export: CSV, JSONL or a JSON array.

Three steps, each refusing bad input with the row and column where there is one:
`read_upload` checks the file as a whole (size, encoding, NUL bytes, JSON syntax, row count),
`suggest_mapping` recognises the tool's shape and maps its columns to our fields, and
`convert_rows` turns every record into an example's fields or a list of problems. An import
saves all rows or none, so problems are collected for the whole file before anything is saved.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from decisions.evidence.imports import sources
from decisions.evidence.models import OUTPUT_MAX, Severity
from decisions.flowchart.vocabulary import Vocabulary
from decisions.lib.spreadsheet import looks_like_formula, unescape_cell
from decisions.projects.models import NOTES_MAX, TITLE_MAX

# The pseudo-column for promptfoo's test CSVs, whose input is every variable column.
ALL_VARIABLES = "@vars"
PANDAS_INDEX = "(row index)"
# How many problems a refusal lists before it says "and N more".
PROBLEMS_SHOWN = 50
TITLE_FROM_INPUT = 80
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class Problem:
    message: str
    row: str = ""  # "Row 3", "Line 3" or "Item 3": as the file's own format counts
    column: str = ""

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (self.row, self.column and f"column {self.column}") if part
        )
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {"message": self.message, "row": self.row, "column": self.column}


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


@dataclass
class ParsedFile:
    file_format: str  # csv, jsonl or json
    columns: list[str]
    # (where, record): where is "Row 2" for CSV (the header is row 1), "Line 3" for JSONL.
    records: list[tuple[str, dict]]
    # The tool whose shape sources.py rewrote into our columns ("" when none did).
    source: str = ""

    @property
    def row_count(self) -> int:
        return len(self.records)


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


# Reading the file ---------------------------------------------------------------------------


def read_upload(
    raw: bytes, filename: str, *, max_bytes: int, max_rows: int, max_columns: int
) -> ParsedFile:
    """The file's records, or ImportRefused with every file-level problem found."""
    if len(raw) > max_bytes:
        raise ImportRefused([too_large(max_bytes)])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise ImportRefused(
            [
                Problem(
                    "The file holds a NUL byte, so it is binary or damaged "
                    "(a spreadsheet saved as .xlsx, or UTF-16?). Export it as CSV or JSON "
                    "in UTF-8.",
                    row=f"Line {line}",
                )
            ]
        )
    text = decode_utf8(raw)
    parsed = parse_text(text, detect_format(filename, text), max_rows=max_rows)
    if parsed.row_count == 0:
        raise ImportRefused([Problem("The file holds no rows to import.")])
    if len(parsed.columns) > max_columns:
        # Each column is an option in each of the preview's selects: thousands of them
        # make a page of megabytes that takes a worker a minute to render.
        raise ImportRefused(
            [
                Problem(
                    f"The file has {len(parsed.columns):,} columns; the limit is "
                    f"{max_columns:,}. Keep the columns to import (input, outputs, failure "
                    "type…) and upload it again."
                )
            ]
        )
    return parsed


def too_large(max_bytes: int, upload_bytes: int | None = None) -> Problem:
    """The refusal of a file over the limit; the size of the whole upload when it is known
    (the upload is refused while it streams in, so the file is never read to its end)."""
    sent = f" (this upload is {_megabytes(upload_bytes)})" if upload_bytes else ""
    return Problem(
        f"The file is larger than the limit of {_megabytes(max_bytes)}{sent}. "
        "Split it and import the parts one after another."
    )


def too_many_rows(max_rows: int) -> ImportRefused:
    """Raised at the first row past the limit: counting on would parse a file of millions of
    tiny rows in full (seconds, and a gigabyte of memory) only to refuse it."""
    return ImportRefused(
        [
            Problem(
                f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}. "
                "Split it and import the parts one after another."
            )
        ]
    )


def _megabytes(size: int) -> str:
    """1.2 MB, or 800 kB under a megabyte (a small limit set for tests or a small server)."""
    if size < 1_000_000:
        return f"{size / 1_000:.1f} kB".replace(".0 kB", " kB")
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def decode_utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex().upper()
        raise ImportRefused(
            [
                Problem(
                    f"The file is not UTF-8 (byte 0x{byte} cannot start a character). "
                    "Save it as UTF-8 (“CSV UTF-8” in Excel) and upload it again.",
                    row=f"Line {line}",
                )
            ]
        ) from None


def detect_format(filename: str, text: str) -> str:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in ("jsonl", "ndjson"):
        return "jsonl"
    if suffix in ("json", "csv"):
        return suffix
    start = text.lstrip()[:1]
    return {"[": "json", "{": "jsonl"}.get(start, "csv")


def parse_text(text: str, file_format: str, *, max_rows: int | None = None) -> ParsedFile:
    """Records of the file; with `max_rows`, refused at the first record past it."""
    if file_format == "csv":
        parsed = _parse_csv(text, max_rows)
    elif file_format == "jsonl":
        parsed = _with_columns("jsonl", _parse_jsonl(text, max_rows))
    else:
        parsed = _with_columns("json", _parse_json_array(text, max_rows))
    return _in_our_columns(parsed, max_rows)


def _in_our_columns(parsed: ParsedFile, max_rows: int | None) -> ParsedFile:
    """The file rewritten by sources.py when it has a tool's own shape (chat fine-tuning,
    promptfoo results…). One object of promptfoo results holds many rows, so the limit is
    checked again on the rows it gives."""
    found = sources.recognise(parsed.file_format, parsed.columns, parsed.records)
    if found is None:
        return parsed
    if max_rows is not None and len(found.records) > max_rows:
        raise too_many_rows(max_rows)
    return ParsedFile(parsed.file_format, found.columns, found.records, source=found.source)


def _parse_csv(text: str, max_rows: int | None) -> ParsedFile:
    reader = csv.reader(_lines(text))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if len(header) > 1 and not header[0] and all(header[1:]):
            # pandas' to_csv writes its index as a first column without a name (LangSmith's
            # get_test_results(...).to_csv() does): named here rather than refused.
            header[0] = PANDAS_INDEX
        if not any(header):
            raise ImportRefused([Problem("The CSV has no header row naming its columns.")])
        problems = _header_problems(header)
        records, rows = [], 0
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, often at the end of a spreadsheet export
            rows += 1
            if max_rows is not None and rows > max_rows:
                raise too_many_rows(max_rows)
            where = f"Row {number}"
            if len(cells) > len(header):
                message = f"{len(cells)} cells but the header names {len(header)} columns."
                problems.append(Problem(message, where))
                continue
            records.append((where, dict(zip(header, cells, strict=False))))
    except csv.Error as error:
        raise ImportRefused([Problem(f"The CSV cannot be read: {error}.")]) from None
    if problems:
        raise ImportRefused(problems)
    return ParsedFile("csv", header, records)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The text's lines one at a time, each with its line ending (\\n, \\r\\n or a Mac's \\r).
    Splitting the whole text first, or a StringIO (four bytes a character), holds millions
    of lines or 20 MB before the row limit is reached."""
    return (match.group() for match in _LINE.finditer(text))


def _header_problems(header: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for number, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(f"Column {number} of the header has no name.", row="Row 1"))
        elif name in seen:
            problems.append(
                Problem(f"The header names “{name}” twice.{_twice_hint(name)}", "Row 1")
            )
        seen.add(name)
    return problems


# The columns a promptfoo results CSV repeats for each prompt it compares.
PROMPTFOO_PER_PROMPT = frozenset({"Status", "Score", "Named Scores", "Grader Reason", "Comment"})


def _twice_hint(name: str) -> str:
    if name not in PROMPTFOO_PER_PROMPT:
        return ""
    return (
        " promptfoo writes its result columns once per prompt, so a CSV of several prompts "
        "or models names them again: import its --output results.json (or .jsonl), which "
        "keeps every result apart."
    )


# JSON nested deeper than this is refused: no export we read goes past a handful of levels,
# and Python's JSON reader and writer recurse once per level (a file of 100,000 "[" would
# raise RecursionError, a 500).
MAX_JSON_DEPTH = 64
TOO_DEEP = f"is nested more than {MAX_JSON_DEPTH} levels deep; no export we read goes past a few."


def _parse_jsonl(text: str, max_rows: int | None) -> list[tuple[str, dict]]:
    records, problems = [], []
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        if max_rows is not None and len(records) + len(problems) >= max_rows:
            raise too_many_rows(max_rows)
        try:
            value = _loads(line)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(f"not valid JSON ({error.msg} at column {error.colno}).", f"Line {number}")
            )
            continue
        except _TooDeep:
            problems.append(Problem(TOO_DEEP, f"Line {number}"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem("is not a JSON object ({…}).", f"Line {number}"))
            continue
        records.append((f"Line {number}", value))
    if problems:
        raise ImportRefused(problems)
    return records


def _parse_json_array(text: str, max_rows: int | None) -> list[tuple[str, dict]]:
    try:
        items = _json_items(text, max_rows)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                Problem(
                    f"The file is not valid JSON ({error.msg} at column {error.colno}).",
                    row=f"Line {error.lineno}",
                )
            ]
        ) from None
    except _TooDeep:
        raise ImportRefused([Problem(f"The JSON {TOO_DEEP}")]) from None
    bad = [n for n, item in enumerate(items, start=1) if not isinstance(item, dict)]
    if bad:
        raise ImportRefused([Problem("is not a JSON object ({…}).", f"Item {n}") for n in bad])
    return [(f"Item {n}", item) for n, item in enumerate(items, start=1)]


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_items(text: str, max_rows: int | None) -> list:
    """The items of the file's list. A top-level list is read one item at a time, so a list
    of millions is refused at the first item past the row limit, not after all are built."""
    start = _JSON_SPACE.match(text).end()
    if not text.startswith("[", start):
        value = _loads(text)
        if isinstance(value, dict):
            # Some tools wrap the list: {"examples": [...]} or {"items": [...]}.
            lists = [v for v in value.values() if isinstance(v, list)]
            value = lists[0] if len(lists) == 1 else [value]
        if not isinstance(value, list):
            raise ImportRefused([Problem("The JSON is neither a list of objects nor one object.")])
        if max_rows is not None and len(value) > max_rows:
            raise too_many_rows(max_rows)
        return value
    items: list = []
    position = _JSON_SPACE.match(text, start + 1).end()
    if text.startswith("]", position):
        return _end_of_json(text, position + 1, items)
    while True:
        if max_rows is not None and len(items) >= max_rows:
            raise too_many_rows(max_rows)
        item, position = _decode_at(text, position, levels_above=1)
        items.append(item)
        position = _JSON_SPACE.match(text, position).end()
        if text.startswith("]", position):
            return _end_of_json(text, position + 1, items)
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _JSON_SPACE.match(text, position + 1).end()


def _end_of_json(text: str, position: int, items: list) -> list:
    end = _JSON_SPACE.match(text, position).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return items


class _TooDeep(Exception):
    pass


def _loads(text: str):
    value, end = _decode_at(text, _JSON_SPACE.match(text).end())
    end = _JSON_SPACE.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _decode_at(text: str, position: int, *, levels_above: int = 0):
    """One JSON value from `position`, refused as too deep both when the reader runs out of
    stack and when it parses but nests deeper than MAX_JSON_DEPTH (with the levels around it,
    the list of an array's items)."""
    try:
        value, end = _DECODER.raw_decode(text, position)
    except RecursionError:
        raise _TooDeep from None
    if _depth_over(value, MAX_JSON_DEPTH - levels_above):
        raise _TooDeep
    return value, end


def _depth_over(value, limit: int) -> bool:
    """Walks the value without recursing (recursion is what deep JSON breaks)."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _with_columns(file_format: str, records: list[tuple[str, dict]]) -> ParsedFile:
    """Columns are the top-level keys, plus `parent.key` for each key of a nested object."""
    columns: dict[str, None] = {}
    for _, record in records:
        for key, value in record.items():
            columns[key] = None
            if isinstance(value, dict):
                for sub in value:
                    columns[f"{key}.{sub}"] = None
    return ParsedFile(file_format, list(columns), records)


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


# Column names of the tools' exports that are not a field's synonym.
SHAPE_COLUMNS = frozenset(
    {"inputs", "outputs", "reference_outputs", "expectedoutput", "metadata", "id", "tags"}
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
    for _, record in parsed.records:
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


def records_to_import(parsed: ParsedFile, only_failing: bool) -> list[tuple[str, dict]]:
    """The records an import saves: all, or without those the tool judged a pass."""
    if not only_failing:
        return parsed.records
    return [(where, r) for where, r in parsed.records if r.get(sources.PASSED) is not True]


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
    return [
        _convert(where, record, parsed, options, vocabulary)
        for where, record in records_to_import(parsed, options.only_failing)
    ]


def _convert(where, record, parsed, options, vocabulary) -> ConvertedRow:
    row = ConvertedRow(where)
    for import_field in FIELDS:
        column = options.mapping.get(import_field.name, "")
        raw = _raw_value(record, column)
        if import_field.name == "input_text":
            try:
                raw = _chat_input(row, raw)
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
