"""Imports of 100,000 rows stream: checked a row at a time, then saved in batches inside one
transaction. A bad row anywhere, even the last but one, leaves nothing saved; batches end
where they should; progress counts rows checked, then rows saved; the limits are 100,000 rows
and 50 MB, each tested on both sides."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence import services
from decisions.evidence.imports import parse, run
from decisions.evidence.models import ExampleImport, ImportStatus
from tests.lib.test_environment import run_python


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def rows_csv(count: int, *, bad_row: int | None = None) -> bytes:
    """`count` data rows (the header is row 1, so data row n is "Row n+1"); `bad_row` has a
    failure type we do not know."""
    lines = ["input,output,category"]
    for n in range(1, count + 1):
        category = "not-a-type" if n == bad_row else "tone"
        lines.append(f"Question {n},Wrong {n},{category}")
    return ("\n".join(lines) + "\n").encode()


def queued_import(project, alice, content: bytes) -> ExampleImport:
    example_import = run.import_create(
        project=project, user=alice, upload=SimpleUploadedFile("rows.csv", content)
    )
    run.import_choose(
        example_import=example_import,
        mapping={"input_text": "input", "bad_output": "output", "failure_type": "category"},
        type_mapping={},
        default_type="tone",
    )
    ExampleImport.objects.filter(pk=example_import.pk).update(status=ImportStatus.QUEUED)
    return example_import


# Limits: 100,000 rows and 50 MB ---------------------------------------------------------------


def test_the_limits_are_100000_rows_and_50_mb():
    assert django_settings.IMPORT_MAX_ROWS == 100_000
    assert django_settings.IMPORT_MAX_BYTES == 50_000_000


def test_the_limits_come_from_the_environment_and_refuse_a_mistyped_one():
    code = "from django.conf import settings; print(settings.IMPORT_MAX_ROWS)"
    assert run_python(code, IMPORT_MAX_ROWS="20000").stdout.strip() == "20000"
    mistyped = run_python(code, IMPORT_MAX_ROWS="100k")
    assert mistyped.returncode != 0
    assert "The environment variable IMPORT_MAX_ROWS is '100k'" in mistyped.stderr


def test_100000_rows_are_all_saved_and_row_99999_bad_refuses_the_whole_file(project, alice):
    """The real limit, both ways: one file of exactly 100,000 rows imports whole; the same
    file with its 99,999th row bad saves nothing, and says which row."""
    good = queued_import(project, alice, rows_csv(100_000))
    assert good.row_count == 100_000
    assert run.import_run(example_import_id=good.pk) == ImportStatus.DONE
    good.refresh_from_db()
    assert (good.imported_count, good.rows_checked, good.rows_saved) == (100_000, 100_000, 100_000)
    assert project.examples.count() == 100_000
    project.examples.all().delete()

    bad = queued_import(project, alice, rows_csv(100_000, bad_row=99_999))
    assert run.import_run(example_import_id=bad.pk) == ImportStatus.FAILED
    bad.refresh_from_db()
    assert bad.problems == [
        {
            "message": "“not-a-type” is not one of our failure types: map it in the preview.",
            "row": "Row 100000",
            "column": "category",
        }
    ]
    assert (bad.imported_count, bad.rows_saved) == (0, 0)
    assert project.examples.count() == 0


def test_100001_rows_are_refused_at_upload_with_the_limit():
    with pytest.raises(parse.ImportRefused) as refused:
        parse.read_upload(
            rows_csv(100_001),
            "rows.csv",
            max_bytes=50_000_000,
            max_rows=100_000,
            max_columns=200,
        )
    assert str(refused.value) == (
        "The file has more than 100,000 rows; the limit is 100,000. "
        "Split it and import the parts one after another."
    )


def test_a_file_over_50_mb_is_refused_with_the_limit_stated():
    raw = b"input,output\n" + b"q,a\n" * 12_500_000  # 50,000,013 bytes
    with pytest.raises(parse.ImportRefused) as refused:
        parse.read_upload(raw, "big.csv", max_bytes=50_000_000, max_rows=100_000, max_columns=2)
    assert str(refused.value) == (
        "The file is larger than the limit of 50 MB. "
        "Split it and import the parts one after another."
    )


# The bad row in the last batch -----------------------------------------------------------------


def test_a_bad_last_row_after_many_batches_leaves_nothing_saved(project, alice, monkeypatch):
    monkeypatch.setattr(services, "INSERT_BATCH", 4)
    monkeypatch.setattr(run, "PROGRESS_EVERY", 4)
    example_import = queued_import(project, alice, rows_csv(17, bad_row=17))
    assert run.import_run(example_import_id=example_import.pk) == ImportStatus.FAILED
    assert project.examples.count() == 0
    example_import.refresh_from_db()
    assert [p["row"] for p in example_import.problems] == ["Row 18"]


def test_a_save_that_fails_in_its_third_batch_undoes_the_first_two(project, alice, monkeypatch):
    monkeypatch.setattr(services, "INSERT_BATCH", 4)
    batches = []
    real_bulk_create = services.FailedExample.objects.bulk_create

    def third_fails(examples, *args, **kwargs):
        batches.append(len(examples))
        if len(batches) == 3:
            raise RuntimeError("the disk is full")
        return real_bulk_create(examples, *args, **kwargs)

    monkeypatch.setattr(services.FailedExample.objects, "bulk_create", third_fails)
    example_import = queued_import(project, alice, rows_csv(10))
    with pytest.raises(RuntimeError, match="the disk is full"):
        run.import_run(example_import_id=example_import.pk)
    assert batches == [4, 4, 2]
    assert project.examples.count() == 0


# Batch boundaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "batches"), [(5, [5]), (6, [5, 6])])
def test_one_batch_and_one_batch_plus_a_row(project, alice, monkeypatch, rows, batches):
    monkeypatch.setattr(services, "INSERT_BATCH", 5)
    saved_after = []
    monkeypatch.setattr(run.SaveProgress, "__call__", lambda self, saved: saved_after.append(saved))
    example_import = queued_import(project, alice, rows_csv(rows))
    assert run.import_run(example_import_id=example_import.pk) == ImportStatus.DONE
    assert saved_after == batches
    assert sorted(project.examples.values_list("input_text", flat=True))[-1] == f"Question {rows}"
    assert project.examples.count() == rows


# Progress -------------------------------------------------------------------------------------


def test_progress_counts_rows_checked_then_rows_saved(project, alice, monkeypatch):
    monkeypatch.setattr(run, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "INSERT_BATCH", 2)
    checked, saved = [], []
    heartbeat = run.import_heartbeat

    def recording_heartbeat(**kwargs):
        checked.append(kwargs["rows_checked"])
        heartbeat(**kwargs)

    monkeypatch.setattr(run, "import_heartbeat", recording_heartbeat)
    monkeypatch.setattr(run.SaveProgress, "__call__", lambda self, count: saved.append(count))
    example_import = queued_import(project, alice, rows_csv(5))
    assert run.import_run(example_import_id=example_import.pk) == ImportStatus.DONE
    assert checked == [2, 4, 5]  # every 2 rows, then all 5 as the save begins
    assert saved == [2, 4, 5]
    example_import.refresh_from_db()
    assert (example_import.rows_checked, example_import.rows_saved) == (5, 5)


def status_html(client, example_import) -> str:
    url = f"/projects/{example_import.project_id}/imports/{example_import.pk}/"
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_the_page_shows_rows_checked_then_rows_saved(logged_in, project, alice):
    example_import = queued_import(project, alice, rows_csv(5))
    attempt = run.import_claim(example_import_id=example_import.pk)
    run.import_heartbeat(example_import=example_import, attempt=attempt, rows_checked=2)
    assert "Checking rows: 2 of 5" in status_html(logged_in, example_import)

    run.import_heartbeat(example_import=example_import, attempt=attempt, rows_checked=5)
    assert "Every row checked. Saving all 5 rows…" in status_html(logged_in, example_import)

    ExampleImport.objects.filter(pk=example_import.pk).update(rows_saved=4)
    html = status_html(logged_in, example_import)
    assert "Every row checked. Saving rows: 4 of 5" in html
    assert 'aria-label="Rows saved" aria-valuenow="80"' in html


# Problems -------------------------------------------------------------------------------------


def test_problems_past_those_kept_are_counted_not_dropped(project, alice, monkeypatch):
    monkeypatch.setattr(run, "PROBLEMS_KEPT", 2)
    content = b"input,output,category\n" + b"".join(
        f"Question {n},Wrong {n},nope\n".encode() for n in range(5)
    )
    example_import = queued_import(project, alice, content)
    assert run.import_run(example_import_id=example_import.pk) == ImportStatus.FAILED
    example_import.refresh_from_db()
    assert [p["row"] for p in example_import.problems] == ["Row 2", "Row 3", ""]
    assert example_import.problems[-1]["message"] == (
        "…and 3 more problems in later rows, not listed: fix these, then import the file "
        "again to see them."
    )


# Memory ----------------------------------------------------------------------------------------


def test_the_progress_poll_does_not_read_the_stored_file(
    logged_in, project, alice, django_assert_max_num_queries
):
    """The file (up to 50 MB) stays in the database while the page polls every second."""
    example_import = queued_import(project, alice, rows_csv(5))
    run.import_claim(example_import_id=example_import.pk)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status_html(logged_in, example_import)
    read_imports = [q["sql"] for q in captured.captured_queries if "exampleimport" in q["sql"]]
    assert read_imports
    assert not any('"content"' in sql for sql in read_imports if sql.startswith("SELECT"))


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_rows_saved_show_while_the_save_runs(project, alice, monkeypatch):
    """The saving transaction's own writes are seen by nobody until it commits: the count is
    written on a second connection, and another connection (the page's) reads it growing."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one write lock, held by the save: the count shows at the end")
    monkeypatch.setattr(services, "INSERT_BATCH", 2)
    example_import = queued_import(project, alice, rows_csv(5))
    seen = []
    write_progress = run.SaveProgress.__call__

    def write_then_look(self, saved: int) -> None:
        write_progress(self, saved)
        page = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with page.cursor() as cursor:
                cursor.execute(
                    "SELECT rows_saved, status FROM projects_exampleimport WHERE id = %s",
                    [example_import.pk],
                )
                seen.append(cursor.fetchone())
                cursor.execute(
                    "SELECT count(*) FROM projects_failedexample WHERE project_id = %s",
                    [project.pk],
                )
                seen.append(cursor.fetchone()[0])
        finally:
            page.close()

    monkeypatch.setattr(run.SaveProgress, "__call__", write_then_look)
    assert run.import_run(example_import_id=example_import.pk) == ImportStatus.DONE
    # The count grows; the rows themselves appear only when the import is done.
    assert seen == [(2, "running"), 0, (4, "running"), 0, (5, "running"), 0]
    assert project.examples.count() == 5
