"""Reading an import's file record by record: CSV, JSONL or a JSON array.

A file of 100,000 rows is never held as a list of records: each format's reader is a
generator of `(where, record)` pairs over the file's text, and every step after it (the
upload's check, the preview, the import's two passes) reads the file again from the start.
The text itself (at most IMPORT_MAX_BYTES) is the one thing held whole.

A reader (`READERS`) takes the decoded text and yields, for each row of the file, either
`(where, record)` or `(where, Problem)` for a row it cannot read (bad JSON on one line, more
cells than the header names); `where` is how the file's own format counts ("Row 2", "Line 3",
"Item 3"). A problem with the file as a whole (no header, not JSON at all) raises
ImportRefused. The row limit, the columns and the collecting of problems are the caller's
(`read_upload`), the same for every format.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from decisions.evidence.imports import sources

Record = tuple[str, dict]
PANDAS_INDEX = "(row index)"
ReaderItem = tuple[str, "dict | Problem"]
Reader = Callable[[str], Iterator[ReaderItem]]


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
    """A checked file: its format, its columns, how many rows, and its text, read again
    record by record (`records()`), so no list of every record is ever held."""

    file_format: str  # csv, jsonl or json
    columns: list[str]
    row_count: int
    text: str = field(default="", repr=False)
    # The tool whose shape sources/ rewrites into our columns ("" when none): found again
    # from the first record each time the file is read, so a saved import needs no field.
    source: str = ""

    def records(self) -> Iterator[Record]:
        return sources.in_our_columns(self.file_format, records(self.text, self.file_format))[1]


def read_upload(
    raw: bytes, filename: str, *, max_bytes: int, max_rows: int, max_columns: int
) -> ParsedFile:
    """The checked file, or ImportRefused with every file-level problem found."""
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


def parse_text(text: str, file_format: str, *, max_rows: int | None = None) -> ParsedFile:
    """Reads the whole file once, keeping only its columns and row count; refused with every
    unreadable row, or at the first row past `max_rows`."""
    columns: dict[str, None] = {}
    problems: list[Problem] = []
    rows = 0
    reader = READERS[file_format](text)
    if file_format == "csv":
        header = next(reader)[1]
        columns = dict.fromkeys(header)
        problems = _header_problems(header)
    for _where, item in within_row_limit(reader, max_rows):
        rows += 1
        if isinstance(item, Problem):
            problems.append(item)
        elif file_format != "csv":
            _add_columns(columns, item)
    if problems:
        raise ImportRefused(problems)
    return _in_our_columns(ParsedFile(file_format, list(columns), rows, text), max_rows)


def within_row_limit[T](items: Iterable[T], max_rows: int | None) -> Iterator[T]:
    """The items, refused at the first one past `max_rows` (a file of exactly the limit is
    taken)."""
    for count, item in enumerate(items, start=1):
        if max_rows is not None and count > max_rows:
            raise too_many_rows(max_rows)
        yield item


def source_of(text: str, file_format: str) -> str:
    """The tool shape sources/ finds in the file's first record ("" for none)."""
    return sources.in_our_columns(file_format, records(text, file_format))[0]


def _in_our_columns(parsed: ParsedFile, max_rows: int | None) -> ParsedFile:
    """The file as sources/ rewrites it when it has a tool's own shape (chat fine-tuning,
    promptfoo results…): its columns are ours and its rows are the rewritten ones. One object
    of promptfoo results holds many rows, so the limit is checked again on those."""
    source, rewritten = sources.in_our_columns(
        parsed.file_format, records(parsed.text, parsed.file_format)
    )
    if not source:
        return parsed
    present: set[str] = set()
    rows = 0
    for _where, record in within_row_limit(rewritten, max_rows):
        rows += 1
        present.update(record)
    columns = [column for column in sources.COLUMNS if column in present]
    return ParsedFile(parsed.file_format, columns, rows, parsed.text, source)


