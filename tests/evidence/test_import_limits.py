"""An import's limits refuse a file while it is read, not after: size while the upload streams
in, rows while they are parsed, columns and JSON depth before the preview is built. Each
refusal is a 422 that names the limit, never a 500, with nothing stored."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory

from decisions.evidence.imports import parse
from decisions.evidence.models import ExampleImport
from tests.evidence.test_import import assert_refused, upload


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def csv_of_size(size: int) -> bytes:
    """A valid CSV of exactly `size` bytes."""
    head = b"input,bad_output\n"
    body = b"q,a\n" * ((size - len(head)) // 4)
    return head + body + b"x" * (size - len(head) - len(body))


# Size: refused while streaming, at the first byte past the limit.


def test_a_file_of_exactly_the_size_limit_is_accepted(logged_in, project, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    response = upload(logged_in, project, "edge.csv", csv_of_size(1_000))
    assert response.status_code == 302
    assert ExampleImport.objects.get().row_count == 246  # the last is 3 bytes


def test_a_file_one_byte_over_the_size_limit_is_refused_with_the_limit(
    logged_in, project, settings
):
    settings.IMPORT_MAX_BYTES = 1_000
    response = upload(logged_in, project, "over.csv", csv_of_size(1_001))
    assert_refused(response, "The file is larger than the limit of 1 kB (this upload is 1.1 kB).")
    assert "Split it and import the parts one after another." in response.content.decode()


def test_the_upload_handler_stops_at_the_first_chunk_past_the_limit():
    from decisions.evidence.imports.upload import CappedUploadHandler

    rest = io.BytesIO(b"y" * 3_000_000)  # what the client has still to send
    handler = CappedUploadHandler(RequestFactory().post("/"), max_bytes=100)
    handler.handle_raw_input(rest, {}, 3_000_120, b"boundary")
    handler.new_file("file", "big.csv", "text/csv", None)
    handler.receive_data_chunk(b"x" * 60, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.refused is True
    assert handler.buffer.getvalue() == b""  # what was read is let go at once
    # The rest is read off (and not kept), so the browser still sending reads the page.
    assert rest.tell() == 3_000_000


def test_the_handler_stops_reading_off_the_rest_past_its_drain_limit(monkeypatch):
    from decisions.evidence.imports import upload as capped

    monkeypatch.setattr(capped, "DRAIN_CHUNK", 1_000_000)
    monkeypatch.setattr(capped, "DRAIN_MAX", 2_000_000)
    rest = io.BytesIO(b"y" * 3_000_000)
    handler = capped.CappedUploadHandler(RequestFactory().post("/"), max_bytes=10)
    handler.handle_raw_input(rest, {}, 3_000_020, b"boundary")
    handler.new_file("file", "big.csv", "text/csv", None)
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 20, 0)
    assert rest.tell() == 2_000_000
    assert stopped.value.connection_reset is True  # Django must not read on, line by line


def test_an_upload_far_over_the_limit_states_its_size(logged_in, project, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    content = b"input,bad_output\n" + b"q,a\n" * 1_000_000
    response = upload(logged_in, project, "huge.csv", content)
    assert_refused(response, "The file is larger than the limit of 1 MB (this upload is 4 MB).")


# Rows: counted while parsing, refused at the first row past the limit.


def test_rows_are_refused_at_the_first_row_past_the_limit_not_after_the_file(
    logged_in, project, settings
):
    settings.IMPORT_MAX_ROWS = 3
    # Row 6 holds a cell over the csv module's field limit: reading the whole file would
    # refuse it as unreadable, so refusing for the row count shows it was never read.
    content = b"input,bad_output\n" + b"q,a\n" * 4 + b"q," + b"y" * 200_000 + b"\n"
    assert_refused(
        upload(logged_in, project, "rows.csv", content),
        "The file has more than 3 rows; the limit is 3.",
    )


def test_exactly_the_row_limit_is_accepted(logged_in, project, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = b"input,bad_output\n" + b"q,a\n" * 3 + b"\n\n"  # blank lines are not rows
    assert upload(logged_in, project, "rows.csv", content).status_code == 302
    assert ExampleImport.objects.get().row_count == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rows.jsonl", b'{"input": "q", "output": "a"}\n' * 4),
        ("rows.json", b"[" + b",".join([b'{"input": "q", "output": "a"}'] * 4) + b"]"),
        ("wrapped.json", b'{"items": [' + b",".join([b'{"input": "q"}'] * 4) + b"]}"),
    ],
)
def test_json_rows_over_the_limit_are_refused(logged_in, project, settings, name, content):
    settings.IMPORT_MAX_ROWS = 3
    assert_refused(
        upload(logged_in, project, name, content), "The file has more than 3 rows; the limit is 3."
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rows.jsonl", b'{"input": "q", "output": "a"}\n' * 3),
        ("rows.json", b" [ " + b" , ".join([b'{"input": "q", "output": "a"}'] * 3) + b" ] \n"),
    ],
)
def test_json_rows_at_the_limit_are_accepted(logged_in, project, settings, name, content):
    settings.IMPORT_MAX_ROWS = 3
    assert upload(logged_in, project, name, content).status_code == 302
    assert ExampleImport.objects.get().row_count == 3


def test_a_5_mb_csv_of_millions_of_rows_is_refused_in_little_memory():
    """The issue's file: 4.98 MB, 2.49 million one-character rows. Parsed whole it took
    1.2 GB and 15 s before the refusal; counted while parsing, a few megabytes."""
    raw = b"input\n" + b"x\n" * 2_490_000
    tracemalloc.start()
    try:
        with pytest.raises(parse.ImportRefused) as refused:
            parse.read_upload(raw, "many.csv", max_bytes=5_000_000, max_rows=5_000, max_columns=200)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == (
        "The file has more than 5,000 rows; the limit is 5,000. "
        "Split it and import the parts one after another."
    )
    assert peak < 20_000_000  # the decoded text (5 MB) and 5,000 rows


def test_a_json_array_of_millions_of_items_is_refused_at_the_limit():
    raw = b"[" + b",".join([b"{}"] * 1_600_000) + b"]"
    tracemalloc.start()
    try:
        with pytest.raises(parse.ImportRefused, match="more than 5,000 rows"):
            parse.read_upload(
                raw, "many.json", max_bytes=5_000_000, max_rows=5_000, max_columns=200
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


# Columns: each is an option in each select of the preview.


def test_a_json_object_of_150000_keys_is_refused_with_the_count(logged_in, project):
    content = json.dumps({f"key{n}": "value" for n in range(150_000)}).encode()
    response = upload(logged_in, project, "wide.json", content)
    assert_refused(response, "The file has 150,000 columns; the limit is 200.")


def test_200_columns_are_accepted_and_201_refused(logged_in, project):
    def wide(columns: int) -> bytes:
        names = ["input", "output"] + [f"extra{n}" for n in range(columns - 2)]
        return (",".join(names) + "\n" + ",".join("v" for _ in names) + "\n").encode()

    assert upload(logged_in, project, "200.csv", wide(200)).status_code == 302
    ExampleImport.objects.all().delete()
    assert_refused(
        upload(logged_in, project, "201.csv", wide(201)),
        "The file has 201 columns; the limit is 200.",
    )


def test_nested_keys_count_as_columns(logged_in, project):
    record = {"input": "q", "output": "a", "metadata": {f"k{n}": n for n in range(199)}}
    response = upload(logged_in, project, "nested.jsonl", json.dumps(record).encode())
    assert_refused(response, "The file has 202 columns; the limit is 200.")


# Depth: Python's JSON reader recurses per level.


def test_deep_json_is_refused_with_a_message_not_a_500(logged_in, project):
    response = upload(logged_in, project, "deep.json", b"[" * 100_000)
    assert_refused(response, "The JSON is nested more than 64 levels deep")


def test_a_deep_json_line_is_refused_with_its_line(logged_in, project):
    content = b'{"input": "q", "output": "a"}\n{"input": ' + b"[" * 100_000 + b"\n"
    response = upload(logged_in, project, "deep.jsonl", content)
    assert_refused(response, "is nested more than 64 levels deep")
    assert "<strong>Line 2</strong>" in response.content.decode()


def nested(levels: int) -> bytes:
    """A JSON Lines record whose object and lists nest `levels` deep in all."""
    inner = "[" * (levels - 1) + "]" * (levels - 1)
    return f'{{"input": "q", "output": "a", "deep": {inner}}}\n'.encode()


def test_json_nested_64_levels_is_read_and_65_refused(logged_in, project):
    assert upload(logged_in, project, "64.jsonl", nested(64)).status_code == 302
    ExampleImport.objects.all().delete()
    assert_refused(upload(logged_in, project, "65.jsonl", nested(65)), "nested more than 64")


def test_a_json_array_counts_its_own_level(logged_in, project):
    """The list around the items is a level too: 64 in all is read, 65 refused."""
    item = b'{"input": "q", "output": "a", "deep": ' + b"[" * 62 + b"]" * 62 + b"}"
    assert upload(logged_in, project, "64.json", b"[" + item + b"]").status_code == 302
    ExampleImport.objects.all().delete()
    deeper = b'{"input": "q", "output": "a", "deep": ' + b"[" * 63 + b"]" * 63 + b"}"
    assert_refused(upload(logged_in, project, "65.json", b"[" + deeper + b"]"), "nested more")


def test_the_upload_still_checks_the_csrf_token(alice, project):
    """The view sets its upload handler before Django's CSRF check reads the body, so it is
    exempt from the middleware's check and makes it itself."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = f"/projects/{project.pk}/import/"
    file = SimpleUploadedFile("ok.csv", b"input,output\nq,a\n")
    assert client.post(url, {"file": file}).status_code == 403
    client.get(url)
    token = client.cookies["csrftoken"].value
    file.seek(0)
    response = client.post(url, {"csrfmiddlewaretoken": token, "file": file})
    assert response.status_code == 302
    assert ExampleImport.objects.count() == 1
