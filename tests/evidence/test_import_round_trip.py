"""Our own dataset exports come back as the same examples through the import."""

from __future__ import annotations

import pytest

from decisions.evidence.models import ExampleImport
from decisions.projects.models import Project
from tests.conftest import body_of, make_example
from tests.evidence.test_import import run_import, upload
from tests.evidence.validators.test_round_trip import FIELDS, copied


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def examples(project):
    make_example(
        project,
        title="Formula-looking text",
        input_text="=SUM(A1:A2) is what the user typed",
        bad_output="- a bullet\n- another",
        expected_output='Quotes "inside", commas, and\nnew lines',
        failure_type="format",
        techniques_tried=["role", "examples"],
        iterations=7,
        severity="high",
        notes="@mention and +1",
    )
    # A failure with no expected output yet: its only output is the bad one, which the
    # LangSmith export keeps in metadata.bad_output.
    make_example(project, title="Bad output only", expected_output="", notes="")
    make_example(project, title="Expected only", bad_output="", iterations=0)


def copied_through(client, project, team, target: str) -> tuple[list, list]:
    fresh = copied(client, project, team, target, "train")
    original = list(project.examples.order_by("created_at", "pk").values(*FIELDS))
    return original, list(fresh.examples.order_by("pk").values(*FIELDS))


def test_langsmith_export_imports_back_identically(logged_in, project, team, examples):
    original, copied = copied_through(logged_in, project, team, "langsmith")
    assert copied == original
    assert [row["bad_output"] for row in copied] == [
        "- a bullet\n- another",
        "Dear Valued Customer,",
        "",
    ]


def test_braintrust_export_imports_back_identically(logged_in, project, team, examples):
    original, copied = copied_through(logged_in, project, team, "braintrust")
    assert copied == original
    assert [row["expected_output"] for row in copied] == [
        'Quotes "inside", commas, and\nnew lines',
        "",
        "Hi Dana,",
    ]


@pytest.mark.parametrize(
    ("target", "filename", "shape"),
    [
        ("openai-chat", "chat.jsonl", "openai_chat"),
        ("openai-preference", "dpo.jsonl", "openai_preference"),
        ("vertex-gemini", "gemini.jsonl", "vertex_gemini"),
        ("bedrock-conversation", "bedrock.jsonl", "bedrock_conversation"),
    ],
)
def test_training_exports_import_back_with_the_same_texts(
    logged_in, project, team, target, filename, shape
):
    # Ten examples: OpenAI refuses fewer. No system prompt, so each input is one user turn.
    for number in range(10):
        make_example(
            project,
            title=f"Example {number}",
            input_text=f"Question {number}?\nWith a second line.",
            bad_output=f"Wrong answer {number}",
            expected_output=f"Right answer {number}",
        )
    exported = logged_in.get(f"/projects/{project.pk}/export/{target}/train/")
    assert exported.status_code == 200
    fresh = Project.objects.create(team=team, name=f"Copy via {target}")
    upload(logged_in, fresh, filename, body_of(exported))
    example_import = ExampleImport.objects.get(project=fresh)
    assert example_import.shape == shape
    assert run_import(logged_in, fresh, example_import).status_code == 302
    texts = ("input_text", "input_messages", "expected_output")
    original = list(project.examples.order_by("created_at", "pk").values_list(*texts))
    assert list(fresh.examples.order_by("pk").values_list(*texts)) == original
    assert original[0] == ("Question 0?\nWith a second line.", [], "Right answer 0")
    first_bad = fresh.examples.order_by("pk").values_list("bad_output", flat=True).first()
    assert first_bad == ("Wrong answer 0" if shape == "openai_preference" else "")
