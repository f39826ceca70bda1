"""Importing failed examples: one file per tool shape, the preview's mapping, all rows or none,
and every bad upload refused with its row and column and nothing saved."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from decisions.evidence.models import ExampleImport, FailedExample, ImportStatus
from tests.conftest import make_example

FILES = Path(__file__).parent / "files"


def upload(client, project, name: str, content: bytes):
    return client.post(
        f"/projects/{project.pk}/import/", {"file": SimpleUploadedFile(name, content)}
    )


def upload_fixture(client, project, name: str):
    return upload(client, project, name, (FILES / name).read_bytes())


def run_import(client, project, example_import, **choices):
    """Posts the preview form with the import's current mapping plus `choices`, and Import.
    The box "Skip rows already in this project" is ticked, as the form shows it; a choice of
    None leaves a field out (an unticked box)."""
    data = {f"map_{field}": column for field, column in example_import.mapping.items()}
    data["default_failure_type"] = example_import.default_failure_type
    data["skip_existing"] = "on"
    data.update(choices)
    data = {name: value for name, value in data.items() if value is not None}
    data["run"] = "1"
    return client.post(f"/projects/{project.pk}/imports/{example_import.pk}/", data)


def imported(project) -> list[dict]:
    return list(
        project.examples.order_by("pk").values(
            "title",
            "input_text",
            "bad_output",
            "expected_output",
            "failure_type",
            "severity",
            "notes",
        )
    )


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def test_langsmith_dataset_maps_inputs_and_reference_outputs(logged_in, project):
    response = upload_fixture(logged_in, project, "langsmith_dataset.jsonl")
    example_import = ExampleImport.objects.get()
    assert response.status_code == 302
    assert example_import.shape == "langsmith"
    assert example_import.mapping == {
        "input_text": "inputs.question",
        "expected_output": "outputs.answer",
        "failure_type": "metadata.failure_type",
    }
    response = run_import(logged_in, project, example_import)
    assert response.status_code == 302
    assert imported(project) == [
        {
            "title": "What is our refund window?",
            "input_text": "What is our refund window?",
            "bad_output": "",
            "expected_output": "30 days from delivery.",
            "failure_type": "facts",
            "severity": "medium",
            "notes": "",
        },
        {
            "title": "Can I return a used kettle?",
            "input_text": "Can I return a used kettle?",
            "bad_output": "",
            "expected_output": "Yes, within 30 days if it is faulty.",
            "failure_type": "facts",
            "severity": "medium",
            "notes": "",
        },
    ]


def test_langsmith_experiment_takes_outputs_as_the_bad_output(logged_in, project):
    upload_fixture(logged_in, project, "langsmith_experiment.jsonl")
    run_import(logged_in, project, ExampleImport.objects.get())
    [row] = imported(project)
    assert row["bad_output"].startswith("The customer, who wrote to us on Monday")
    assert row["expected_output"] == "Customer wants a refund for a late order."
    assert row["failure_type"] == "format"
    assert row["notes"] == "Always two lines or more"


def test_braintrust_tags_map_and_an_unknown_tag_must_be_mapped(logged_in, project):
    upload_fixture(logged_in, project, "braintrust.jsonl")
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "braintrust"
    assert example_import.mapping["failure_type"] == "tags"
    preview = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/")
    assert "“too-formal” in the file means" in preview.content.decode()

    refused = run_import(logged_in, project, example_import)
    assert refused.status_code == 422
    assert "“too-formal” is not one of our failure types" in refused.content.decode()
    assert FailedExample.objects.count() == 0

    from decisions.evidence.imports.forms import type_field_name

    run_import(logged_in, project, example_import, **{type_field_name("too-formal"): "tone"})
    rows = imported(project)
    assert [(r["failure_type"], r["severity"]) for r in rows] == [
        ("tone", "high"),
        ("facts", "medium"),
    ]
    assert rows[0]["bad_output"] == "Dear Valued Customer, we regret..."
    assert rows[1]["expected_output"] == "Hi Sam, the discount ends Friday."


def test_langfuse_items_read_chat_input_and_expected_output(logged_in, project):
    upload_fixture(logged_in, project, "langfuse.json")
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "langfuse"
    run_import(logged_in, project, example_import)
    rows = imported(project)
    # One user turn is plain text: what a chat export writes for a plain input.
    assert rows[0]["input_text"] == "Which plan includes SSO?"
    assert project.examples.order_by("pk").first().input_messages == []
    assert rows[0]["expected_output"] == "The Business plan."
    assert rows[0]["bad_output"] == "All plans include SSO."
    assert [r["failure_type"] for r in rows] == ["facts", "behavior"]


def test_promptfoo_tests_join_the_variable_columns(logged_in, project):
    upload_fixture(logged_in, project, "promptfoo_tests.csv")
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "promptfoo"
    assert example_import.mapping == {
        "title": "title",
        "input_text": "input",
        "bad_output": "bad_output",
        "expected_output": "expected_output",
        "notes": "notes",
    }
    run_import(logged_in, project, example_import)
    rows = imported(project)
    assert rows[0]["title"] == "Invents prices"
    assert (
        rows[0]["input_text"]
        == "question: What does the Pro plan cost?\ncontext: Pricing page 2026"
    )
    # "contains: $49" is a check promptfoo runs, not the answer it expects.
    assert rows[0]["expected_output"] == ""
    assert rows[0]["notes"] == "promptfoo assertions: contains: $49"
    assert (
        rows[1]["input_text"]
        == "question: Is there a free trial?\ncontext: Trial: 14 days, no card"
    )
    assert rows[1]["expected_output"] == "14 days"
    assert rows[1]["notes"] == ""


def test_openai_evals_samples_render_messages_and_ideal_answers(logged_in, project):
    upload_fixture(logged_in, project, "openai_evals.jsonl")
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "openai_evals"
    run_import(logged_in, project, example_import)
    rows = imported(project)
    assert rows[0]["input_text"] == (
        "system: Answer with the country only.\n\nuser: Where is the Eiffel Tower?"
    )
    assert rows[0]["expected_output"] == "France"
    assert rows[1]["expected_output"] == "Peru\nPerú"


def test_plain_columns_with_a_byte_order_mark(logged_in, project):
    upload_fixture(logged_in, project, "plain_with_bom.csv")
    example_import = ExampleImport.objects.get()
    assert example_import.shape == "plain"
    assert example_import.mapping == {
        "input_text": "prompt",
        "bad_output": "response",
        "expected_output": "reference",
        "failure_type": "category",
        "severity": "severity",
        "notes": "notes",
    }
    run_import(logged_in, project, example_import)
    assert imported(project) == [
        {
            "title": "Write a tweet about our launch",
            "input_text": "Write a tweet about our launch",
            "bad_output": "Here is a 600-word blog post...",
            "expected_output": "A tweet under 280 characters",
            "failure_type": "format",
            "severity": "high",
            "notes": 'Ignores "tweet"',
        }
    ]


def test_mapping_a_column_in_the_preview_changes_what_is_imported(logged_in, project):
    content = b"question,answer_given,gold\nWhere is HQ?,Paris,Berlin\n"
    upload(logged_in, project, "own.csv", content)
    example_import = ExampleImport.objects.get()
    assert example_import.mapping == {"input_text": "question"}
    preview = logged_in.post(
        f"/projects/{project.pk}/imports/{example_import.pk}/",
        {
            "map_input_text": "question",
            "map_bad_output": "answer_given",
            "map_expected_output": "gold",
            "default_failure_type": "facts",
        },
        headers={"HX-Request": "true"},
    )
    html = preview.content.decode()
    assert "<html" not in html
    assert "All 1 row are ready to import." in html
    example_import.refresh_from_db()
    assert example_import.mapping["expected_output"] == "gold"
    run_import(logged_in, project, example_import)
    [row] = imported(project)
    assert (row["bad_output"], row["expected_output"], row["failure_type"]) == (
        "Paris",
        "Berlin",
        "facts",
    )


def test_export_csv_then_import_gives_the_same_examples(logged_in, project, team):
    from decisions.projects.models import Project

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
    make_example(project, title="Plain", expected_output="", notes="")
    from tests.evidence.test_export import download

    exported = download(logged_in, project, "csv", "all")
    assert exported.status_code == 200
    fresh = Project.objects.create(team=team, name="Fresh copy")
    upload(logged_in, fresh, "export.csv", exported.content)
    example_import = ExampleImport.objects.get(project=fresh)
    run_import(logged_in, fresh, example_import)
    fields = (
        "title",
        "input_text",
        "bad_output",
        "expected_output",
        "failure_type",
        "techniques_tried",
        "iterations",
        "severity",
        "notes",
    )
    original = list(project.examples.order_by("created_at", "pk").values(*fields))
    copied = list(fresh.examples.order_by("pk").values(*fields))
    assert copied == original
    assert copied[0]["input_text"] == "=SUM(A1:A2) is what the user typed"


# Bad uploads: each refused with its message, nothing stored and nothing imported.


def assert_refused(response, message: str) -> None:
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert message in html, html
    assert ExampleImport.objects.count() == 0
    assert FailedExample.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(logged_in, project, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    content = b"input,bad_output\n" + b"x,y\n" * 300_000
    assert_refused(
        upload(logged_in, project, "big.csv", content),
        "The file is larger than the limit of 1 MB (this upload is 1.2 MB).",
    )


def test_too_many_rows_are_refused(logged_in, project, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = b"input,bad_output\n" + b"x,y\n" * 4
    assert_refused(
        upload(logged_in, project, "rows.csv", content),
        "The file has more than 3 rows; the limit is 3.",
    )


def test_a_file_that_is_not_utf8_is_refused(logged_in, project):
    content = "input,bad_output\nCafé,crème\n".encode("latin-1")
    response = upload(logged_in, project, "latin.csv", content)
    assert_refused(response, "The file is not UTF-8 (byte 0xE9 cannot start a character)")
    assert "Line 2" in response.content.decode()


def test_a_nul_byte_is_refused(logged_in, project):
    response = upload(logged_in, project, "nul.csv", b"input,bad_output\nok,fine\nbad\x00,row\n")
    assert_refused(response, "The file holds a NUL byte")
    assert "Line 3" in response.content.decode()


def test_a_malformed_json_line_is_refused_with_its_line(logged_in, project):
    content = b'{"input": "a", "output": "b"}\n{"input": "c", "output": }\n'
    response = upload(logged_in, project, "broken.jsonl", content)
    assert_refused(response, "not valid JSON (Expecting value at column 26)")
    assert "<strong>Line 2</strong>" in response.content.decode()


def test_a_missing_required_column_refuses_the_import(logged_in, project):
    upload(logged_in, project, "nocol.csv", b"title,notes\nA title,A note\n")
    example_import = ExampleImport.objects.get()
    response = run_import(logged_in, project, example_import)
    assert response.status_code == 422
    assert "No column is mapped to Input" in response.content.decode()
    assert FailedExample.objects.count() == 0


def test_a_formula_cell_refuses_the_whole_file_with_row_and_column(logged_in, project):
    content = (
        b"input,bad_output,notes\n"
        b"Fine row,Bad answer,ok\n"
        b'Second row,Bad answer,=HYPERLINK("http://evil.example")\n'
        b"Third row,- a bullet is text,-5 is a number\n"
    )
    upload(logged_in, project, "formula.csv", content)
    example_import = ExampleImport.objects.get()
    response = run_import(logged_in, project, example_import)
    html = response.content.decode()
    assert response.status_code == 422
    assert "<strong>Row 3</strong>, column <code>notes</code>: starts with “=”" in html
    assert "1 problem in 1 row" in html
    assert FailedExample.objects.count() == 0


def test_a_broken_conversation_cell_refuses_the_whole_file_with_its_row(logged_in, project):
    broken = '"[{""role"": ""user"", ""content"": ""Hi""}, {""role"": ""user"""'
    content = (
        b"title,input,bad_output,input_messages\n"
        b"Plain,Hello,Bad answer,\n"
        b'Chat,"user: Hi",Bad answer,' + broken.encode() + b"\n"
        b'Not turns,Hi,Bad answer,"{""role"": ""user""}"\n'
    )
    upload(logged_in, project, "backup.csv", content)
    response = run_import(logged_in, project, ExampleImport.objects.get())
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        "<strong>Row 3</strong>, column <code>input</code>: input_messages is not JSON "
        "(Expecting &#x27;,&#x27; delimiter at character 52)"
    ) in html
    assert "<strong>Row 4</strong>, column <code>input</code>: input_messages holds no list" in html
    assert FailedExample.objects.count() == 0


