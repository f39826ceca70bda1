"""An import without a title column takes each title from the input's first line; such a title
is the input's text (customer e-mail addresses, card numbers), so a copy of the report
"with examples, without their text" leaves it out with the text: page, PDF and data alike."""

from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from decisions.evidence.models import ExampleImport
from decisions.reports.context import report_context
from decisions.reports.models import ReportScope
from tests.conftest import make_example
from tests.evidence.test_import import run_import, upload
from tests.reports.conftest import render_pending_pdfs, save_decision
from tests.reports.test_pdf import pdf_text, squash
from tests.reports.test_share import create_link, token_from

MARKER = "dana.private@example.com"
FILE = f"input,bad_output\n{MARKER} asks for a refund on card 4111,Refund sent twice\n".encode()
LEFT_OUT = "Title left out: it was taken from the input"


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def imported_decision(logged_in, project, alice):
    upload(logged_in, project, "no_titles.csv", FILE)
    run_import(logged_in, project, ExampleImport.objects.get())
    make_example(project, title="Typed by the PM")
    return save_decision(project, alice, "prompt")


def shared(client, decision, scope: str) -> str:
    token = token_from(create_link(client, decision, scope=scope))
    return f"/s/{token}/"


def test_a_title_taken_from_the_input_is_marked_and_saved_with_the_decision(
    imported_decision, project
):
    example = project.examples.get(bad_output="Refund sent twice")
    assert (example.title, example.title_derived) == (
        f"{MARKER} asks for a refund on card 4111",
        True,
    )
    assert project.examples.get(title="Typed by the PM").title_derived is False
    assert [e["title_derived"] for e in imported_decision.examples] == [True, False]


def test_the_preview_says_which_titles_come_from_the_input(logged_in, project):
    upload(logged_in, project, "no_titles.csv", FILE)
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert (
        'asks for a refund on card 4111 <span class="text-body-secondary">(from the input)' in html
    )


def test_without_their_text_the_page_leaves_a_derived_title_out(logged_in, imported_decision):
    url = shared(logged_in, imported_decision, "examples_no_text")
    html = logged_in.get(url).content.decode()
    assert MARKER not in html
    assert LEFT_OUT in html
    assert "Typed by the PM" in html  # a title typed by a person stays


def test_with_their_text_the_page_shows_the_derived_title(logged_in, imported_decision):
    html = logged_in.get(shared(logged_in, imported_decision, "examples")).content.decode()
    assert MARKER in html
    assert LEFT_OUT not in html


def test_without_their_text_the_pdf_leaves_a_derived_title_out(logged_in, imported_decision):
    url = shared(logged_in, imported_decision, "examples_no_text") + "report.pdf"
    logged_in.get(url)
    render_pending_pdfs()
    _, text = pdf_text(logged_in.get(url).content)
    flat = squash(text)
    assert MARKER not in flat
    assert squash(LEFT_OUT) in flat
    assert "Typed by the PM" in flat


def test_without_their_text_the_data_of_the_copy_leaves_a_derived_title_out(imported_decision):
    context = report_context(imported_decision, scope=ReportScope.EXAMPLES_NO_TEXT)
    data = json.dumps(context["examples"], cls=DjangoJSONEncoder)
    assert MARKER not in data
    assert [row["title"] for row in context["examples"]] == [LEFT_OUT, "Typed by the PM"]


def test_a_revision_saved_before_titles_were_marked_is_matched_on_its_text(imported_decision):
    for example in imported_decision.examples:
        del example["title_derived"]
    context = report_context(imported_decision, scope=ReportScope.EXAMPLES_NO_TEXT)
    assert [row["title"] for row in context["examples"]] == [LEFT_OUT, "Typed by the PM"]


def test_the_migration_marks_titles_taken_from_the_input_before_it(project):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("decisions.evidence.migrations.0003_failedexample_title_derived")
    make_example(project, title="Call me at 555 0100", input_text="  Call me at 555 0100\nThanks")
    make_example(project, title="Typed", input_text="Call me at 555 0100")
    migration.mark_titles_taken_from_the_input(apps, None)
    assert list(project.examples.order_by("pk").values_list("title_derived", flat=True)) == [
        True,
        False,
    ]
