"""The same file imported twice: rows already in the project (same input and outputs) are
skipped unless the PM unticks the box, and the count skipped is said."""

from __future__ import annotations

import pytest

from decisions.evidence.models import ExampleImport
from tests.conftest import make_example
from tests.evidence.test_import import run_import, upload

FILE = (
    b"input,bad_output,expected_output\n"
    b"Where is HQ?,Paris,Berlin\n"
    b"Who founded us?,Nobody,Ada and Grace\n"
    b"Opening hours?,Always,9 to 5\n"
)


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def import_file(client, project, **choices):
    upload(client, project, "examples.csv", FILE)
    example_import = ExampleImport.objects.filter(project=project).first()
    response = run_import(client, project, example_import, **choices)
    example_import.refresh_from_db()
    return response, example_import


def test_the_same_file_twice_adds_its_rows_once_and_says_how_many_were_skipped(logged_in, project):
    import_file(logged_in, project)
    response, second = import_file(logged_in, project)
    assert project.examples.count() == 3
    assert (second.imported_count, second.skipped_count) == (0, 3)
    page = logged_in.get(response["Location"])
    assert (
        "Imported 0 examples from “examples.csv”. Skipped 3 rows already in this project."
        in page.content.decode()
    )


def test_unticked_the_same_file_is_imported_again(logged_in, project):
    import_file(logged_in, project)
    _, second = import_file(logged_in, project, skip_existing=None)
    assert project.examples.count() == 6
    assert (second.imported_count, second.skipped_count) == (3, 0)


def test_a_row_differing_in_one_output_is_not_a_duplicate(logged_in, project):
    make_example(project, input_text="Where is HQ?", bad_output="Paris", expected_output="Berlin")
    make_example(project, input_text="Who founded us?", bad_output="Nobody", expected_output="Ada")
    _, example_import = import_file(logged_in, project)
    assert (example_import.imported_count, example_import.skipped_count) == (2, 1)
    assert sorted(project.examples.values_list("expected_output", flat=True)) == [
        "9 to 5",
        "Ada",
        "Ada and Grace",
        "Berlin",
    ]


def test_line_endings_and_surrounding_space_do_not_make_a_row_new(logged_in, project):
    make_example(
        project, input_text="Where is HQ? \r\n", bad_output=" Paris", expected_output="Berlin"
    )
    _, example_import = import_file(logged_in, project)
    assert example_import.skipped_count == 1


def test_the_preview_ticks_the_box_and_counts_the_rows_already_there(logged_in, project):
    make_example(project, input_text="Where is HQ?", bad_output="Paris", expected_output="Berlin")
    upload(logged_in, project, "examples.csv", FILE)
    example_import = ExampleImport.objects.get()
    html = logged_in.get(f"/projects/{project.pk}/imports/{example_import.pk}/").content.decode()
    assert 'name="skip_existing" id="id_skip_existing" aria-describedby' in html
    assert 'skip-existing-help" checked>' in html.replace("\n", "")
    assert "1 of them is already in this project and will be skipped." in html
    assert "Import 2 examples</button>" in html


def test_unticking_the_box_in_the_preview_imports_every_row(logged_in, project):
    make_example(project, input_text="Where is HQ?", bad_output="Paris", expected_output="Berlin")
    upload(logged_in, project, "examples.csv", FILE)
    example_import = ExampleImport.objects.get()
    data = {f"map_{field}": column for field, column in example_import.mapping.items()}
    data["default_failure_type"] = example_import.default_failure_type
    html = logged_in.post(
        f"/projects/{project.pk}/imports/{example_import.pk}/",
        data,
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "already in this project" not in html
    assert "Import 3 examples</button>" in html
    example_import.refresh_from_db()
    assert example_import.skip_existing is False
