"""The project's one held-out test set: chosen once, shown everywhere, honoured by every
export, changed only with a confirmation that names the trials it leaves behind."""

from __future__ import annotations

import re

import pytest

from decisions.evidence import services
from decisions.evidence.exports.formats import TARGETS
from decisions.evidence.models import PromptTrial, TestSet
from tests.conftest import make_example
from tests.evidence.test_export import download

MARKER = re.compile(r"Question-(\d+)-end")


@pytest.fixture
def forty(project):
    """40 examples with both outputs, each input carrying a marker that survives any format."""
    return [
        make_example(
            project,
            title=f"Case {n}",
            input_text=f"Question-{n}-end",
            expected_output=f"Answer {n}",
            bad_output=f"Wrong {n}",
        )
        for n in range(40)
    ]


def markers(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {int(n) for n in MARKER.findall(response.content.decode())}


@pytest.mark.parametrize("share", [10, 20, 35, 50])
def test_no_example_is_in_a_training_file_and_a_test_file(client, alice, project, forty, share):
    services.test_set_choose(project=project, user=alice, share_percent=share)
    client.force_login(alice)
    held = {int(MARKER.search(e.input_text)[1]) for e in project.examples.filter(in_test_set=True)}
    trained, tested = set(), set()
    for slug, target in TARGETS.items():
        for part in target.parts:
            found = markers(download(client, project, slug, part))
            if part == "train":
                trained |= found
            elif part == "test":
                tested |= found
    assert len(held) == round(40 * share / 100)
    assert tested == held
    assert trained == set(range(40)) - held
    assert trained.isdisjoint(tested)


def test_a_share_holds_out_the_same_examples_every_time(project, alice, forty):
    services.test_set_choose(project=project, user=alice, share_percent=25)
    first = set(project.examples.filter(in_test_set=True).values_list("pk", flat=True))
    services.test_set_choose(project=project, user=alice, share_percent=25)
    again = set(project.examples.filter(in_test_set=True).values_list("pk", flat=True))
    assert len(first) == 10
    assert first == again
    assert TestSet.objects.get(project=project).version == 2


def test_examples_added_later_go_to_training_until_the_pm_chooses_again(project, alice, forty):
    services.test_set_choose(project=project, user=alice, share_percent=25)
    late = make_example(project, expected_output="Later")
    late.refresh_from_db()
    assert late.in_test_set is False
    assert project.examples.filter(in_test_set=True).count() == 10


def test_examples_without_an_expected_output_cannot_be_test_cases(project, alice):
    open_case = make_example(project, expected_output="")
    with pytest.raises(Exception, match="1 of the chosen examples has no expected output"):
        services.test_set_choose(project=project, user=alice, example_ids=[open_case.pk])
    assert not TestSet.objects.filter(project=project).exists()


def test_a_share_that_holds_out_nothing_is_refused_with_the_count(client, alice, project):
    make_example(project, expected_output="Only one")
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 20})
    assert response.status_code == 422
    assert "That holds out no example: the project has 1 with an expected output." in (
        response.content.decode()
    )


def test_the_project_page_says_how_many_train_and_how_many_are_held_out(
    client, alice, project, forty
):
    make_example(project, title="No answer yet", expected_output="")
    services.test_set_choose(project=project, user=alice, share_percent=20)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert (
        "<strong>Test set:</strong> <span data-held-out>8</span> held out, "
        "<span data-training>32</span> for training (1 more without an expected output)."
    ) in html
    # Training readiness counts what a training file could hold: the 32, not the 40.
    assert "<strong data-readiness-count>32</strong> examples with an expected output" in html


def test_the_examples_table_marks_and_filters_the_test_set(client, alice, project, forty):
    services.test_set_choose(project=project, user=alice, share_percent=10)
    client.force_login(alice)
    held = client.get(f"/projects/{project.pk}/", {"test_set": "yes"}).content.decode()
    training = client.get(f"/projects/{project.pk}/", {"test_set": "no"}).content.decode()
    assert "4 of 40 examples match." in held
    assert held.count('<span class="badge text-bg-warning">Held out</span>') == 4
    assert "36 of 40 examples match." in training


def record_trial(client, project) -> None:
    data = {
        "trial-label": "v3",
        "trial-model_name": "gpt-4o",
        "trial-run_on": "2026-11-30",
        "trial-cases": 8,
        "trial-passed": 6,
        "trial-on_current_model": "on",
    }
    response = client.post(f"/projects/{project.pk}/trials/add/", data)
    assert response.status_code == 302


def test_changing_the_test_set_asks_first_and_names_the_trials_it_leaves(
    client, alice, project, forty
):
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 20})
    record_trial(client, project)
    assert PromptTrial.objects.get().test_set_version == 1

    asked = client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 30})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "This changes the test set: 1 trial was measured on version 1" in html
    assert "<li>v3 on gpt-4o</li>" in html
    # 20 % held out 8 of the 40; 30 % holds out those 8 and 4 more (the ranking is one).
    assert (
        "With this share, <strong>0</strong> examples now in the test set would go to training, "
        "and 4 now for training would be held out."
    ) in html
    assert project.examples.filter(in_test_set=True).count() == 8  # unchanged

    confirmed = client.post(
        f"/projects/{project.pk}/test-set/", {"share_percent": 30, "confirmed_version": 1}
    )
    assert confirmed.status_code == 302
    assert project.examples.filter(in_test_set=True).count() == 12
    assert TestSet.objects.get(project=project).version == 2


def test_picking_by_hand_from_the_table_adds_and_removes_examples(client, alice, project, forty):
    client.force_login(alice)
    first, second = forty[0], forty[1]
    url = f"/projects/{project.pk}/examples/bulk/"
    client.post(url, {"examples": [first.pk, second.pk], "action": "hold_out"})
    assert set(project.examples.filter(in_test_set=True).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    client.post(url, {"examples": [first.pk], "action": "train"})
    assert list(project.examples.filter(in_test_set=True).values_list("pk", flat=True)) == [
        second.pk
    ]
    assert TestSet.objects.get(project=project).method == "manual"


def test_a_viewer_sees_the_test_set_but_cannot_change_it(client, bob, project, forty):
    client.force_login(bob)
    page = client.get(f"/projects/{project.pk}/test-set/")
    assert page.status_code == 200
    assert "Choose the test set</button>" not in page.content.decode()
    assert (
        client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 20}).status_code == 403
    )


def test_a_stranger_gets_404(client, charlie, project):
    client.force_login(charlie)
    assert client.get(f"/projects/{project.pk}/test-set/").status_code == 404


def test_trials_on_an_earlier_test_set_are_marked_on_the_trials_page(client, alice, project, forty):
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 20})
    record_trial(client, project)
    client.post(f"/projects/{project.pk}/test-set/", {"share_percent": 30, "confirmed_version": 1})
    html = client.get(f"/projects/{project.pk}/trials/").content.decode()
    assert '<span class="badge text-bg-secondary" data-earlier-test-set>on test set version 1' in (
        html
    )
