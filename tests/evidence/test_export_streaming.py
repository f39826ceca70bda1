"""Exports stream: a file is written a batch of examples at a time, and what arrives is the
file the format writes for all of them at once, whatever the batch boundaries; the queries do
not grow with the examples."""

from __future__ import annotations

import gc
import weakref

import pytest

from decisions.evidence.exports import stream, views
from decisions.evidence.exports.formats import TARGETS, Target
from tests.conftest import body_of, make_example
from tests.evidence.test_export import download, examples  # noqa: F401 (a fixture)


@pytest.mark.parametrize("slug", sorted(TARGETS))
@pytest.mark.parametrize("count", [4, 5])  # exactly two batches of 2, and two plus one
def test_a_streamed_file_is_the_file_written_whole(project, slug, count, monkeypatch):
    monkeypatch.setattr(stream, "EXPORT_BATCH", 2)
    made = [
        make_example(project, title=f"Case {n}", input_text=f"Question {n}") for n in range(count)
    ]
    target = TARGETS[slug]
    streamed = list(stream.export_lines(target, made, "Be brief."))
    assert "".join(streamed) == target.write(made, "Be brief.")
    assert len(streamed) == 1 + {4: 2, 5: 3}[count]  # the header (or ""), then each batch


def test_a_format_that_is_not_lines_is_refused_rather_than_sent_broken(project):
    def json_array(items, system):
        return "[" + ",".join(f'"{e.title}"' for e in items) + "]"

    wrapped = Target("array", "A JSON array", "json", "application/json", (), 1, 1, "", json_array)
    with pytest.raises(ValueError, match="array does not write a header then one line"):
        list(stream.export_lines(wrapped, [make_example(project)], ""))


def test_the_download_streams_in_the_order_examples_were_added(client, alice, project):
    client.force_login(alice)
    for n in range(3):
        make_example(project, title=f"Case {n}")
    response = client.get(f"/projects/{project.pk}/export/csv/all/")
    assert response.streaming is True
    assert response["Content-Disposition"] == 'attachment; filename="email-drafter-csv.csv"'
    body = b"".join(response.streaming_content).decode()
    assert [line.split(",")[0] for line in body.splitlines()] == [
        "title",
        "Case 0",
        "Case 1",
        "Case 2",
    ]


def test_a_training_part_below_its_minimum_is_refused_with_its_count(
    client, alice, project, monkeypatch
):
    """The minimum is checked on the first examples read, before anything is sent."""
    monkeypatch.setattr(stream, "EXPORT_BATCH", 2)
    for n in range(9):
        make_example(project, title=f"Case {n}", expected_output=f"Answer {n}")
    client.force_login(alice)
    response = client.get(f"/projects/{project.pk}/export/openai-chat/train/")
    assert response.status_code == 422
    assert "needs at least 10 examples; the training part has 9." in response.content.decode()
    make_example(project, title="Case 9", expected_output="Answer 9")
    assert download(client, project, "openai-chat").content.count(b"\n") == 10


def test_download_queries_do_not_grow_with_examples(
    client, alice, project, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(stream, "EXPORT_BATCH", 4)
    client.force_login(alice)
    make_example(project)
    with django_assert_max_num_queries(8) as few:
        assert len(download(client, project, "csv", "all").content.splitlines()) == 2
    for n in range(29):
        make_example(project, title=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(download(client, project, "csv", "all").content.splitlines()) == 31


def test_the_download_never_holds_every_example_at_once(client, alice, project, monkeypatch):
    """At 100,000 examples a file must not cost a list of them all: the examples are counted in
    one pass and written in a second, each let go once its batch is sent."""
    monkeypatch.setattr(stream, "EXPORT_BATCH", 2)
    monkeypatch.setattr(views, "READ_BATCH", 2)
    for n in range(12):
        make_example(project, title=f"Case {n}")
    alive: weakref.WeakSet = weakref.WeakSet()
    most_alive = 0
    read_in_order = views.examples_in_order

    def watched(project):
        nonlocal most_alive
        for example in read_in_order(project):
            alive.add(example)
            gc.collect()
            most_alive = max(most_alive, len(alive))
            yield example

    monkeypatch.setattr(views, "examples_in_order", watched)
    client.force_login(alice)
    body = body_of(client.get(f"/projects/{project.pk}/export/csv/all/"))
    assert body.decode().count("Case ") == 12
    # A batch of two being written, the one a loop still holds and the one just read: never
    # the 12 a list of them all would keep.
    assert most_alive <= 4
