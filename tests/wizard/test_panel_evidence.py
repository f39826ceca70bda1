"""The wizard's panels read a project's evidence once per change, and never a stale one."""

from __future__ import annotations

from decisions.evidence.models import FailedExample
from tests.conftest import example_post_data, make_example

FACTS = "tagged Facts are missing, outdated or invented."


def symptom_page(client, run) -> str:
    response = client.get(f"/wizard/runs/{run.pk}/q/symptom/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_example_added_in_the_app_changes_the_next_prefill(client, alice, project, run):
    make_example(project, failure_type="tone")
    client.force_login(alice)
    assert "1 of 1 example is tagged" in symptom_page(client, run)

    client.post(f"/projects/{project.pk}/examples/add/", example_post_data(failure_type="facts"))
    client.post(f"/projects/{project.pk}/examples/add/", example_post_data(failure_type="facts"))

    assert f"2 of 3 examples are {FACTS}" in symptom_page(client, run)


def test_an_example_deleted_in_the_admin_changes_the_next_prefill(
    client, admin_client, alice, project, run
):
    make_example(project, failure_type="tone")
    facts = [make_example(project, failure_type="facts") for _ in range(2)]
    project.touch()
    client.force_login(alice)
    assert f"2 of 3 examples are {FACTS}" in symptom_page(client, run)

    response = admin_client.post(
        f"/admin/evidence/failedexample/{facts[0].pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert FailedExample.objects.filter(project=project).count() == 2
    assert "1 of 2 examples are tagged" in symptom_page(client, run)


def test_a_second_step_reads_no_evidence(client, alice, project, run, django_assert_num_queries):
    make_example(project)
    client.force_login(alice)
    symptom_page(client, run)
    # Session, user, the run with the role, the nav's projects and teams: no examples, no trials.
    with django_assert_num_queries(5):
        symptom_page(client, run)
