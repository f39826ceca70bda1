"""The tools' own file shapes, read into the plain columns the import maps.

Most exports map column by column (parse.suggest_mapping). These do not: a chat fine-tuning
line keeps its expected output as the conversation's last assistant turn, a promptfoo results
file holds a list of results inside one object, a ShareGPT record names roles "human" and
"gpt". `in_our_columns` spots such a file from its first record and rewrites every record, one at
a time, into columns named after our fields (`input`, `bad_output`, `expected_output`,
`title`, `severity`, `failure_type`, `notes`), which the mapping then takes without asking.

A rewritten record also says whether the tool judged the row a pass (`PASSED`: True, False or
None when the file does not say), so the import can leave the passing rows out.

The package imports nothing else of the import: parse.py calls it (one hook in parse_text).
Its modules: common (the record keys, chat turns, scores), chat (OpenAI chat and preference,
Alpaca, ShareGPT), promptfoo (results and test CSVs), langsmith (the experiment CSV).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping

from decisions.evidence.imports.sources import chat, langsmith, promptfoo
from decisions.evidence.imports.sources.common import (
    CHECKS_ONLY,
    PASS_SCORE,
    PASSED,
    Records,
    input_parts,
    passed_by,
    scores_of,
)

__all__ = [
    "CHECKS_ONLY",
    "PASS_SCORE",
    "PASSED",
    "SOURCE_LABELS",
    "in_our_columns",
    "input_parts",
    "pass_counts",
]

# The columns a rewritten record may have, in the order the preview lists them.
COLUMNS = (
    "title",
    "input",
    "bad_output",
    "expected_output",
    "failure_type",
    "severity",
    "notes",
)

SOURCE_LABELS = {
    "openai_chat": "OpenAI chat fine-tuning (messages)",
    "openai_preference": "OpenAI preference pairs (DPO)",
    "bedrock_conversation": "Amazon Bedrock conversation (fine-tuning)",
    "vertex_gemini": "Vertex AI Gemini tuning",
    "alpaca": "Alpaca instructions",
    "sharegpt": "ShareGPT conversations",
    "promptfoo_results": "promptfoo results (eval --output)",
    "langsmith_csv": "LangSmith experiment CSV",
    "promptfoo": "promptfoo test cases",
}


def in_our_columns(file_format: str, records: Iterator[tuple[str, dict]]):
    """(source, records): the records rewritten one at a time into our columns when the
    first has one of the shapes below (source names it), else ("", the records), with
    PASSED added to each when they carry scores. Nothing is held but the first record."""
    first = next(records, None)
    if first is None:
        return "", iter(())
    all_records = itertools.chain([first], records)
    columns = _columns_of_record(first[1])
    for source, matches, rewrite in _SOURCES:
        if matches(file_format, columns, first[1]):
            return source, rewrite(all_records)
    if scores_of(first[1]) is not None:
        return "", _with_passed(all_records)
    return "", all_records


def _with_passed(records: Iterable[tuple[str, dict]]) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        record[PASSED] = passed_by(scores_of(record))
        yield where, record


def _columns_of_record(record: Mapping) -> list[str]:
    """The first record's columns, as the import names them: its keys, and `parent.key` for
    each key of a nested object."""
    columns = []
    for key, value in record.items():
        columns.append(key)
        if isinstance(value, dict):
            columns.extend(f"{key}.{sub}" for sub in value)
    return columns


def _columns_of(records: Iterable[tuple[str, dict]]) -> list[str]:
    present = {key for _, record in records for key in record}
    return [column for column in COLUMNS if column in present]


def pass_counts(records: Iterable[tuple[str, dict]]) -> tuple[int, int]:
    """(rows whose pass or fail the file states, rows that passed)."""
    known = passing = 0
    for _, record in records:
        passed = record.get(PASSED)
        if passed is not None:
            known += 1
            passing += passed is True
    return known, passing


Matcher = Callable[[str, list, Mapping], bool]
Rewriter = Callable[[Records], Iterator[tuple[str, dict]]]

# First match wins: the more specific shapes come first.
_SOURCES: tuple[tuple[str, Matcher, Rewriter], ...] = (
    ("promptfoo_results", promptfoo.is_promptfoo_json, promptfoo.promptfoo_json),
    ("promptfoo_results", promptfoo.is_promptfoo_jsonl, promptfoo.promptfoo_jsonl),
    ("promptfoo_results", promptfoo.is_promptfoo_csv_results, promptfoo.promptfoo_csv_results),
    ("openai_preference", chat.is_openai_preference, chat.openai_preference),
    ("bedrock_conversation", chat.is_bedrock, chat.openai_chat),
    ("vertex_gemini", chat.is_vertex, chat.vertex),
    ("openai_chat", chat.is_openai_chat, chat.openai_chat),
    ("sharegpt", chat.is_sharegpt, chat.sharegpt),
    ("alpaca", chat.is_alpaca, chat.alpaca),
    ("langsmith_csv", langsmith.is_langsmith_csv, langsmith.langsmith_csv),
    ("promptfoo", promptfoo.is_promptfoo_tests, promptfoo.promptfoo_tests),
)
