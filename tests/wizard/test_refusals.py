from __future__ import annotations

import pytest

from decisions.records.models import Decision
from tests.conftest import make_example
from tests.wizard.conftest import HTMX, answer


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_stale_submit_gets_409_and_keeps_the_first_answer(client, alice, emily, run, htmx):
    client.force_login(alice)
    stale_version = run.version
    answer(client, run, "symptom", "facts")  # a teammate's tab saved first
    response = answer(client, run, "symptom", "tone", version=stale_version, htmx=htmx)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Not saved: this run changed since you opened the question." in html
    assert "The current answer is “Facts are missing, outdated or invented”, by alice." in html
    assert ("<html" in html) != htmx
    run.refresh_from_db()
    assert run.answers["symptom"]["option"] == "facts"
    # The refused page carries the current version, so answering again works.
    assert f'name="version" value="{run.version}"' in html


def test_no_answering_a_question_off_the_path(client, alice, run):
    client.force_login(alice)
    response = answer(client, run, "budget", "yes")
    assert response.status_code == 422
    assert "That question is not on your path yet." in response.content.decode()
    run.refresh_from_db()
    assert run.answers == {}


def test_get_of_a_question_off_the_path_redirects_to_the_current_one(client, alice, run):
    client.force_login(alice)
    response = client.get(f"/wizard/runs/{run.pk}/q/budget/")
    assert response["Location"] == f"/wizard/runs/{run.pk}/q/symptom/"


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_unknown_option_is_refused(client, alice, run, htmx):
    client.force_login(alice)
    response = answer(client, run, "symptom", "colour", htmx=htmx)
    assert response.status_code == 422
    assert "“colour” is not one of the answers to this question." in response.content.decode()
    run.refresh_from_db()
    assert run.answers == {}


def test_unknown_question_is_refused(client, alice, run):
    client.force_login(alice)
    response = answer(client, run, "mood", "yes")
    assert response.status_code == 422
    assert "There is no such question." in response.content.decode()


def test_missing_choice_is_refused(client, alice, run):
    client.force_login(alice)
    response = answer(client, run, "symptom", "")
    assert response.status_code == 422
    assert "Choose one of the answers to go on." in response.content.decode()


def test_note_limit(client, alice, run):
    client.force_login(alice)
    too_long = answer(client, run, "symptom", "facts", note="x" * 2001)
    assert too_long.status_code == 422
    assert "This is 2,001 characters long; the limit is 2,000." in (too_long.content.decode())
    run.refresh_from_db()
    assert run.answers == {}
    assert answer(client, run, "symptom", "facts", note="x" * 2000).status_code == 302


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_no_finishing_an_incomplete_run(client, alice, run, htmx):
    client.force_login(alice)
    answer(client, run, "symptom", "facts")
    response = client.post(f"/wizard/runs/{run.pk}/finish/", headers=HTMX if htmx else {})
    assert response.status_code == 422
    assert "The flowchart is not complete yet: answer “When you paste the facts" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()
    review = client.get(f"/wizard/runs/{run.pk}/review/")
    assert review["Location"] == f"/wizard/runs/{run.pk}/q/context_test/"


def test_finishing_twice_creates_one_revision(client, alice, project, run):
    client.force_login(alice)
    answer(client, run, "symptom", "facts")
    answer(client, run, "context_test", "yes")
    answer(client, run, "retrieval_in_place", "none")
    client.post(f"/wizard/runs/{run.pk}/finish/")
    again = client.post(f"/wizard/runs/{run.pk}/finish/")
    assert again.status_code == 302
    assert Decision.objects.filter(project=project).count() == 1


def test_finished_run_cannot_be_changed(client, alice, project, run):
    client.force_login(alice)
    answer(client, run, "symptom", "facts")
    answer(client, run, "context_test", "yes")
    answer(client, run, "retrieval_in_place", "none")
    client.post(f"/wizard/runs/{run.pk}/finish/")
    response = answer(client, run, "symptom", "tone")
    assert response["Location"] == f"/projects/{project.pk}/decisions/1/"
    run.refresh_from_db()
    assert run.answers["symptom"]["option"] == "facts"


@pytest.mark.parametrize("example_count", [1, 100])
def test_step_queries_stay_flat(
    client, alice, project, run, example_count, django_assert_max_num_queries
):
    for index in range(example_count):
        make_example(project, title=f"Example {index}")
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert client.get(f"/wizard/runs/{run.pk}/q/symptom/").status_code == 200
    with django_assert_max_num_queries(8):
        assert answer(client, run, "symptom", "tone", htmx=True).status_code == 200
    with django_assert_max_num_queries(8):
        assert answer(client, run, "spelled_out", "no").status_code == 302


def test_the_note_box_has_no_maxlength_so_a_long_paste_is_refused_not_cut(client, alice, run):
    client.force_login(alice)
    page = client.get(f"/wizard/runs/{run.pk}/q/symptom/").content.decode()
    assert 'name="note"' in page
    assert "maxlength" not in page  # a browser would cut the paste without a word
    assert "Up to 2,000 characters." in page