def test_an_over_long_cell_is_refused_not_cut(logged_in, project):
    content = b"input,bad_output\n" + b"x," + b"y" * 20_001 + b"\n"
    upload(logged_in, project, "long.csv", content)
    response = run_import(logged_in, project, ExampleImport.objects.get())
    assert "20,001 characters; the limit is 20,000" in response.content.decode()
    assert FailedExample.objects.count() == 0


def test_a_large_file_runs_in_the_background_with_progress(
    logged_in, project, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_ROWS = 10
    rows = "".join(f"Question {n},Wrong {n},Right {n}\n" for n in range(600))
    upload(logged_in, project, "large.csv", ("input,output,expected\n" + rows).encode())
    example_import = ExampleImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = run_import(logged_in, project, example_import)
    # Tests run tasks at once; the worker would run it after the request.
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/imports/{example_import.pk}/"
    example_import.refresh_from_db()
    assert (example_import.status, example_import.imported_count) == (ImportStatus.DONE, 600)
    assert example_import.content == ""
    assert project.examples.count() == 600
    page = logged_in.get(response["Location"], headers={"HX-Request": "true"})
    assert "Imported 600 examples" in page.content.decode()


def test_progress_page_polls_while_the_import_runs(logged_in, project):
    upload(logged_in, project, "p.csv", b"input,output\na,b\n")
    example_import = ExampleImport.objects.get()
    ExampleImport.objects.filter(pk=example_import.pk).update(
        status=ImportStatus.RUNNING,
        rows_checked=0,
        row_count=4,
        lease_expires_at=timezone.now() + timedelta(minutes=1),  # a worker holds it
    )
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "Checking rows: 0 of 4" in html


def test_an_import_runs_once(logged_in, project):
    upload(logged_in, project, "once.csv", b"input,output\na,b\n")
    example_import = ExampleImport.objects.get()
    run_import(logged_in, project, example_import)
    second = run_import(logged_in, project, example_import)
    assert second.status_code == 200
    assert "Imported 1 example into" in second.content.decode()
    assert project.examples.count() == 1


def test_a_refused_import_goes_back_to_its_preview(logged_in, project):
    upload(logged_in, project, "nocol.csv", b"title,notes\nA,B\n")
    example_import = ExampleImport.objects.get()
    ExampleImport.objects.filter(pk=example_import.pk).update(status=ImportStatus.QUEUED)
    from decisions.evidence.imports.run import import_run

    assert import_run(example_import_id=example_import.pk) == ImportStatus.FAILED
    example_import.refresh_from_db()
    assert example_import.problems[0]["message"].startswith("No column is mapped to Input")
    logged_in.post(f"/projects/{project.pk}/imports/{example_import.pk}/", {"reopen": "1"})
    example_import.refresh_from_db()
    assert example_import.status == ImportStatus.PREVIEW
    assert example_import.content == "title,notes\nA,B\n"


def test_json_array_wrapped_in_an_object_is_read(logged_in, project):
    content = json.dumps({"examples": [{"question": "Q", "response": "R"}]}).encode()
    upload(logged_in, project, "wrapped.json", content)
    example_import = ExampleImport.objects.get()
    run_import(logged_in, project, example_import)
    assert imported(project)[0]["bad_output"] == "R"


def test_the_same_problem_in_many_rows_is_listed_once(logged_in, project):
    rows = "".join(f"Q{n},A{n},made-up\n" for n in range(8))
    upload(logged_in, project, "tags.csv", ("input,output,category\n" + rows).encode())
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert (
        "<strong>Row 2, Row 3, Row 4, Row 5, Row 6 and 3 more</strong>, "
        "column <code>category</code>: “made-up” is not one of our failure types: "
        "map it in the preview." in html
    )
    assert "8 problems in 8 rows" in html


def test_the_upload_page_states_the_limits(logged_in, project):
    html = logged_in.get(f"/projects/{project.pk}/import/").content.decode()
    assert "up to 50 MB and 100,000 rows." in html
