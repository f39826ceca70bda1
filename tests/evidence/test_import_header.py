"""A CSV without a header row: its first row would silently become the column names, so the
preview says so when no header cell names a column we know and some read like data."""

from __future__ import annotations

import pytest

from decisions.evidence.models import ExampleImport
from tests.evidence.test_import import upload

WARNING = "The first row looks like data, not column names."


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def preview(client, project, content: bytes) -> str:
    upload(client, project, "file.csv", content)
    example_import = ExampleImport.objects.latest("pk")
    return client.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()


def test_a_csv_without_a_header_row_is_named_in_the_preview(logged_in, project):
    html = preview(
        logged_in,
        project,
        b"What is our refund window?,60 days,30 days\nCan I pay by card?,No,Yes\n",
    )
    assert WARNING in html
    assert "“What is our refund window?”, “60 days”, “30 days”." in html
    assert "so this row would not be imported" in html


def test_a_header_that_names_a_known_column_is_not_questioned(logged_in, project):
    html = preview(logged_in, project, b"Prompt,What it said?\nQ,A\n")
    assert WARNING not in html


def test_unknown_column_names_that_read_like_names_are_not_questioned(logged_in, project):
    html = preview(logged_in, project, b"customer_message,model_reply.v2\nQ,A\n")
    assert WARNING not in html


def test_the_first_row_of_data_is_escaped_in_the_warning(logged_in, project):
    html = preview(logged_in, project, b"<b>mail me@example.com</b>,x\nq,a\n")
    assert WARNING in html
    assert "“&lt;b&gt;mail me@example.com&lt;/b&gt;”" in html
