"""Chat fine-tuning and instruction files: OpenAI chat and preference JSONL (and the same
shapes from Together, Fireworks and Bedrock), Vertex AI Gemini tuning, and LLaMA-Factory's
Alpaca and ShareGPT (its data/README.md describes both)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from decisions.evidence.imports.sources.common import (
    Records,
    Unreadable,
    chat_from,
    chat_or_problem,
    input_value,
    split_last_answer,
    text_of,
)

# OpenAI chat and preference JSONL -----------------------------------------------------------


def is_openai_chat(file_format, columns, first) -> bool:
    return isinstance(first.get("messages"), list) and "input" not in first


def openai_chat(records: Records) -> Iterator[tuple[str, dict]]:
    """OpenAI's chat fine-tuning lines, and the same shape from Together, Fireworks and
    Bedrock's conversation schema (its system prompt in a `system` list beside the turns)."""
    for where, record in records:
        turns = chat_or_problem(record.get("messages"), "“messages”")
        if isinstance(turns, Unreadable):
            yield where, {"input": input_value(turns)}
            continue
        yield where, _ending_in_answer(_with_system(turns, record.get("system")))


def _with_system(turns: list[dict], system) -> list[dict]:
    text = text_of(system).strip() if system else ""
    if text and not (turns and turns[0]["role"] == "system"):
        return [{"role": "system", "content": text}, *turns]
    return turns


def _ending_in_answer(turns: list[dict]) -> dict:
    before, answer = split_last_answer(turns)
    return {"input": before, "expected_output": answer}


def is_bedrock(file_format, columns, first) -> bool:
    return str(first.get("schemaVersion", "")).startswith("bedrock-conversation")


def is_vertex(file_format, columns, first) -> bool:
    # Vertex AI's Gemini tuning: {"systemInstruction": …, "contents": [{"role", "parts"}]}.
    return isinstance(first.get("contents"), list)


def vertex(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        contents = record.get("contents")
        as_messages = [
            {"role": turn.get("role"), "content": text_of(turn.get("parts"))}
            for turn in contents
            if isinstance(turn, dict)
        ]
        turns = chat_or_problem(as_messages, "“contents”")
        if isinstance(turns, Unreadable) or len(as_messages) != len(contents):
            problem = Unreadable("“contents” is not a list of turns with a role and parts.")
            yield where, {"input": input_value(turns if isinstance(turns, Unreadable) else problem)}
            continue
        instruction = record.get("systemInstruction")
        system = instruction.get("parts") if isinstance(instruction, dict) else instruction
        yield where, _ending_in_answer(_with_system(turns, system))


def is_openai_preference(file_format, columns, first) -> bool:
    return (
        isinstance(first.get("input"), dict)
        and "preferred_output" in first
        and "non_preferred_output" in first
    )


def openai_preference(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        turns = chat_or_problem(record.get("input"), "“input.messages”")
        yield (
            where,
            {
                "input": input_value(turns),
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
    return text_of(output)


# ShareGPT and Alpaca (LLaMA-Factory's dataset formats) ----------------------------------------


def is_sharegpt(file_format, columns, first) -> bool:
    return isinstance(first.get("conversations"), list)


def sharegpt(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        turns = chat_or_problem(record.get("conversations"), "“conversations”")
        if isinstance(turns, Unreadable):
            yield where, {"input": input_value(turns)}
            continue
        system = text_of(record.get("system")).strip()
        if system and not (turns and turns[0]["role"] == "system"):
            turns = [{"role": "system", "content": system}, *turns]
        if "chosen" in record or "rejected" in record:
            # A preference record: the conversation is the prompt, chosen and rejected the
            # two answers to it.
            rewritten = {
                "input": turns,
                "expected_output": text_of(record.get("chosen")),
                "bad_output": text_of(record.get("rejected")),
            }
        else:
            before, answer = split_last_answer(turns)
            rewritten = {"input": before, "expected_output": answer}
        yield where, rewritten


def is_alpaca(file_format, columns, first) -> bool:
    names = set(columns)
    return "instruction" in names and ("output" in names or {"chosen", "rejected"} <= names)


def alpaca(records: Records) -> Iterator[tuple[str, dict]]:
    for where, record in records:
        rewritten = {"input": _alpaca_input(record)}
        if "chosen" in record or "rejected" in record:
            rewritten["expected_output"] = text_of(record.get("chosen"))
            rewritten["bad_output"] = text_of(record.get("rejected"))
        else:
            rewritten["expected_output"] = text_of(record.get("output"))
        yield where, rewritten


def _alpaca_input(record: Mapping):
    """LLaMA-Factory's reading: the prompt is the instruction, a new line and the input (when
    there is one); a system prompt and earlier rounds make it a conversation."""
    instruction = text_of(record.get("instruction"))
    query = text_of(record.get("input"))
    prompt = f"{instruction}\n{query}" if query.strip() else instruction
    system = text_of(record.get("system")).strip()
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
            {"role": "user", "content": text_of(question)},
            {"role": "assistant", "content": text_of(answer)},
        ]
    return [*turns, {"role": "user", "content": prompt}]
