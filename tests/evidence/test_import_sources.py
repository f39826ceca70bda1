"""The tools' own shapes (sources.py): each read from a fixture shaped like what the tool
writes, its values stated literally; chat inputs kept as turns; passing rows left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from decisions.evidence.models import ExampleImport
from tests.evidence.test_import import run_import, upload

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def import_fixture(client, project, name: str, **choices) -> ExampleImport:
    response = upload(client, project, name, (FIXTURES / name).read_bytes())
    assert response.status_code == 302, response.content.decode()[:2000]
    example_import = ExampleImport.objects.get(filename=name)
    done = run_import(client, project, example_import, **choices)
    assert done.status_code == 302, done.content.decode()[:3000]
    example_import.refresh_from_db()
    return example_import


def rows(project, *fields: str) -> list[tuple]:
    return list(project.examples.order_by("pk").values_list(*fields))


def test_openai_chat_takes_the_last_assistant_turn_as_the_expected_output(logged_in, project):
    example_import = import_fixture(logged_in, project, "openai_chat.jsonl")
    assert (example_import.shape, example_import.imported_count) == ("openai_chat", 3)
    marv = "Marv is a factual chatbot that is also sarcastic."
    assert rows(project, "input_messages", "expected_output", "bad_output") == [
        (
            [
                {"role": "system", "content": marv},
                {"role": "user", "content": "What's the capital of France?"},
            ],
            "Paris, as if everyone doesn't know that already.",
            "",
        ),
        (
            [
                {"role": "system", "content": marv},
                {"role": "user", "content": "Who wrote 'Romeo and Juliet'?"},
                {"role": "assistant", "content": "William Shakespeare"},
                {"role": "user", "content": "Can you be more sarcastic?"},
            ],
            "Oh, just some guy named William Shakespeare. Ever heard of him?",
            "",
        ),
        # One user turn is a plain input: no turns kept.
        ([], "Around 384,400 kilometers. Give or take a few, like that really matters.", ""),
    ]
    first = project.examples.order_by("pk").first()
    assert first.input_text == f"system: {marv}\n\nuser: What's the capital of France?"
    # Named by the last user turn, not the system turn every row shares.
    assert first.title == "What's the capital of France?"
    assert project.examples.order_by("pk").last().input_text == "How far is the Moon from Earth?"


def test_openai_preference_pairs_give_expected_and_bad_outputs(logged_in, project):
    example_import = import_fixture(logged_in, project, "openai_preference.jsonl")
    assert example_import.shape == "openai_preference"
    assert rows(project, "input_text", "input_messages", "expected_output", "bad_output") == [
        (
            "Hello, can you tell me how cold San Francisco is today?",
            [],
            "Today in San Francisco, it is not quite cold as expected. Morning clouds will give "
            "away to sunshine, with a high near 68°F (20°C) and a low around 57°F (14°C).",
            "It is not particularly cold in San Francisco today.",
        ),
        (
            "system: You answer in one sentence.\n\n"
            "user: What should I wear to Fisherman's Wharf tonight?",
            [
                {"role": "system", "content": "You answer in one sentence."},
                {"role": "user", "content": "What should I wear to Fisherman's Wharf tonight?"},
            ],
            "Bring a warm jacket: it gets windy and drops to about 12°C after sunset.",
            "Wear whatever you like!",
        ),
    ]


def test_alpaca_joins_instruction_and_input_and_keeps_history_as_turns(logged_in, project):
    example_import = import_fixture(logged_in, project, "alpaca.json")
    assert (example_import.shape, example_import.imported_count) == ("alpaca", 3)
    assert rows(project, "input_text", "expected_output")[:2] == [
        (
            "Give three tips for staying healthy.",
            "1.Eat a balanced diet and make sure to include plenty of fruits and vegetables. \n"
            "2. Exercise regularly to keep your body active and strong. \n"
            "3. Get enough sleep and maintain a consistent sleep schedule.",
        ),
        ("Identify the odd one out.\nTwitter, Instagram, Telegram", "Telegram"),
    ]
    third = project.examples.order_by("pk").last()
    assert third.input_messages == [
        {"role": "system", "content": "You are a translator for an accounting team."},
        {
            "role": "user",
            "content": "Translate the sentence into French.\nThank you for your order.",
        },
        {"role": "assistant", "content": "Merci pour votre commande."},
        {"role": "user", "content": "Translate the sentence into French.\nThe invoice is overdue."},
    ]
    assert third.expected_output == "La facture est en retard."


def test_alpaca_preference_takes_chosen_and_rejected(logged_in, project):
    import_fixture(logged_in, project, "alpaca_preference.json")
    assert rows(project, "input_text", "expected_output", "bad_output") == [
        (
            "Summarise the refund policy for a customer.\n"
            "Refunds within 30 days of delivery; faulty items any time within a year.",
            "You can get a refund within 30 days of delivery, or within a year if the item is "
            "faulty.",
            "Refunds are always possible, no questions asked.",
        )
    ]


def test_sharegpt_maps_human_gpt_and_tool_turns(logged_in, project):
    example_import = import_fixture(logged_in, project, "sharegpt.json")
    assert example_import.shape == "sharegpt"
    assert rows(project, "input_messages", "expected_output") == [
        (
            [
                {
                    "role": "system",
                    "content": "You are the support assistant of Kettle & Co. Never promise "
                    "refunds.",
                },
                {"role": "user", "content": "My order #4521 hasn't arrived. Where is it?"},
            ],
            "I'm sorry about the wait. Order #4521 left our warehouse on Monday and should "
            "arrive by Thursday.",
        ),
        (
            [
                {"role": "user", "content": "What's the weather in Lisbon?"},
                {
                    "role": "assistant",
                    "content": '{"name": "get_weather", "arguments": {"city": "Lisbon"}}',
                },
                {"role": "tool", "content": '{"temperature_c": 19, "sky": "clear"}'},
            ],
            "It's 19°C and clear in Lisbon.",
        ),
    ]


def test_sharegpt_chosen_and_rejected_are_the_two_outputs(logged_in, project):
    import_fixture(logged_in, project, "sharegpt_preference.json")
    assert rows(project, "input_text", "input_messages", "expected_output", "bad_output") == [
        (
            "Write a subject line for our spring sale email.",
            [],
            "Spring sale: 20% off everything until Sunday",
            "AMAZING!!! DEALS!!! DON'T MISS OUT!!!",
        )
    ]


def test_a_chat_turn_with_an_unknown_role_refuses_the_file(logged_in, project):
    content = (
        b'{"messages": [{"role": "user", "content": "Hi"}, '
        b'{"role": "assistant", "content": "Hello"}]}\n'
        b'{"messages": [{"role": "narrator", "content": "Once"}, '
        b'{"role": "assistant", "content": "upon"}]}\n'
    )
    upload(logged_in, project, "roles.jsonl", content)
    response = run_import(logged_in, project, ExampleImport.objects.get())
    html = response.content.decode()
    assert response.status_code == 422
    assert "<strong>Line 2</strong>" in html
    assert "a turn has the role “narrator”, which is not one of" in html
    assert project.examples.count() == 0


def test_openai_evals_keep_the_system_turn(logged_in, project):
    from tests.evidence.test_import import FILES

    upload(logged_in, project, "openai_evals.jsonl", (FILES / "openai_evals.jsonl").read_bytes())
    run_import(logged_in, project, ExampleImport.objects.get())
    assert rows(project, "input_messages", "expected_output") == [
        (
            [
                {"role": "system", "content": "Answer with the country only."},
                {"role": "user", "content": "Where is the Eiffel Tower?"},
            ],
            "France",
        ),
        (
            [
                {"role": "system", "content": "Answer with the country only."},
                {"role": "user", "content": "Where is Machu Picchu?"},
            ],
            "Peru\nPerú",
        ),
    ]


def test_langfuse_traces_keep_the_conversation_and_the_answer(logged_in, project):
    example_import = import_fixture(logged_in, project, "langfuse_traces.json")
    [example] = project.examples.all()
    assert example_import.mapping == {
        "title": "name",
        "input_text": "input",
        "bad_output": "output",
        "failure_type": "metadata.failure_type",
    }
    assert example.input_messages == [
        {
            "role": "system",
            "content": "You are the support assistant of Kettle & Co. Answer in two sentences "
            "at most.",
        },
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
        {"role": "user", "content": "Can I return a kettle <b>after</b> 40 days?"},
    ]
    assert example.bad_output == "Of course! Returns are accepted at any time, no questions asked."
    assert (example.title, example.failure_type) == ("support-chat", "facts")


# promptfoo results: JSON, JSONL and CSV of the same run, 2 passing and 2 failing results.

FAILING_RESULTS = [
    (
        "used kettle",
        "Can I return a used kettle?",
        "Yes, any kettle within 90 days.",
        "",
        "high",
        "facts",
    ),
    (
        "shipping to Norway",
        "Do you ship to Norway?",
        "We ship worldwide in 2 days.",
        "Yes, in 5 to 7 working days.",
        "medium",
        "format",  # no category in the file: the preview's default type
    ),
]


@pytest.mark.parametrize("name", ["promptfoo_results.json", "promptfoo_results.jsonl"])
def test_promptfoo_results_import_the_failing_results(logged_in, project, name):
    example_import = import_fixture(logged_in, project, name, only_failing="on")
    assert example_import.shape == "promptfoo_results"
    assert (example_import.row_count, example_import.imported_count) == (4, 2)
    assert example_import.left_out_passing == 2
    assert (
        rows(
            project,
            "title",
            "input_text",
            "bad_output",
            "expected_output",
            "severity",
            "failure_type",
        )
        == FAILING_RESULTS
    )
    notes = [note for (note,) in rows(project, "notes")]
    assert notes == [
        "promptfoo grader: The answer invents a 90-day window for every kettle.\n"
        "promptfoo assertions: llm-rubric: Says only faulty kettles can be returned once used\n"
        "Provider: openai:gpt-4o-mini\n"
        "owner: returns team",
        'promptfoo grader: Expected output "We ship worldwide in 2 days." to equal "Yes, in 5 '
        'to 7 working days."\n'
        "promptfoo assertions: not-contains: worldwide\n"
        "Provider: openai:gpt-4o-mini",
    ]


def test_promptfoo_results_csv_reads_status_and_grader_reason(logged_in, project):
    example_import = import_fixture(logged_in, project, "promptfoo_results.csv", only_failing="on")
    assert example_import.shape == "promptfoo_results"
    assert example_import.imported_count == 2
    assert rows(project, "title", "input_text", "bad_output", "expected_output", "notes") == [
        (
            "used kettle",
            "Can I return a used kettle?",
            "Yes, any kettle within 90 days.",
            "",
            "promptfoo grader: The answer invents a 90-day window for every kettle.\n"
            "Prompt: [openai:gpt-4o-mini] policy-v3",
        ),
        (
            "shipping to Norway",
            "Do you ship to Norway?",
            "We ship worldwide in 2 days.",
            "",
            'promptfoo grader: Expected output "We ship worldwide in 2 days." to equal "Yes, '
            'in 5 to 7 working days."\n'
            "Prompt: [openai:gpt-4o-mini] policy-v3",
        ),
    ]


def test_unticking_only_failing_imports_the_passing_results_too(logged_in, project):
    example_import = import_fixture(logged_in, project, "promptfoo_results.json", only_failing=None)
    assert (example_import.imported_count, example_import.left_out_passing) == (4, 0)
    assert [title for (title,) in rows(project, "title")] == [
        "refund window",
        "used kettle",
        "shipping to Norway",
        "late order apology",
    ]


def test_the_preview_offers_only_the_failing_rows_and_counts_what_it_leaves_out(logged_in, project):
    name = "promptfoo_results.jsonl"
    upload(logged_in, project, name, (FIXTURES / name).read_bytes())
    example_import = ExampleImport.objects.get()
    assert example_import.only_failing is True
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert "read as <strong>promptfoo results (eval --output)</strong>" in html
    assert (
        'name="only_failing" id="id_only_failing" aria-describedby="only-failing-help" checked'
        in html
    )
    assert "Leaves out 2 passing rows of 4." in html
    assert "All 2 failing rows are ready to import." in html
    assert "The 2 passing rows are left out." in html
    assert "Import 2 examples" in html


def test_a_file_without_pass_or_fail_offers_no_such_box(logged_in, project):
    upload(logged_in, project, "plain.csv", b"input,output\nQuestion,Wrong answer\n")
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert "only_failing" not in html
    assert "All 1 row are ready to import." in html


# Scores: a score of 0.5 or more passes; a row passes only when all its scores do.


def test_braintrust_scores_at_the_threshold_pass_and_below_it_fail(logged_in, project):
    example_import = import_fixture(
        logged_in, project, "braintrust_experiment.jsonl", only_failing="on"
    )
    assert example_import.shape == "braintrust"
    # Factuality 0.4 and Tone 0.0 fail; 1.0/1.0 passes; 0.5/1.0 passes (at the threshold);
    # 0.49 with no Tone fails (just below it).
    assert example_import.left_out_passing == 2
    assert rows(project, "input_text", "bad_output", "failure_type", "severity") == [
        (
            "Reply to Dana about her late order.",
            "Dear Valued Customer, we regret to inform you...",
            "tone",
            "high",
        ),
        # No tag: the preview's default failure type, the vocabulary's first.
        (
            "Reply to Lee about the invoice.",
            "Hi Lee, invoices are sent monthly.",
            "format",
            "medium",
        ),
    ]


def test_langsmith_experiment_csv_uses_feedback_as_pass_or_fail(logged_in, project):
    example_import = import_fixture(
        logged_in, project, "langsmith_experiment.csv", only_failing="on"
    )
    assert example_import.shape == "langsmith_csv"
    assert example_import.mapping == {
        "input_text": "input",
        "bad_output": "bad_output",
        "expected_output": "expected_output",
        "notes": "notes",
    }
    # correctness 1.0 and conciseness 0.5 passes (at the threshold); 0.0 with 0.49 fails.
    assert (example_import.imported_count, example_import.left_out_passing) == (2, 2)
    assert rows(project, "input_text", "bad_output", "expected_output", "notes") == [
        (
            "Can I return a used kettle?",
            "Yes, any kettle, any time.",
            "Yes, within 30 days if it is faulty.",
            "LangSmith feedback: correctness 0.0, conciseness 1.0",
        ),
        (
            "Which plan includes SSO?",
            "All plans include SSO.",
            "The Business plan.",
            "LangSmith feedback: correctness 0.0, conciseness 0.49",
        ),
    ]


def test_the_done_message_counts_the_passing_rows_left_out(logged_in, project):
    name = "langsmith_experiment.csv"
    upload(logged_in, project, name, (FIXTURES / name).read_bytes())
    response = run_import(logged_in, project, ExampleImport.objects.get(), only_failing="on")
    page = logged_in.get(response["Location"]).content.decode()
    assert "Imported 2 examples from “langsmith_experiment.csv”. Left out 2 passing rows." in page


# promptfoo test CSVs: __expected, __expected1..N and __metadata:*.


def test_promptfoo_assertions_become_notes_and_never_the_expected_output(logged_in, project):
    example_import = import_fixture(logged_in, project, "promptfoo_tests_assertions.csv")
    assert example_import.shape == "promptfoo"
    assert rows(project, "title", "input_text", "expected_output", "severity", "failure_type") == [
        ("Pro plan price", "What does the Pro plan cost?", "$49 a month", "high", "facts"),
        ("Trial length", "Is there a free trial?", "", "medium", "format"),
        ("Invoice payment", "Can I pay by invoice?", "Yes: on the Business plan.", "low", "format"),
    ]
    assert [note for (note,) in rows(project, "notes")] == [
        "owner: pricing team\n"
        "promptfoo assertions: contains: $49; llm-rubric: Mentions the monthly billing period",
        "promptfoo assertions: javascript: output.includes('14 days')",
        "promptfoo assertions: not-contains: credit card only",
    ]


def test_the_row_limit_counts_the_results_inside_one_promptfoo_object(logged_in, project, settings):
    content = (FIXTURES / "promptfoo_results.json").read_bytes()
    settings.IMPORT_MAX_ROWS = 3
    refused = upload(logged_in, project, "promptfoo_results.json", content)
    assert refused.status_code == 422
    assert "The file has more than 3 rows; the limit is 3." in refused.content.decode()
    assert ExampleImport.objects.count() == 0
    settings.IMPORT_MAX_ROWS = 4
    assert upload(logged_in, project, "promptfoo_results.json", content).status_code == 302
    assert ExampleImport.objects.get().row_count == 4


def test_the_preview_lists_a_conversation_turn_by_turn(logged_in, project):
    name = "openai_chat.jsonl"
    upload(logged_in, project, name, (FIXTURES / name).read_bytes())
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert (
        '<li><span class="chat-role-inline">User:</span> Who wrote &#x27;Romeo and '
        "Juliet&#x27;?</li>"
    ) in html
    assert '<li><span class="chat-role-inline">Assistant:</span> William Shakespeare</li>' in html
    assert "How far is the Moon from Earth? <span" in html  # the plain row's derived title


@pytest.mark.parametrize(("turns", "more"), [(6, ""), (7, "and 1 more turn")])
def test_the_preview_shows_six_turns_and_counts_the_rest(logged_in, project, turns, more):
    import json

    roles = ["user", "assistant"]
    messages = [{"role": roles[n % 2], "content": f"turn {n + 1}"} for n in range(turns)]
    messages.append({"role": "assistant", "content": "the answer"})
    line = json.dumps({"messages": messages}).encode() + b"\n"
    upload(logged_in, project, "long.jsonl", line)
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert html.count('class="chat-role-inline"') == 6
    assert ("more turn" in html) == bool(more)
    assert more in html


def test_a_file_where_every_row_passed_says_there_is_nothing_to_import(logged_in, project):
    content = (
        b'{"input": "Hi", "output": "Hello", "expected": "Hello", "id": "a", '
        b'"scores": {"Factuality": 1}}\n'
    )
    upload(logged_in, project, "passed.jsonl", content)
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert "Leaves out 1 passing row of 1." in html
    assert (
        "Every row passed: with “Only the failing rows” ticked there is nothing to import." in html
    )
    assert "Untick it to import the 1 passing row as well." in html


def test_a_background_import_reports_the_passing_rows_left_out(
    logged_in, project, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_ROWS = 1
    name = "promptfoo_results.json"
    upload(logged_in, project, name, (FIXTURES / name).read_bytes())
    example_import = ExampleImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = run_import(logged_in, project, example_import, only_failing="on")
    html = logged_in.get(response["Location"]).content.decode()
    assert "Imported 2 examples into" in html
    assert "Left out 2 passing rows." in html


def test_vertex_gemini_tuning_lines_keep_the_system_instruction(logged_in, project):
    example_import = import_fixture(logged_in, project, "vertex_gemini.jsonl")
    assert example_import.shape == "vertex_gemini"
    assert rows(project, "input_text", "input_messages", "expected_output") == [
        (
            "system: You are a pirate dog named Capital Paws.\n\nuser: Hi\n\n"
            "assistant: Argh! What brings ye to my ship?\n\nuser: Where is the treasure?",
            [
                {"role": "system", "content": "You are a pirate dog named Capital Paws."},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Argh! What brings ye to my ship?"},
                {"role": "user", "content": "Where is the treasure?"},
            ],
            "Buried under the third palm, matey, but ye'll have to dig for it yourself!",
        ),
        (
            "What is AI?",
            [],
            "AI is software that learns patterns from data to make predictions or decisions.",
        ),
    ]


def test_bedrock_conversation_lines_read_the_system_list(logged_in, project):
    example_import = import_fixture(logged_in, project, "bedrock_conversation.jsonl")
    assert example_import.shape == "bedrock_conversation"
    assert rows(project, "input_messages", "input_text", "expected_output") == [
        (
            [
                {
                    "role": "system",
                    "content": "You are a digital assistant with a friendly personality",
                },
                {"role": "user", "content": "What is the capital of Mars?"},
            ],
            "system: You are a digital assistant with a friendly personality\n\n"
            "user: What is the capital of Mars?",
            "Mars does not have a capital. Perhaps it will one day.",
        ),
        # "system": [] is no system turn: the input is plain text.
        ([], "Name one moon of Mars.", "Phobos."),
    ]


def test_langsmith_messages_in_and_out_keep_turns_and_the_answer(logged_in, project):
    # The shape LangSmith's upload-experiment examples use: chat inputs, outputs as messages.
    line = (
        b'{"inputs": {"messages": [{"role": "system", "content": "Be brief."}, '
        b'{"role": "user", "content": "Hello, how are you?"}]}, '
        b'"reference_outputs": {"messages": [{"role": "assistant", "content": "Fine, thanks."}]}, '
        b'"outputs": {"messages": [{"role": "assistant", "content": "I am an AI and have no '
        b'feelings, but thank you for asking! How can I help you today?"}]}}\n'
    )
    upload(logged_in, project, "ls_messages.jsonl", line)
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "langsmith"
    run_import(logged_in, project, example_import)
    assert rows(project, "input_messages", "bad_output", "expected_output") == [
        (
            [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hello, how are you?"},
            ],
            "I am an AI and have no feelings, but thank you for asking! How can I help you today?",
            "Fine, thanks.",
        )
    ]


def test_a_promptfoo_csv_of_two_prompts_is_refused_with_what_to_upload_instead(logged_in, project):
    content = (
        b"question,[openai:gpt-4o-mini] v1,Status,Score,Named Scores,Grader Reason,Comment,"
        b"[openai:gpt-4o] v1,Status,Score,Named Scores,Grader Reason,Comment\n"
        b"Hi?,Hello,PASS,1.00,,ok,,Hey,PASS,1.00,,ok,\n"
    )
    response = upload(logged_in, project, "two.csv", content)
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        "The header names “Status” twice. promptfoo writes its result columns once per prompt"
    ) in html
    assert "import its --output results.json (or .jsonl), which keeps every result apart." in html


def test_only_a_member_who_edits_can_change_the_failing_rows_choice(
    client, alice, bob, charlie, project
):
    client.force_login(alice)
    name = "promptfoo_results.jsonl"
    upload(client, project, name, (FIXTURES / name).read_bytes())
    example_import = ExampleImport.objects.get()
    url = f"/projects/{project.pk}/imports/{example_import.pk}/"
    data = {"map_input_text": "input", "default_failure_type": "facts"}  # only_failing unticked
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    example_import.refresh_from_db()
    assert example_import.only_failing is True
    client.force_login(alice)
    assert client.post(url, data).status_code == 200
    example_import.refresh_from_db()
    assert example_import.only_failing is False