def records(text: str, file_format: str) -> Iterator[Record]:
    """The records of a file already checked by `parse_text`."""
    reader = READERS[file_format](text)
    if file_format == "csv":
        next(reader)  # the header
    for where, item in reader:
        if isinstance(item, Problem):  # the file changed since its check: never saved half
            raise ImportRefused([item])
        yield where, item


def _add_columns(columns: dict[str, None], record: dict) -> None:
    """Columns are the top-level keys, plus `parent.key` for each key of a nested object."""
    for key, value in record.items():
        columns[key] = None
        if isinstance(value, dict):
            for sub in value:
                columns[f"{key}.{sub}"] = None


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


# CSV ------------------------------------------------------------------------------------------


def read_csv(text: str) -> Iterator[ReaderItem]:
    """First ("Row 1", the header's names), then each row; blank lines are skipped."""
    reader = csv.reader(_lines(text))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if len(header) > 1 and not header[0] and all(header[1:]):
            # pandas' to_csv writes its index as a first column without a name (LangSmith's
            # get_test_results(...).to_csv() does): named here rather than refused.
            header[0] = PANDAS_INDEX
        if not any(header):
            raise ImportRefused([Problem("The CSV has no header row naming its columns.")])
        yield "Row 1", header
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, often at the end of a spreadsheet export
            where = f"Row {number}"
            if len(cells) > len(header):
                message = f"{len(cells)} cells but the header names {len(header)} columns."
                yield where, Problem(message, where)
                continue
            yield where, dict(zip(header, cells, strict=False))
    except csv.Error as error:
        raise ImportRefused([Problem(f"The CSV cannot be read: {error}.")]) from None


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


# JSON -----------------------------------------------------------------------------------------

# JSON nested deeper than this is refused: no export we read goes past a handful of levels,
# and Python's JSON reader and writer recurse once per level (a file of 100,000 "[" would
# raise RecursionError, a 500).
MAX_JSON_DEPTH = 64
TOO_DEEP = f"is nested more than {MAX_JSON_DEPTH} levels deep; no export we read goes past a few."


def read_jsonl(text: str) -> Iterator[ReaderItem]:
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        where = f"Line {number}"
        try:
            value = _loads(line)
        except json.JSONDecodeError as error:
            yield where, Problem(f"not valid JSON ({error.msg} at column {error.colno}).", where)
            continue
        except _TooDeep:
            yield where, Problem(TOO_DEEP, where)
            continue
        if not isinstance(value, dict):
            yield where, Problem("is not a JSON object ({…}).", where)
            continue
        yield where, value


def read_json_array(text: str) -> Iterator[ReaderItem]:
    try:
        for number, item in enumerate(_json_items(text), start=1):
            where = f"Item {number}"
            if isinstance(item, dict):
                yield where, item
            else:
                yield where, Problem("is not a JSON object ({…}).", where)
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


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_items(text: str) -> Iterator:
    """The items of the file's list, one at a time: a list of millions is refused at the
    first item past the row limit, not after all are built."""
    start = _JSON_SPACE.match(text).end()
    if not text.startswith("[", start):
        yield from _wrapped_items(text)
        return
    position = _JSON_SPACE.match(text, start + 1).end()
    if text.startswith("]", position):
        _end_of_json(text, position + 1)
        return
    while True:
        item, position = _decode_at(text, position, levels_above=1)
        yield item
        position = _JSON_SPACE.match(text, position).end()
        if text.startswith("]", position):
            _end_of_json(text, position + 1)
            return
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _JSON_SPACE.match(text, position + 1).end()


def _wrapped_items(text: str) -> list:
    """Some tools wrap the list: {"examples": [...]} or {"items": [...]}; one object alone
    is a list of one."""
    value = _loads(text)
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        value = lists[0] if len(lists) == 1 else [value]
    if not isinstance(value, list):
        raise ImportRefused([Problem("The JSON is neither a list of objects nor one object.")])
    return value


def _end_of_json(text: str, position: int) -> None:
    end = _JSON_SPACE.match(text, position).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)


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


# Each format's reader; a new source format adds its own here.
READERS: dict[str, Reader] = {"csv": read_csv, "jsonl": read_jsonl, "json": read_json_array}
