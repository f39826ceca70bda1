"""What the source readers share: the keys a rewritten record carries beside our columns,
chat turns, and text from JSON values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

# The key of a rewritten record that says whether the tool passed the row; not a column.
PASSED = "@passed"
# The key of a promptfoo test row whose expectation is checks (kept in its notes), not a
# text: it is a test case without either output, and imported as one.
CHECKS_ONLY = "@checks"
# A score passes at this value or above (scores run from 0 to 1 in Braintrust, LangSmith and
# promptfoo). A row with scores fails when any of them is below it.
PASS_SCORE = 0.5

Records = Iterable[tuple[str, dict]]


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
        return [_turn(turn["from"], text_of(turn["value"])) for turn in value]
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
    return text_of(content)


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, dict) for part in value):
        texts = [part.get("text") for part in value if part.get("type", "text") == "text"]
        if len(texts) == len(value) and all(isinstance(t, str) for t in texts):
            return "\n".join(texts)
    if isinstance(value, dict) and "content" in value and "role" in value:
        return text_of(value["content"])
    if isinstance(value, dict) and "value" in value and "from" in value:  # ShareGPT's turn
        return text_of(value["value"])
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


def split_last_answer(turns: list[dict]) -> tuple[list[dict], str]:
    """(the turns before the last assistant turn, that turn's text): a chat fine-tuning
    example's expected output is the answer it ends with."""
    if turns and turns[-1]["role"] == "assistant":
        return turns[:-1], turns[-1]["content"]
    return turns, ""


def chat_or_problem(value, what: str) -> list[dict]:
    try:
        turns = chat_from(value)
    except ValueError as error:
        return Unreadable(str(error))
    if turns is None:
        return Unreadable(f"{what} is not a list of chat turns.")
    return turns


class Unreadable(list):
    """A conversation that could not be read: the record carries the message as its input,
    and the row is refused with it (parse.py reports ValueError per cell)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


def input_value(turns) -> object:
    """What a rewritten record keeps as `input`: the turns, or the reading problem."""
    if isinstance(turns, Unreadable):
        return {"@problem": turns.message}
    return turns


# Scores: Braintrust experiment rows ("scores"), LangSmith runs ("feedback") -------------------


def scores_of(record: Mapping):
    for key in ("scores", "feedback"):
        if isinstance(record.get(key), dict):
            return record[key]
    return None


def passed_by(scores) -> bool | None:
    """Passed when every score the row has is at PASS_SCORE or above; None without scores."""
    values = [score_of(v) for v in (scores or {}).values()]
    values = [v for v in values if v is not None]
    if not values:
        return None
    return all(v >= PASS_SCORE for v in values)


def score_of(value) -> float | None:
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


def variables_input(variables) -> object:
    """promptfoo's input is its variables: one variable's value, or each as `name: value`. A
    single variable holding a conversation stays a conversation."""
    if not isinstance(variables, dict) or not variables:
        return text_of(variables)
    if len(variables) == 1:
        value = next(iter(variables.values()))
        try:
            turns = chat_from(value)
        except ValueError:
            turns = None
        return turns if turns else text_of(value)
    return "\n".join(f"{name}: {text_of(value)}" for name, value in variables.items())


def labelled_lines(*labelled: tuple[str, object]) -> str:
    return "\n".join(f"{label}: {text_of(value)}" for label, value in labelled if value)


def joined(values: Mapping) -> str:
    if len(values) == 1:
        return text_of(next(iter(values.values())))
    return "\n".join(f"{name}: {text_of(value)}" for name, value in values.items())
