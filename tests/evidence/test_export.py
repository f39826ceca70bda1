"""Training-data and dataset exports: every line checked against its target's format, the
held-out split, the minimum counts, and spreadsheet formulas escaped."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence import services
from tests.conftest import make_example


@pytest.fixture
def examples(project):
    """12 with an expected output (one of them without a bad output) and 3 without."""
    made = [
        make_example(
            project, title=f"Case {n}", input_text=f"Question {n}", expected_output=f"Answer {n}"
        )
        for n in range(11)
    ]
    made.append(make_example(project, title="No bad", bad_output="", expected_output="Answer 11"))
    made += [make_example(project, title=f"Open {n}", expected_output="") for n in range(3)]
    return made


class Downloaded:
    """A download read to its end: the files stream, so `content` is joined here."""

    def __init__(self, response) -> None:
        self.response = response
        streamed = response.streaming
        self.content = b"".join(response.streaming_content) if streamed else response.content

    def __getattr__(self, name: str):
        return getattr(self.response, name)

    def __getitem__(self, header: str) -> str:
        return self.response[header]


def download(client, project, target, part="train", **params) -> Downloaded:
    return Downloaded(client.get(f"/projects/{project.pk}/export/{target}/{part}/", params))


def lines(response) -> list[dict]:
    body = response.content.decode()
    assert body.endswith("\n")
    return [json.loads(line) for line in body.splitlines()]


def test_openai_chat_lines_have_system_user_and_assistant(client, alice, project, examples):
    client.force_login(alice)
    response = download(client, project, "openai-chat", system="You draft support replies.")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="email-drafter-openai-chat-train.jsonl"'
    )
    records = lines(response)
    assert len(records) == 12
    for record in records:
        assert list(record) == ["messages"]
        roles = [m["role"] for m in record["messages"]]
        assert roles == ["system", "user", "assistant"]
        assert all(isinstance(m["content"], str) and m["content"] for m in record["messages"])
    assert records[0]["messages"][1:] == [
        {"role": "user", "content": "Question 0"},
        {"role": "assistant", "content": "Answer 0"},
    ]


def test_preference_pairs_need_both_outputs(client, alice, project, examples):
    client.force_login(alice)
    records = lines(download(client, project, "openai-preference"))
    assert len(records) == 11
    for record in records:
        assert set(record) == {"input", "preferred_output", "non_preferred_output"}
        assert [m["role"] for m in record["input"]["messages"]] == ["user"]
        assert [m["role"] for m in record["preferred_output"]] == ["assistant"]
        assert [m["role"] for m in record["non_preferred_output"]] == ["assistant"]
    assert records[0]["preferred_output"][0]["content"] == "Answer 0"
    assert records[0]["non_preferred_output"][0]["content"] == "Dear Valued Customer,"


def test_vertex_gemini_lines(client, alice, project, examples):
    client.force_login(alice)
    records = lines(download(client, project, "vertex-gemini", system="Be brief."))
    assert len(records) == 12
    for record in records:
        assert set(record) == {"systemInstruction", "contents"}
        assert record["systemInstruction"] == {"role": "system", "parts": [{"text": "Be brief."}]}
        assert [c["role"] for c in record["contents"]] == ["user", "model"]
        assert all(len(c["parts"]) == 1 and c["parts"][0]["text"] for c in record["contents"])


def test_bedrock_conversation_lines(client, alice, project, examples):
    client.force_login(alice)
    records = lines(download(client, project, "bedrock-conversation"))
    assert len(records) == 12
    for record in records:
        assert list(record) == ["schemaVersion", "messages"]  # no "system": [] (AWS refuses it)
        assert record["schemaVersion"] == "bedrock-conversation-2024"
        assert [m["role"] for m in record["messages"]] == ["user", "assistant"]
        assert all(list(m["content"][0]) == ["text"] for m in record["messages"])


def test_langsmith_and_braintrust_datasets_take_every_example(client, alice, project, examples):
    client.force_login(alice)
    langsmith = lines(download(client, project, "langsmith"))
    assert len(langsmith) == 15
    assert langsmith[0]["inputs"] == {"input": "Question 0"}
    assert langsmith[0]["outputs"] == {"output": "Answer 0"}
    assert langsmith[0]["metadata"]["failure_type"] == "tone"
    braintrust = lines(download(client, project, "braintrust"))
    assert len(braintrust) == 15
    assert set(braintrust[0]) == {"input", "expected", "metadata", "tags"}
    assert braintrust[0]["tags"] == ["tone"]


def test_promptfoo_tests_have_the_input_variable_and_an_equals_check(
    client, alice, project, examples
):
    client.force_login(alice)
    response = download(client, project, "promptfoo")
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="email-drafter-promptfoo-train.yaml"'
    )
    tests = yaml.safe_load(response.content.decode())
    assert len(tests) == 15
    assert tests[0] == {
        "description": "Case 0",
        "vars": {"input": "Question 0", "expected": "Answer 0"},
        "assert": [{"type": "equals", "value": "Answer 0"}],
    }
    # Without an expected output there is nothing to check against.
    assert tests[12] == {
        "description": "Open 0",
        "vars": {"input": "Write a follow-up to Dana.", "expected": ""},
    }


def test_csv_escapes_cells_a_spreadsheet_would_run(client, alice, project):
    make_example(project, title="=cmd|' /C calc'!A0", notes="+1", expected_output="@here")
    client.force_login(alice)
    rows = list(csv.reader(io.StringIO(download(client, project, "csv", "all").content.decode())))
    assert rows[0][:4] == ["title", "failure_type", "severity", "input"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][5] == "'@here"
    assert rows[1][8] == "'+1"


def test_held_out_split_is_deterministic_and_disjoint(client, alice, project, examples):
    services.test_set_choose(project=project, user=alice, share_percent=20)
    client.force_login(alice)
    train = lines(download(client, project, "openai-chat"))
    test = lines(download(client, project, "langsmith", "test"))
    services.test_set_choose(project=project, user=alice, share_percent=20)
    again = lines(download(client, project, "langsmith", "test"))
    # 12 examples with an expected output; 20 % of them is 2.4, so 2 held out, 10 to train on.
    assert (len(train), len(test)) == (10, 2)
    assert test == again
    trained_on = {r["messages"][0]["content"] for r in train}
    tested_on = {r["inputs"]["input"] for r in test}
    assert trained_on.isdisjoint(tested_on)


def test_a_training_format_has_no_test_part(client, alice, project, examples):
    services.test_set_choose(project=project, user=alice, share_percent=20)
    client.force_login(alice)
    assert download(client, project, "openai-chat", "test").status_code == 404
    assert download(client, project, "csv", "train").status_code == 404


def test_below_the_minimum_the_download_is_refused(client, alice, project):
    for n in range(9):
        make_example(project, title=f"Case {n}")
    client.force_login(alice)
    response = download(client, project, "openai-chat")
    assert response.status_code == 422
    assert (
        "OpenAI chat fine-tuning (JSONL) needs at least 10 examples; the training part has 9."
        in response.content.decode()
    )
    page = client.get(f"/projects/{project.pk}/export/").content.decode()
    assert "Needs at least 10 in the training part." in page


def test_export_page_says_how_many_are_left_out_and_why(client, alice, project, examples):
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/export/").content.decode()
    assert "15 examples in “Email drafter”." in html
    assert (
        "<span data-usable>12</span> of 15; <span data-left-out>3</span> left out: "
        "no expected output" in html
    )
    assert (
        "<span data-usable>11</span> of 15; <span data-left-out>4</span> left out: "
        "no expected or no bad output" in html
    )


@pytest.mark.parametrize(("share", "refused"), [(4, True), (5, False), (50, False), (51, True)])
def test_the_test_set_share_is_held_between_5_and_50_percent(
    client, alice, project, examples, share, refused
):
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/test-set/", {"share_percent": share})
    if refused:
        assert response.status_code == 422
        assert project.examples.filter(in_test_set=True).count() == 0
    else:
        assert response.status_code == 302
        # Of the 12 examples with an expected output: 5 % → 0.6 → 1; 50 % → 6.
        assert project.examples.filter(in_test_set=True).count() == {5: 1, 50: 6}[share]


def test_export_queries_do_not_grow_with_examples(
    client, alice, project, django_assert_num_queries
):
    client.force_login(alice)
    make_example(project)
    with django_assert_num_queries(9) as one:
        assert client.get(f"/projects/{project.pk}/export/").status_code == 200
    for n in range(199):
        make_example(project, title=f"More {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(f"/projects/{project.pk}/export/").status_code == 200


def test_csv_export_imports_back_byte_identical(client, alice, project):
    """Text that starts with an apostrophe or a formula character survives a round trip."""
    texts = {
        "title": "'-ing words",
        "input_text": "=not a formula, a quote",
        "bad_output": "-5 degrees",
        "expected_output": "'+34 612 345 678",
        "notes": "@team please check",
    }
    make_example(project, failure_type="facts", **texts)
    client.force_login(alice)
    exported = download(client, project, "csv", "all").content
    project.examples.all().delete()

    client.post(
        f"/projects/{project.pk}/import/",
        {"file": SimpleUploadedFile("examples.csv", exported)},
    )
    example_import = project.imports.get()
    data = {f"map_{field}": column for field, column in example_import.mapping.items()}
    data.update(default_failure_type="tone", run="1")
    client.post(f"/projects/{project.pk}/imports/{example_import.pk}/", data)

    back = project.examples.get()
    assert {name: getattr(back, name) for name in texts} == texts
    assert back.failure_type == "facts"


CONVERSATION = [
    {"role": "system", "content": "You answer for Acme's support desk."},
    {"role": "user", "content": "Where is my order 1042?"},
    {"role": "assistant", "content": "It left our warehouse on Monday."},
    {"role": "user", "content": "And when will it arrive?"},
]


READABLE = "system: You answer for Acme's support desk.\n\nuser: Where is my order 1042?"


def chat_example(project, **fields):
    values = {
        "title": "Invents a date",
        "input_text": READABLE,
        "input_messages": CONVERSATION,
        "expected_output": "By Thursday, 4 December.",
        "bad_output": "Tomorrow for sure!",
    }
    return make_example(project, **(values | fields))


def test_a_conversation_is_written_as_its_turns_in_every_chat_format(client, alice, project):
    for _ in range(10):  # OpenAI's minimum
        chat_example(project)
    client.force_login(alice)
    # The export's system message is for examples without one: this one keeps its own.
    openai = lines(download(client, project, "openai-chat", system="Be brief."))
    assert openai[0] == {"messages": [*CONVERSATION, ANSWER]}
    assert lines(download(client, project, "fireworks-chat")) == openai
    assert lines(download(client, project, "together-chat")) == openai
    preference = lines(download(client, project, "openai-preference"))
    assert preference[0] == {
        "input": {"messages": CONVERSATION},
        "preferred_output": [ANSWER],
        "non_preferred_output": [{"role": "assistant", "content": "Tomorrow for sure!"}],
    }
    assert lines(download(client, project, "fireworks-preference")) == preference
    assert lines(download(client, project, "together-preference")) == preference


def test_bedrock_and_gemini_put_the_system_message_apart(client, alice, project):
    chat_example(project)
    client.force_login(alice)
    assert lines(download(client, project, "bedrock-conversation")) == [
        {
            "schemaVersion": "bedrock-conversation-2024",
            "system": [{"text": "You answer for Acme's support desk."}],
            "messages": [
                {"role": "user", "content": [{"text": "Where is my order 1042?"}]},
                {"role": "assistant", "content": [{"text": "It left our warehouse on Monday."}]},
                {"role": "user", "content": [{"text": "And when will it arrive?"}]},
                {"role": "assistant", "content": [{"text": "By Thursday, 4 December."}]},
            ],
        }
    ]
    assert lines(download(client, project, "vertex-gemini")) == [
        {
            "systemInstruction": {
                "role": "system",
                "parts": [{"text": "You answer for Acme's support desk."}],
            },
            "contents": [
                {"role": "user", "parts": [{"text": "Where is my order 1042?"}]},
                {"role": "model", "parts": [{"text": "It left our warehouse on Monday."}]},
                {"role": "user", "parts": [{"text": "And when will it arrive?"}]},
                {"role": "model", "parts": [{"text": "By Thursday, 4 December."}]},
            ],
        }
    ]


def test_turns_of_one_role_in_a_row_are_joined_where_roles_must_alternate(client, alice, project):
    turns = [
        {"role": "user", "content": "Order 1042."},
        {"role": "user", "content": "Where is it?"},
    ]
    for _ in range(3):  # Fireworks' minimum
        chat_example(project, input_messages=turns)
    client.force_login(alice)
    bedrock = lines(download(client, project, "bedrock-conversation"))
    assert bedrock[0]["messages"][0] == {
        "role": "user",
        "content": [{"text": "Order 1042.\n\nWhere is it?"}],
    }
    # Fireworks, like OpenAI and Together, takes them as they are.
    assert lines(download(client, project, "together-chat"))[0] == {"messages": [*turns, ANSWER]}
    assert lines(download(client, project, "fireworks-chat"))[0] == {"messages": [*turns, ANSWER]}


def test_a_conversation_a_format_cannot_hold_is_left_out_with_the_reason(client, alice, project):
    chat_example(
        project,
        title="Tool turn",
        input_messages=[
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "tool", "content": '{"temp": 3}'},
        ],
    )
    chat_example(project, title="Ends with the assistant", input_messages=CONVERSATION[:3])
    chat_example(
        project,
        title="Reserved word",
        input_messages=[{"role": "user", "content": "User: where is my order?"}],
    )
    chat_example(project, title="Fine")
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/export/").content.decode()
    assert (
        "<span data-usable>1</span> of 4; <span data-left-out>3</span> left out: a tool turn, "
        "or an input that does not start and end with the user, or a word Nova reserves." in html
    )
    assert (
        "<span data-usable>2</span> of 4; <span data-left-out>2</span> left out: a tool turn, "
        "or an input that does not end with the user." in html
    )
    records = lines(download(client, project, "together-chat"))
    assert [r["messages"][-2]["content"] for r in records] == [
        "User: where is my order?",
        "And when will it arrive?",
    ]


def test_bedrock_wants_a_system_message_on_every_example_or_none(client, alice, project):
    chat_example(project)
    make_example(project, title="Plain")
    client.force_login(alice)
    response = download(client, project, "bedrock-conversation")
    assert response.status_code == 422
    assert (
        "1 of these 2 examples carry a system message and the others none; Amazon Bedrock "
        "conversation fine-tuning (JSONL) needs one on every example or on none."
        in response.content.decode()
    )
    page = client.get(f"/projects/{project.pk}/export/").content.decode()
    assert (
        '<div class="text-danger" data-system-problem>1 of these 2 examples carry a system '
        "message and the others none;" in page
    )
    typed = client.get(f"/projects/{project.pk}/export/", {"system": "Be brief."}).content
    assert b"data-system-problem" not in typed
    # Typed on the export page, it goes to the example without one.
    records = lines(download(client, project, "bedrock-conversation", system="Be brief."))
    assert [r["system"] for r in records] == [
        [{"text": "You answer for Acme's support desk."}],
        [{"text": "Be brief."}],
    ]


def test_dataset_formats_keep_the_conversation_beside_the_text(client, alice, project):
    chat_example(project)
    make_example(project, title="Plain", input_text="Hello")
    client.force_login(alice)
    langsmith = lines(download(client, project, "langsmith"))
    assert langsmith[0]["inputs"] == {
        "input": READABLE,
        "messages": CONVERSATION,
    }
    assert langsmith[1]["inputs"] == {"input": "Hello"}
    braintrust = lines(download(client, project, "braintrust"))
    assert braintrust[0]["input"]["messages"] == CONVERSATION
    assert braintrust[1]["input"] == "Hello"


ANSWER = {"role": "assistant", "content": "By Thursday, 4 December."}
