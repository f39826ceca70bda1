"""The format checks of OpenAI's cookbook notebook "Data preparation and analysis for chat model
fine-tuning" (https://cookbook.openai.com/examples/chat_finetuning_data_prep), written here as a
test helper since the notebook is no package: the same error names, counted per example.

Its token counts (tiktoken, 16,385 tokens an example) are left out: they need the model's
tokenizer, and no example of ours comes near the limit (the long one is about 1,500 tokens)."""

from __future__ import annotations

from collections import Counter

ROLES = ("system", "user", "assistant", "function")
MESSAGE_KEYS = ("role", "content", "name", "function_call", "weight")


def format_errors(records: list) -> Counter:
    errors: Counter = Counter()
    for record in records:
        if not isinstance(record, dict):
            errors["data_type"] += 1
            continue
        messages = record.get("messages")
        if not messages:
            errors["missing_messages_list"] += 1
            continue
        for message in messages:
            errors.update(_message_errors(message))
        if not any(message.get("role") == "assistant" for message in messages):
            errors["example_missing_assistant_message"] += 1
    return errors


def _message_errors(message: dict) -> list[str]:
    found = []
    if "role" not in message or "content" not in message:
        found.append("message_missing_key")
    if any(key not in MESSAGE_KEYS for key in message):
        found.append("message_unrecognized_key")
    if message.get("role") not in ROLES:
        found.append("unrecognized_role")
    content, function_call = message.get("content"), message.get("function_call")
    if (not content and not function_call) or not isinstance(content, str):
        found.append("missing_content")
    return found
