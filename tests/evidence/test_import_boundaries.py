"""Imports at their limits and against mistakes: each limit on both sides of its line, the
formula cells a spreadsheet would run, extra cells, a repeated column, an import of another
project's id, and an import started or run twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from decisions.evidence.imports.parse import ImportRefused
from decisions.evidence.imports.run import import_choose, import_create, import_run
from decisions.evidence.imports.tasks import import_start
from decisions.evidence.models import ExampleImport, FailedExample, ImportStatus
from decisions.projects.models import Project
from tests.evidence.test_import import assert_refused, run_import, upload


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def csv_of(size: int) -> bytes:
    """A CSV of exactly `size` bytes, in rows of 1,000 bytes or so (a csv field holds 128 KB)."""
    content = b"input,bad_output\n"
    while size - len(content) > 2_000:
        content += b"x," + b"y" * 997 + b"\n"
    return content + b"x," + b"y" * (size - len(content) - 3) + b"\n"


def upload_and_run(client, project, content: bytes, **choices):
    assert upload(client, project, "file.csv", content).status_code == 302
    return run_import(client, project, ExampleImport.objects.get(), **choices)


# Limits --------------------------------------------------------------------------------------


def test_a_file_of_exactly_the_size_limit_is_accepted(logged_in, project, settings):
    settings.IMPORT_MAX_BYTES = 1_500_000
    content = csv_of(1_500_000)
    assert len(content) == 1_500_000
    response = upload(logged_in, project, "exact.csv", content)
    assert response.status_code == 302
    assert ExampleImport.objects.get().row_count == 1_499


def test_a_file_one_byte_over_the_size_limit_is_refused(logged_in, project, settings):
    settings.IMPORT_MAX_BYTES = 1_500_000
    assert_refused(
        upload(logged_in, project, "over.csv", csv_of(1_500_001)),
        "The file is larger than the limit of 1.5 MB (this upload is 1.5 MB).",
    )


def test_a_file_of_exactly_the_row_limit_is_accepted(logged_in, project, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = upload(logged_in, project, "rows.csv", b"input,bad_output\n" + b"x,y\n" * 3)
    assert response.status_code == 302
    assert ExampleImport.objects.get().row_count == 3


def test_a_cell_of_exactly_the_length_limit_is_imported_whole(logged_in, project):
    response = upload_and_run(logged_in, project, b"input,bad_output\nx," + b"y" * 20_000 + b"\n")
    assert response.status_code == 302
    assert len(FailedExample.objects.get().bad_output) == 20_000


def test_a_title_one_character_over_its_limit_is_refused(logged_in, project):
    content = b"title,input,bad_output\n" + b"t" * 201 + b",x,y\n"
    response = upload_and_run(logged_in, project, content)
    assert "201 characters; the limit is 200. Nothing was cut" in response.content.decode()
    assert FailedExample.objects.count() == 0


@pytest.mark.parametrize(("iterations", "imported"), [("1000", 1), ("1001", 0)])
def test_iterations_up_to_1000_are_imported(logged_in, project, iterations, imported):
    content = f"input,bad_output,iterations\nx,y,{iterations}\n".encode()
    response = upload_and_run(logged_in, project, content)
    assert FailedExample.objects.count() == imported
    refusal = f"“{iterations}” is not a whole number from 0 to 1,000."
    assert (refusal in response.content.decode()) == (not imported)
    if imported:
        assert FailedExample.objects.get().iterations == 1000


# Cells a spreadsheet would run, and malformed rows ----------------------------------------


@pytest.mark.parametrize(
    ("cell", "start"), [("+cmd|' /C calc'!A0", "+"), ("@SUM(A1:A9)", "@"), ("-2+3+cmd|x", "-")]
)
def test_a_formula_cell_not_starting_with_equals_is_refused_too(logged_in, project, cell, start):
    content = f"input,bad_output,notes\nQuestion,Answer,{cell}\n".encode()
    response = upload_and_run(logged_in, project, content)
    assert response.status_code == 422
    assert (
        f"<strong>Row 2</strong>, column <code>notes</code>: starts with “{start}”, which a "
        "spreadsheet runs as a formula." in response.content.decode()
    )
    assert FailedExample.objects.count() == 0


def test_a_row_with_more_cells_than_the_header_is_refused_not_cut(logged_in, project):
    content = b"input,bad_output\nQuestion,Answer\nQuestion,Answer,a third cell\n"
    assert_refused(
        upload(logged_in, project, "extra.csv", content),
        "<strong>Row 3</strong>: 3 cells but the header names 2 columns.",
    )


def test_a_header_naming_a_column_twice_is_refused(logged_in, project):
    content = b"input,bad_output,input\nQuestion,Answer,Other question\n"
    assert_refused(
        upload(logged_in, project, "twice.csv", content),
        "<strong>Row 1</strong>: The header names “input” twice.",
    )


# Access and claims ---------------------------------------------------------------------------


def test_an_import_is_not_found_through_another_project(logged_in, project, team, alice):
    upload(logged_in, project, "mine.csv", b"input,bad_output\na,b\n")
    example_import = ExampleImport.objects.get()
    other = Project.objects.create(team=team, name="Other", owner=alice)
    url = f"/projects/{other.pk}/imports/{example_import.pk}/"
    assert logged_in.get(url).status_code == 404
    assert run_import(logged_in, other, example_import).status_code == 404
    assert FailedExample.objects.count() == 0


def test_a_stranger_cannot_reach_an_import_through_their_own_project(
    client, alice, charlie, project
):
    from decisions.accounts.services import team_create

    client.force_login(alice)
    upload(client, project, "mine.csv", b"input,bad_output\na,b\n")
    example_import = ExampleImport.objects.get()
    own = Project.objects.create(
        team=team_create(user=charlie, name="Charlie's"), name="Mine", owner=charlie
    )
    client.force_login(charlie)
    assert client.get(f"/projects/{own.pk}/imports/{example_import.pk}/").status_code == 404


def test_an_import_is_started_once(logged_in, project):
    upload(logged_in, project, "once.csv", b"input,bad_output\na,b\n")
    example_import = ExampleImport.objects.get()
    assert import_start(example_import=example_import) is True
    with pytest.raises(ValidationError, match="This import has already started."):
        import_start(example_import=ExampleImport.objects.get())
    assert FailedExample.objects.count() == 1


def test_an_import_another_worker_claimed_is_not_run_again(logged_in, project):
    upload(logged_in, project, "claimed.csv", b"input,bad_output\na,b\n")
    example_import = ExampleImport.objects.get()
    # Claimed by a worker that still holds its lease.
    ExampleImport.objects.filter(pk=example_import.pk).update(
        status=ImportStatus.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert import_run(example_import_id=example_import.pk) == ImportStatus.RUNNING
    assert FailedExample.objects.count() == 0
    assert ExampleImport.objects.get().status == ImportStatus.RUNNING


def test_the_mapping_of_an_import_that_has_started_is_kept(logged_in, project):
    upload(logged_in, project, "started.csv", b"input,bad_output\na,b\n")
    ExampleImport.objects.update(status=ImportStatus.QUEUED)
    example_import = ExampleImport.objects.get()
    with pytest.raises(ValidationError, match="This import has already started; upload the file"):
        import_choose(
            example_import=example_import,
            mapping={"input_text": "bad_output", "bad_output": "input"},
            type_mapping={},
            default_type="tone",
        )
    kept = ExampleImport.objects.get().mapping
    assert kept == {"input_text": "input", "bad_output": "bad_output"}


def test_the_import_service_holds_the_size_limit_on_its_own(project, alice, settings):
    """The upload handler refuses first on the web; the service holds the limit on its own
    for any other caller (a task, a command)."""
    settings.IMPORT_MAX_BYTES = 21
    over = SimpleUploadedFile("over.csv", b"input,bad_output\na,bc\n")  # 22 bytes
    with pytest.raises(ImportRefused):
        import_create(project=project, user=alice, upload=over)
    exact = SimpleUploadedFile("exact.csv", b"input,bad_output\na,b\n")  # 21 bytes
    assert import_create(project=project, user=alice, upload=exact).row_count == 1
