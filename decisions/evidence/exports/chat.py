"""One example as one record of each chat format: its input as turns, the expected output as
the assistant's answer.

Every function here takes ONE example, so a file is the records joined and a streamed
response can write them one by one. The input's turns come from `chat_messages()`: the saved
conversation with its roles, or the text as one user turn. The export's system message (typed
on the export page) stands in for examples that carry none of their own; an imported
conversation keeps its own system prompt rather than getting a second one in front.

What each platform's checker refuses (tests/evidence/validators/ runs them):
- OpenAI's cookbook checks know the roles system, user, assistant and function only, so a
  tool turn (which also needs the assistant's tool call it answers, not kept here) cannot go.
- Bedrock (Nova) and Gemini want user and assistant to alternate, the user first: those get
  consecutive turns of one role merged. (Together's SDK asked the same up to its 1.x releases;
  its checker since, and OpenAI and Fireworks, take the turns as they are.)
- Preference pairs (OpenAI, Together, Fireworks) need the input to end with the user.
- Nova refuses text holding the words it uses to mark turns (`User:`, `Assistant:`, ...).
"""

from __future__ import annotations

from decisions.evidence.models import FailedExample

# Nova's reserved keywords (amzn-nova-forge, dataset_checks_config.py, the list
# CONVERSE_FORMAT_RESERVED_KEYWORDS): any text holding one is refused, case-sensitively.
NOVA_RESERVED = (
    "System:",
    "SYSTEM:",
    "User:",
    "USER:",
    "Bot:",
    "BOT:",
    "Assistant:",
    "ASSISTANT:",
    "Thought:",
    "[EOS]",
    "<image>",
    "<video>",
    "<unk>",
)
TEXT_ROLES = ("system", "user", "assistant")


def conversation(example: FailedExample, system: str) -> list[dict[str, str]]:
    """The input as turns; the export's system message first when the example has none."""
    turns = [{"role": t["role"], "content": t["content"]} for t in example.chat_messages()]
    if system.strip() and not any(t["role"] == "system" for t in turns):
        turns.insert(0, {"role": "system", "content": system})
    return turns


def _split_system(turns: list[dict[str, str]]) -> tuple[list[str], list[dict[str, str]]]:
    system = [t["content"] for t in turns if t["role"] == "system"]
    return system, [t for t in turns if t["role"] != "system"]


def merged(turns: list[dict[str, str]]) -> list[dict[str, str]]:
    """Consecutive turns of one role as one turn, paragraphs apart: the formats that need the
    roles to alternate read two user messages in a row as one message anyway."""
    joined: list[dict[str, str]] = []
    for turn in turns:
        if joined and joined[-1]["role"] == turn["role"]:
            joined[-1] = {
                "role": turn["role"],
                "content": joined[-1]["content"] + "\n\n" + turn["content"],
            }
        else:
            joined.append(dict(turn))
    return joined


# Which conversations a format can hold. Each rule takes the turns `conversation()` gives.
def text_roles_only(turns: list[dict[str, str]]) -> bool:
    return all(t["role"] in TEXT_ROLES and t["content"].strip() for t in turns)


def ends_with_user(turns: list[dict[str, str]]) -> bool:
    _, chat = _split_system(turns)
    return bool(chat) and chat[-1]["role"] == "user"


def user_first_and_last(turns: list[dict[str, str]]) -> bool:
    _, chat = _split_system(turns)
    return ends_with_user(turns) and chat[0]["role"] == "user"


def holds_chat(example: FailedExample, system: str) -> bool:
    turns = conversation(example, system)
    return text_roles_only(turns) and ends_with_user(turns)


def holds_alternating(example: FailedExample, system: str) -> bool:
    turns = conversation(example, system)
    return text_roles_only(turns) and user_first_and_last(turns)


def holds_nova(example: FailedExample, system: str) -> bool:
    texts = [t["content"] for t in conversation(example, system)] + [example.expected_output]
    free = not any(word in text for text in texts for word in NOVA_RESERVED)
    return free and holds_alternating(example, system)


def _answer(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


def openai_chat_record(example: FailedExample, system: str) -> dict:
    return {"messages": [*conversation(example, system), _answer(example.expected_output)]}


def preference_record(example: FailedExample, system: str) -> dict:
    """OpenAI's preference (DPO) line, which Together and Fireworks read as it is."""
    return {
        "input": {"messages": conversation(example, system)},
        "preferred_output": [_answer(example.expected_output)],
        "non_preferred_output": [_answer(example.bad_output)],
    }


def vertex_record(example: FailedExample, system: str) -> dict:
    system_turns, chat = _split_system(conversation(example, system))
    contents = [
        {"role": "model" if t["role"] == "assistant" else "user", "parts": [{"text": t["content"]}]}
        for t in merged(chat)
    ]
    contents.append({"role": "model", "parts": [{"text": example.expected_output}]})
    if not system_turns:
        return {"contents": contents}
    parts = [{"text": text} for text in system_turns]
    return {"systemInstruction": {"role": "system", "parts": parts}, "contents": contents}


def bedrock_record(example: FailedExample, system: str) -> dict:
    """A "system" list only when there is a system message: AWS refuses an empty one."""
    system_turns, chat = _split_system(conversation(example, system))
    messages = [
        {"role": t["role"], "content": [{"text": t["content"]}]}
        for t in [*merged(chat), _answer(example.expected_output)]
    ]
    record: dict = {"schemaVersion": "bedrock-conversation-2024"}
    if system_turns:
        record["system"] = [{"text": text} for text in system_turns]
    record["messages"] = messages
    return record


def has_system(example: FailedExample, system: str) -> bool:
    return any(t["role"] == "system" for t in conversation(example, system))
