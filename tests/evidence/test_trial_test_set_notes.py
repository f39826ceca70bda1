"""A trial measured on cases outside the test set says less about unseen cases, and the trials
page says so with the count. Cases are matched to examples as groups are ("example-<id>", or
the example's title); where nothing can be matched (typed in, listed in part, ids no example
has) the page says it cannot tell, rather than guess."""

from __future__ import annotations

import pytest

from decisions.evidence import services
from decisions.evidence.models import PromptTrial
from tests.conftest import make_example


@pytest.fixture
def twenty(project, alice):
    """20 examples; the first 17 held out."""
    examples = [make_example(project, title=f"Case {n}") for n in range(20)]
    services.test_set_choose(project=project, user=alice, example_ids=[e.pk for e in examples[:17]])
    return examples


def record(project, alice, label, case_ids: list[str], **fields) -> PromptTrial:
    results = {case: True for case in case_ids}
    values = {"cases": len(case_ids), "passed": len(case_ids), "results": results, **fields}
    trial = PromptTrial(label=label, model_name="gpt-4o", **values)
    return services.trial_create(project=project, trial=trial, user=alice)


def trials_page(client, user, project) -> str:
    client.force_login(user)
    response = client.get(f"/projects/{project.pk}/trials/")
    assert response.status_code == 200
    return response.content.decode()


def notes(html: str) -> list[str]:
    marker = "data-test-set-note>"
    found = []
    start = html.find(marker)
    while start != -1:
        start += len(marker)
        found.append(html[start : html.index("</div>", start)])
        start = html.find(marker, start)
    return found


def test_a_trial_on_the_test_set_alone_has_no_note(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty[:17]])
    assert notes(trials_page(client, alice, project)) == []


def test_cases_named_by_title_are_matched_too(client, alice, project, twenty):
    record(project, alice, "v1", [f"Case {n}" for n in range(17)])
    assert notes(trials_page(client, alice, project)) == []


def test_one_case_out_of_the_test_set_is_counted(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty[:16]] + ["Case 17"])
    assert notes(trials_page(client, alice, project)) == [
        "1 of this trial&#x27;s 17 cases is not in the test set: its pass rate says less about "
        "unseen cases."
    ]


def test_every_case_of_the_project_counts_the_training_ones(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty])
    assert notes(trials_page(client, alice, project)) == [
        "3 of this trial&#x27;s 20 cases are not in the test set: its pass rate says less about "
        "unseen cases."
    ]


def test_a_case_no_example_has_is_out_of_the_test_set(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty[:17]] + ["made up"])
    assert notes(trials_page(client, alice, project)) == [
        "1 of this trial&#x27;s 18 cases is not in the test set: its pass rate says less about "
        "unseen cases."
    ]


def test_ids_no_example_has_cannot_be_matched(client, alice, project, twenty):
    record(project, alice, "v1", ["c1", "c2", "c3"])
    assert notes(trials_page(client, alice, project)) == [
        "No case id of this trial names an example of this project (example-&lt;id&gt;, or its "
        "title), so whether its cases are in the test set cannot be told."
    ]


def test_a_typed_in_trial_cannot_be_matched(client, alice, project, twenty):
    record(project, alice, "v1", [], cases=20, passed=15, results={})
    assert notes(trials_page(client, alice, project)) == [
        "This trial was recorded without its cases, so whether they are in the test set "
        "cannot be told."
    ]


def test_a_trial_listing_part_of_its_cases_cannot_be_matched(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty[:5]], cases=17, passed=5)
    assert notes(trials_page(client, alice, project)) == [
        "This trial lists 5 of its 17 cases, so whether they are in the test set cannot be told."
    ]


def test_without_a_test_set_no_case_is_held_out(client, alice, project):
    examples = [make_example(project, title=f"Case {n}") for n in range(3)]
    record(project, alice, "v1", [f"example-{e.pk}" for e in examples])
    record(project, alice, "v0", [], cases=10, passed=3, results={})
    no_test_set = (
        "No test set is chosen, so this trial&#x27;s cases are not held out: its pass rate says "
        "less about unseen cases."
    )
    assert notes(trials_page(client, alice, project)) == [no_test_set, no_test_set]


def test_choosing_the_test_set_again_recounts(client, alice, project, twenty):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty[:17]])
    services.test_set_choose(project=project, user=alice, example_ids=[e.pk for e in twenty[:15]])
    assert notes(trials_page(client, alice, project)) == [
        "2 of this trial&#x27;s 17 cases are not in the test set: its pass rate says less about "
        "unseen cases."
    ]


def test_a_viewer_sees_the_note_and_a_stranger_gets_404(
    client, alice, bob, charlie, project, twenty
):
    record(project, alice, "v1", [f"example-{e.pk}" for e in twenty])
    assert len(notes(trials_page(client, bob, project))) == 1
    client.force_login(charlie)
    assert client.get(f"/projects/{project.pk}/trials/").status_code == 404


def test_the_trials_page_queries_do_not_grow_with_trials_or_cases(
    client, alice, project, twenty, django_assert_max_num_queries
):
    for n in range(10):
        record(project, alice, f"v{n}", [f"example-{e.pk}" for e in twenty] + [f"x{n}"])
    client.force_login(alice)
    # test_trial_analysis.py's budget for the page: the notes read the examples once.
    with django_assert_max_num_queries(12):
        response = client.get(f"/projects/{project.pk}/trials/")
    assert response.status_code == 200
    assert len(notes(response.content.decode())) == 10
