"""The tools' own file shapes, read into the plain columns the import maps.

Most exports map column by column (parse.suggest_mapping). These do not: a chat fine-tuning
line keeps its expected output as the conversation's last assistant turn, a promptfoo results
file holds a list of results inside one object, a ShareGPT record names roles "human" and
"gpt". `recognise` spots such a file from its first record and rewrites every record, one at
a time, into columns named after our fields (`input`, `bad_output`, `expected_output`,
`title`, `severity`, `failure_type`, `notes`), which the mapping then takes without asking.

A rewritten record also says whether the tool judged the row a pass (`PASSED`: True, False or
None when the file does not say), so the import can leave the passing rows out.

This module imports nothing else of the import: parse.py calls it (one hook in parse_text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

# The key of a rewritten record that says whether the tool passed the row; not a column.
PASSED = "@passed"
# The key of a promptfoo test row whose expectation is checks (kept in its notes), not a
# text: it is a test case without either output, and imported as one.
CHECKS_ONLY = "@checks"
# A score passes at this value or above (scores run from 0 to 1 in Braintrust, LangSmith and
# promptfoo). A row with scores fails when any of them is below it.
PASS_SCORE = 0.5

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
    "alpaca": "Alpaca instructions",
    "sharegpt": "ShareGPT conversations",
    "promptfoo_results": "promptfoo results (eval --output)",
    "langsmith_csv": "LangSmith experiment CSV",
    "promptfoo": "promptfoo test cases",
}

Record = dict
Records = Iterable[tuple[str, dict]]


@dataclass
class Recognised:
    source: str
    columns: list[str]
    records: list[tuple[str, dict]]


def recognise(file_format: str, columns: list[str], records: list[tuple[str, dict]]):
    """The file rewritten into our columns when it has one of the shapes below, else None.
    Files that map column by column but carry scores get PASSED added to each record."""
    if not records:
        return None
    first = records[0][1]
    for source, matches, rewrite in _SOURCES:
        if matches(file_format, columns, first):
            rewritten = list(rewrite(records))
            return Recognised(source, _columns_of(rewritten), rewritten)
    if _scores_of(first) is not None:
        for _, record in records:
            record[PASSED] = _passed(_scores_of(record))
    return None


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


# Chat messages ------------------------------------------------------------------------------

ROLES = {
    "system": "system",
    "developer": "system",  # OpenAI's newer name for the system turn
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "gpt": "assistant",
    "model": "assistant",
    "function_call": "assistant",
    "tool": "tool",
    "function": "tool",
    "observation": "tool",
}


def chat_from(value) -> list[dict[str, str]] | None:
    """The value as chat turns [{"role", "content"}] when it is a conversation (OpenAI's
    messages, Langfuse's {"messages": [...]}, ShareGPT's from/value), else None. ValueError
    for a turn whose role we do not know."""
    if isinstance(value, dict) and isinstance(value.get("messages"), list):
        value = value["messages"]
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(turn, dict) for turn in value):
        return None
    if all("role" in turn for turn in value):
        return [_turn(turn.get("role"), _content(turn)) for turn in value]
    if all("from" in turn and "value" in turn for turn in value):
        return [_turn(turn["from"], _text(turn["value"])) for turn in value]
    return None


def _turn(role, content: str) -> dict[str, str]:
    known = ROLES.get(str(role).strip().lower())
    if known is None:
        allowed = ", ".join(sorted(set(ROLES)))
        raise ValueError(f"a turn has the role “{role}”, which is not one of {allowed}.")
    return {"role": known, "content": content}


def _content(turn: Mapping) -> str:
    """A turn's text: a string, or the text parts of a list of parts; an assistant turn that
    only calls tools keeps the calls as JSON (so the row is not silently empty)."""
    content = turn.get("content")
    if content in (None, "", []) and turn.get("tool_calls"):
        return json.dumps(turn["tool_calls"], ensure_ascii=False)
    return _text(content)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, dict) for part in value):
        texts = [part.get("text") for part in value if part.get("type", "text") == "text"]
        if len(texts) == len(value) and all(isinstance(t, str) for t in texts):
            return "\n".join(texts)
    if isinstance(value, dict) and "content" in value and "role" in value:
        return _text(value["content"])
    if isinstance(value, dict) and "value" in value and "from" in value:  # ShareGPT's turn
        return _text(value["value"])
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, indent=2)


def input_parts(raw) -> tuple[object, list[dict[str, str]] | None]:
    """(the input to keep as text, the conversation or None). A conversation of one user
    turn is plain text: that is what a chat export writes for a plain input, so it comes back
    as the same example. ValueError when the input could not be read."""
    if isinstance(raw, dict) and "@problem" in raw:
        raise ValueError(raw["@problem"])
    turns = chat_from(raw)
    if not turns:
        return raw, None
    if len(turns) == 1 and turns[0]["role"] == "user":
        return turns[0]["content"], None
    return render_chat(turns), turns


def render_chat(messages: list[dict[str, str]]) -> str:
    """The readable text kept beside a conversation, for search and the examples table."""
    return "\n\n".join(f"{m['role']}: {m['content']}" for m in messages)


def _split_last_answer(turns: list[dict]) -> tuple[list[dict], str]:
    """(the turns before the last assistant turn, that turn's text): a chat fine-tuning
    example's expected output is the answer it ends with."""
    if turns and turns[-1]["role"] == "assistant":
        return turns[:-1], turns[-1]["content"]
    return turns, ""


def _chat_or_raise(value, what: str) -> list[dict]:
    try:
        turns = chat_from(value)
    except ValueError as error:
        return _Broken(str(error))
    if turns is None:
        return _Broken(f"{what} is not a list of chat turns.")
    return turns


class _Broken(list):
    """A conversation that could not be read: the record carries the message as its input,
    and the row is refused with it (parse.py reports ValueError per cell)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


def _input_value(turns) -> object:
    """What a rewritten record keeps as `input`: the turns, or the reading problem."""
    if isinstance(turns, _Broken):
        return {"@problem": turns.message}
    return turns


# OpenAI chat and preference JSONL -----------------------------------------------------------


def _is_openai_chat(file_format, columns, first) -> bool:
    return isinstance(first.get("messages"), list) and "input" not in first


def _openai_chat(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        turns = _chat_or_raise(record.get("messages"), "“messages”")
        if isinstance(turns, _Broken):
            yield where, {"input": _input_value(turns)}
            continue
        before, answer = _split_last_answer(turns)
        yield where, {"input": before, "expected_output": answer}


def _is_openai_preference(file_format, columns, first) -> bool:
    return (
        isinstance(first.get("input"), dict)
        and "preferred_output" in first
        and "non_preferred_output" in first
    )


def _openai_preference(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        turns = _chat_or_raise(record.get("input"), "“input.messages”")
        yield (
            where,
            {
                "input": _input_value(turns),
                "expected_output": _answer_of(record.get("preferred_output")),
                "bad_output": _answer_of(record.get("non_preferred_output")),
            },
        )


def _answer_of(output) -> str:
    """The assistant's text in a preference output: a list of one assistant message."""
    try:
        turns = chat_from(output)
    except ValueError:
        turns = None
    if turns:
        return "\n\n".join(t["content"] for t in turns if t["role"] == "assistant")
    return _text(output)


# ShareGPT and Alpaca (LLaMA-Factory's dataset formats) ----------------------------------------


def _is_sharegpt(file_format, columns, first) -> bool:
    return isinstance(first.get("conversations"), list)


def _sharegpt(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        turns = _chat_or_raise(record.get("conversations"), "“conversations”")
        if isinstance(turns, _Broken):
            yield where, {"input": _input_value(turns)}
            continue
        system = _text(record.get("system")).strip()
        if system and not (turns and turns[0]["role"] == "system"):
            turns = [{"role": "system", "content": system}, *turns]
        if "chosen" in record or "rejected" in record:
            # A preference record: the conversation is the prompt, chosen and rejected the
            # two answers to it.
            rewritten = {
                "input": turns,
                "expected_output": _text(record.get("chosen")),
                "bad_output": _text(record.get("rejected")),
            }
        else:
            before, answer = _split_last_answer(turns)
            rewritten = {"input": before, "expected_output": answer}
        yield where, rewritten


def _is_alpaca(file_format, columns, first) -> bool:
    names = set(columns)
    return "instruction" in names and ("output" in names or {"chosen", "rejected"} <= names)


def _alpaca(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        rewritten = {"input": _alpaca_input(record)}
        if "chosen" in record or "rejected" in record:
            rewritten["expected_output"] = _text(record.get("chosen"))
            rewritten["bad_output"] = _text(record.get("rejected"))
        else:
            rewritten["expected_output"] = _text(record.get("output"))
        yield where, rewritten


def _alpaca_input(record: Mapping):
    """LLaMA-Factory's reading: the prompt is the instruction, a new line and the input (when
    there is one); a system prompt and earlier rounds make it a conversation."""
    instruction = _text(record.get("instruction"))
    query = _text(record.get("input"))
    prompt = f"{instruction}\n{query}" if query.strip() else instruction
    system = _text(record.get("system")).strip()
    history = record.get("history") or []
    if not system and not history:
        return prompt
    turns = [{"role": "system", "content": system}] if system else []
    if not isinstance(history, list) or not all(
        isinstance(pair, list) and len(pair) == 2 for pair in history
    ):
        return {"@problem": "“history” is not a list of [instruction, response] pairs."}
    for question, answer in history:
        turns += [
            {"role": "user", "content": _text(question)},
            {"role": "assistant", "content": _text(answer)},
        ]
    return [*turns, {"role": "user", "content": prompt}]


# promptfoo: results files and test-case CSVs ---------------------------------------------------


def _results_list(record: Mapping):
    """The results of a promptfoo `--output results.json`: {"results": {"results": [...]}} in
    output versions 2 and 3."""
    results = record.get("results")
    if isinstance(results, dict) and isinstance(results.get("results"), list):
        return results["results"]
    return None


def _is_promptfoo_json(file_format, columns, first) -> bool:
    return _results_list(first) is not None


def _is_promptfoo_jsonl(file_format, columns, first) -> bool:
    # `--output results.jsonl` writes one result a line.
    return "success" in first and ("testCase" in first or "gradingResult" in first)


def _promptfoo_json(records: Records) -> Iterator[tuple[str, dict]]:
    for _, record in records:
        for number, result in enumerate(_results_list(record), start=1):
            where = f"Result {number}"
            if not isinstance(result, dict):
                yield where, {"input": {"@problem": "is not a JSON object ({…})."}}
                continue
            yield where, _promptfoo_result(result)


def _promptfoo_jsonl(records: Records) -> Iterator[tuple[str, dict]]:
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
    notes = _lines(
        ("promptfoo grader", grading.get("reason")),
        ("promptfoo assertions", "; ".join(assertions)),
        ("Provider", provider),
    )
    rewritten = {
        "title": _text(test.get("description")),
        "input": _variables_input(variables),
        "bad_output": _text(output),
        "expected_output": expected,
        "notes": notes,
        PASSED: result.get("success") if isinstance(result.get("success"), bool) else None,
    }
    metadata = _metadata_fields(test.get("metadata") or {})
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
            others.append(f"{kind}: {_text(value)}" if value is not None else str(kind))
    return expected, others


def _variables_input(variables) -> object:
    """promptfoo's input is its variables: one variable's value, or each as `name: value`. A
    single variable holding a conversation stays a conversation."""
    if not isinstance(variables, dict) or not variables:
        return _text(variables)
    if len(variables) == 1:
        value = next(iter(variables.values()))
        try:
            turns = chat_from(value)
        except ValueError:
            turns = None
        return turns if turns else _text(value)
    return "\n".join(f"{name}: {_text(value)}" for name, value in variables.items())


def _lines(*labelled: tuple[str, object]) -> str:
    return "\n".join(f"{label}: {_text(value)}" for label, value in labelled if value)


def _is_promptfoo_csv_results(file_format, columns, first) -> bool:
    # `--output results.csv`: vars, then per prompt "[provider] label", Status, Score, …
    return file_format == "csv" and "Status" in columns and "Grader Reason" in columns


def _promptfoo_csv_results(records: Records) -> Iterator[tuple[str, dict]]:
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
                "input": _variables_input(variables),
                "bad_output": record.get(output_column, ""),
                "notes": _lines(
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


def _is_promptfoo_tests(file_format, columns, first) -> bool:
    return any(column.startswith(PROMPTFOO_SPECIAL) for column in columns)


def _promptfoo_tests(records: Records) -> Iterator[tuple[str, dict]]:
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
            "input": _variables_input(variables),
            "bad_output": record.get("__providerOutput", ""),
            "expected_output": expected,
        }
        rewritten.update(_metadata_fields(metadata))
        rewritten[CHECKS_ONLY] = bool(assertions)
        kept = rewritten.get("notes", "")
        rewritten["notes"] = "\n".join(
            part for part in (kept, _lines(("promptfoo assertions", "; ".join(assertions)))) if part
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


def _metadata_fields(metadata) -> dict:
    if not isinstance(metadata, dict):
        return {}
    fields: dict[str, str] = {}
    other = []
    for key, value in metadata.items():
        field = METADATA_FIELDS.get(str(key).strip().lower())
        if field and field not in fields:
            fields[field] = _text(value)
        elif str(key) and value not in (None, ""):
            other.append(f"{key}: {_text(value)}")
    notes = [part for part in (fields.get("notes", ""), *other) if part]
    if notes:
        fields["notes"] = "\n".join(notes)
    return fields


# LangSmith experiment CSV (client.get_test_results(...).to_csv()) -------------------------------

LANGSMITH_PREFIXES = ("inputs.", "input.", "outputs.", "reference.", "feedback.")


def _is_langsmith_csv(file_format, columns, first) -> bool:
    has = {prefix for prefix in LANGSMITH_PREFIXES for c in columns if c.startswith(prefix)}
    return file_format == "csv" and bool(has & {"inputs.", "input."}) and len(has) >= 2


def _langsmith_csv(records: Records) -> Iterator[tuple[str, dict]]:
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
                "input": _variables_input(group("inputs.", "input.")),
                "bad_output": _joined(outputs),
                "expected_output": _joined(reference),
                "notes": _lines(
                    ("LangSmith feedback", ", ".join(f"{k} {v}" for k, v in feedback.items())),
                    ("Error", record.get("error", "")),
                ),
                PASSED: _passed(feedback),
            },
        )


def _joined(values: Mapping) -> str:
    if len(values) == 1:
        return _text(next(iter(values.values())))
    return "\n".join(f"{name}: {_text(value)}" for name, value in values.items())


# Scores: Braintrust experiment rows ("scores"), LangSmith runs ("feedback") -------------------


def _scores_of(record: Mapping):
    for key in ("scores", "feedback"):
        if isinstance(record.get(key), dict):
            return record[key]
    return None


def _passed(scores) -> bool | None:
    """Passed when every score the row has is at PASS_SCORE or above; None without scores."""
    values = [_score(v) for v in (scores or {}).values()]
    values = [v for v in values if v is not None]
    if not values:
        return None
    return all(v >= PASS_SCORE for v in values)


def _score(value) -> float | None:
    if isinstance(value, dict):  # LangSmith feedback as {"score": 1, "comment": …}
        value = value.get("score")
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "false"):
            return 1.0 if text == "true" else 0.0
        try:
            return float(text)
        except ValueError:
            return None
    return None


Matcher = Callable[[str, list, Mapping], bool]
Rewriter = Callable[[Records], Iterator[tuple[str, dict]]]

# First match wins: the more specific shapes come first.
_SOURCES: tuple[tuple[str, Matcher, Rewriter], ...] = (
    ("promptfoo_results", _is_promptfoo_json, _promptfoo_json),
    ("promptfoo_results", _is_promptfoo_jsonl, _promptfoo_jsonl),
    ("promptfoo_results", _is_promptfoo_csv_results, _promptfoo_csv_results),
    ("openai_preference", _is_openai_preference, _openai_preference),
    ("openai_chat", _is_openai_chat, _openai_chat),
    ("sharegpt", _is_sharegpt, _sharegpt),
    ("alpaca", _is_alpaca, _alpaca),
    ("langsmith_csv", _is_langsmith_csv, _langsmith_csv),
    ("promptfoo", _is_promptfoo_tests, _promptfoo_tests),
)
