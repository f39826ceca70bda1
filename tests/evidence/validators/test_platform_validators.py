"""Every export of a realistic project (plain texts and conversations, unicode, newlines,
quotes, template-like and long text) passes the checker its platform wrote, or its published
schema where the platform wrote none: 0 errors on every line.

| export | checker |
| OpenAI chat | the cookbook's format checks (openai_cookbook.py) |
| OpenAI preference | the cookbook's checks on its messages, and OpenAI's DPO layout (schema) |
| Together chat, preference | Together's SDK, together==2.14.0 `check_file` |
| Fireworks chat, preference | Fireworks' documented layout (schema) |
| Vertex AI Gemini | Google's documented layout (schema) and its turn order |
| Bedrock conversation | AWS's Nova SDK, amzn-nova-forge==1.4.10 `SFTDatasetValidator` |
| LangSmith, Braintrust | their documented layouts (schema), both parts |
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from together.lib.utils.files import check_file

from tests.evidence.validators import openai_cookbook
from tests.evidence.validators.conftest import (
    NOVA_INSTALLED,
    NOVA_PYTHON,
    SYSTEM,
    export,
    jsonl,
    require,
)

# What these check is the files, which no database changes: CI runs them on SQLite alone.
pytestmark = pytest.mark.validators

SCHEMAS = Path(__file__).parent / "schemas"
SYSTEMS = pytest.mark.parametrize("system", ["", SYSTEM], ids=["own system only", "typed"])


def schema_errors(schema_file: str, records: list[dict]) -> list[str]:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"line {n}: {error.message}"
        for n, record in enumerate(records, 1)
        for error in validator.iter_errors(record)
    ]


@SYSTEMS
def test_openai_chat_passes_the_cookbook_checks(client, alice, project, realistic, system):
    client.force_login(alice)
    records = jsonl(export(client, project, "openai-chat", system=system))
    assert len(records) == 12
    assert openai_cookbook.format_errors(records) == {}


@SYSTEMS
def test_openai_preference_passes_the_cookbook_checks_and_the_dpo_layout(
    client, alice, project, realistic, system
):
    client.force_login(alice)
    records = jsonl(export(client, project, "openai-preference", system=system))
    assert len(records) == 12
    as_chats = [
        {"messages": r["input"]["messages"] + r["preferred_output"] + r["non_preferred_output"]}
        for r in records
    ]
    assert openai_cookbook.format_errors(as_chats) == {}
    assert schema_errors("openai-preference.json", records) == []
    assert {r["input"]["messages"][-1]["role"] for r in records} == {"user"}


@SYSTEMS
@pytest.mark.parametrize("target", ["together-chat", "together-preference"])
def test_together_files_pass_togethers_checker(
    client, alice, project, realistic, tmp_path, target, system
):
    client.force_login(alice)
    path = tmp_path / f"{target}.jsonl"  # the checker reads the format from the suffix
    path.write_text(export(client, project, target, system=system), encoding="utf-8")
    report = check_file(path)
    assert (report["is_check_passed"], report["message"]) == (True, "Checks passed")
    assert report["num_samples"] == 12


@SYSTEMS
@pytest.mark.parametrize(
    ("target", "schema"),
    [
        ("fireworks-chat", "fireworks-chat.json"),
        ("fireworks-preference", "fireworks-preference.json"),
    ],
)
def test_fireworks_files_follow_the_documented_layout(
    client, alice, project, realistic, target, schema, system
):
    client.force_login(alice)
    records = jsonl(export(client, project, target, system=system))
    assert len(records) == 12
    assert schema_errors(schema, records) == []
    conversations = [r.get("messages") or r["input"]["messages"] for r in records]
    # "A message with the system role is optional, but if specified, must be the first."
    assert [
        n
        for n, turns in enumerate(conversations, 1)
        if any(t["role"] == "system" for t in turns[1:])
    ] == []


@SYSTEMS
def test_vertex_gemini_follows_the_documented_layout_and_turn_order(
    client, alice, project, realistic, system
):
    client.force_login(alice)
    records = jsonl(export(client, project, "vertex-gemini", system=system))
    assert len(records) == 12
    assert schema_errors("vertex-gemini-tuning.json", records) == []
    # User and model take turns, the user first and the model last.
    roles = {tuple(c["role"] for c in r["contents"]) for r in records}
    assert roles == {("user", "model"), ("user", "model", "user", "model")}


def nova_errors(text: str, tmp_path: Path) -> dict:
    require(NOVA_INSTALLED, "AWS's Nova checker (amzn-nova-forge)", node=False)
    path = tmp_path / "bedrock.jsonl"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [str(NOVA_PYTHON), str(Path(__file__).parent / "nova_check.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(run.stdout.splitlines()[-1])


def test_bedrock_passes_awss_nova_checker(client, alice, project, realistic, tmp_path):
    client.force_login(alice)
    # The realistic project mixes examples with a system message and without: Nova wants one
    # on all or none, so the export asks for the one to give the others.
    refused = client.get(f"/projects/{project.pk}/export/bedrock-conversation/train/")
    assert refused.status_code == 422
    text = export(client, project, "bedrock-conversation", system=SYSTEM)
    records = jsonl(text)
    assert len(records) == 12
    assert all(r["system"] for r in records)
    assert nova_errors(text, tmp_path) == {"lines": 12, "errors": {}}


def test_the_nova_checker_refuses_what_we_leave_out(tmp_path):
    """The checker is live: the words Nova reserves, and an empty system list."""
    turn = {"role": "assistant", "content": [{"text": "Fine."}]}
    text = "".join(
        json.dumps(record) + "\n"
        for record in (
            {
                "schemaVersion": "bedrock-conversation-2024",
                "messages": [{"role": "user", "content": [{"text": "User: hi"}]}, turn],
            },
        )
    )
    found = nova_errors(text, tmp_path)
    assert found["lines"] == 1
    assert "Please do not use these keywords: User:" in found["errors"]["NOVA_PRO"]


@pytest.mark.parametrize("part", ["train", "test"])
@pytest.mark.parametrize(
    ("target", "schema"),
    [("langsmith", "langsmith-dataset.json"), ("braintrust", "braintrust-dataset.json")],
)
def test_datasets_follow_the_documented_layout(
    client, alice, project, realistic, target, schema, part
):
    client.force_login(alice)
    records = jsonl(export(client, project, target, part))
    assert len(records) == {"train": 12, "test": 2}[part]
    assert schema_errors(schema, records) == []


def test_the_python_checkers_are_live(tmp_path):
    """Each refuses a line that breaks its rules, so a pass above means something."""
    tool_turn = {"messages": [{"role": "tool", "content": "{}"}]}
    assert openai_cookbook.format_errors([tool_turn]) == {
        "unrecognized_role": 1,
        "example_missing_assistant_message": 1,
    }
    path = tmp_path / "together.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "narrator", "content": "Hi"}]}) + "\n")
    assert check_file(path)["is_check_passed"] is False
    gemini = {"contents": [{"role": "assistant", "parts": [{"text": "Hi"}]}]}
    assert schema_errors("vertex-gemini-tuning.json", [gemini]) == [
        "line 1: [{'role': 'assistant', 'parts': [{'text': 'Hi'}]}] is too short",
        "line 1: 'assistant' is not one of ['user', 'model']",
    ]
