"""Every export the import reads comes back as the same examples, conversations with their
roles: the realistic project of tests/evidence/validators/ (plain texts and conversations,
unicode, newlines, quotes, template-like and long text) goes out and back in.

Dataset files (LangSmith, Braintrust) keep every field. Training files keep what they carry:
the input (its turns), the expected output, and for preference pairs the bad one. Gemini and
Bedrock want user and assistant to alternate, so turns of one role in a row come back joined;
Bedrock wants a system message on all lines or none, so the plain examples come back with
the one typed on the export page."""

from __future__ import annotations

import pytest

from decisions.evidence.models import ExampleImport
from decisions.projects.models import Project
from tests.conftest import body_of
from tests.evidence.test_import import run_import, upload
from tests.evidence.validators.conftest import CONVERSATIONS, SYSTEM, readable

FIELDS = (
    "title",
    "input_text",
    "input_messages",
    "bad_output",
    "expected_output",
    "failure_type",
    "techniques_tried",
    "iterations",
    "severity",
    "notes",
)
TEXTS = ("input_text", "input_messages", "expected_output")


def copied(client, project, team, target: str, part: str, **params) -> Project:
    exported = client.get(f"/projects/{project.pk}/export/{target}/{part}/", params)
    assert exported.status_code == 200
    fresh = Project.objects.create(team=team, name=f"Copy via {target}")
    suffix = {"promptfoo": "yaml", "csv": "csv"}.get(target, "jsonl")
    assert upload(client, fresh, f"{target}.{suffix}", body_of(exported)).status_code == 302
    example_import = ExampleImport.objects.get(project=fresh)
    assert run_import(client, fresh, example_import).status_code == 302
    return fresh


def rows(project, part: str, fields=FIELDS) -> list[tuple]:
    examples = project.examples.order_by("created_at", "pk")
    if part != "all":
        examples = examples.filter(in_test_set=part == "test")
    return list(examples.values_list(*fields))


@pytest.mark.parametrize("part", ["train", "test"])
@pytest.mark.parametrize("target", ["langsmith", "braintrust"])
def test_dataset_exports_come_back_identical(client, alice, team, project, realistic, target, part):
    client.force_login(alice)
    fresh = copied(client, project, team, target, part)
    assert rows(fresh, "all") == rows(project, part)
    conversations = [r[2] for r in rows(fresh, "all") if r[2]]
    assert conversations == {"train": CONVERSATIONS[:5], "test": CONVERSATIONS[5:]}[part]


def test_the_csv_backup_comes_back_identical_conversations_included(
    client, alice, team, project, realistic
):
    client.force_login(alice)
    fresh = copied(client, project, team, "csv", "all")
    assert rows(fresh, "all") == rows(project, "all")
    assert [r[2] for r in rows(fresh, "all") if r[2]] == CONVERSATIONS


@pytest.mark.parametrize(
    "target", ["openai-chat", "together-chat", "fireworks-chat", "vertex-gemini"]
)
def test_chat_training_exports_come_back_with_their_turns(
    client, alice, team, project, realistic, target
):
    client.force_login(alice)
    fresh = copied(client, project, team, target, "train")
    expected = rows(project, "train", TEXTS)
    if target == "vertex-gemini":
        expected = [_joined(row) for row in expected]
    assert rows(fresh, "all", TEXTS) == expected


@pytest.mark.parametrize(
    "target", ["openai-preference", "together-preference", "fireworks-preference"]
)
def test_preference_exports_come_back_with_both_outputs(
    client, alice, team, project, realistic, target
):
    client.force_login(alice)
    fresh = copied(client, project, team, target, "train")
    fields = (*TEXTS, "bad_output")
    assert rows(fresh, "all", fields) == rows(project, "train", fields)


def test_bedrock_comes_back_with_the_typed_system_message_on_plain_examples(
    client, alice, team, project, realistic
):
    client.force_login(alice)
    fresh = copied(client, project, team, "bedrock-conversation", "train", system=SYSTEM)
    expected = []
    for text, turns, answer in rows(project, "train", TEXTS):
        turns = turns or [{"role": "user", "content": text}]
        if turns[0]["role"] != "system":
            turns = [{"role": "system", "content": SYSTEM}, *turns]
        expected.append(_joined((readable(turns), turns, answer)))
    assert rows(fresh, "all", TEXTS) == expected


def _joined(row: tuple) -> tuple:
    """The row as Gemini and Bedrock carry it: turns of one role in a row as one turn."""
    text, turns, answer = row
    if not turns:
        return row
    joined: list[dict] = []
    for turn in turns:
        if joined and joined[-1]["role"] == turn["role"]:
            joined[-1] = {
                "role": turn["role"],
                "content": f"{joined[-1]['content']}\n\n{turn['content']}",
            }
        else:
            joined.append(turn)
    if joined == turns:
        return row
    if [turn["role"] for turn in joined] == ["user"]:  # one user turn is plain text
        return (joined[0]["content"], [], answer)
    return (readable(joined), joined, answer)
