"""The project list and the project page say when the latest decision is stale, and why, with
the one staleness rule; the list's queries do not grow with its projects."""

from __future__ import annotations

from decisions.projects.models import Project
from tests.conftest import make_example
from tests.reports.conftest import save_decision


def listed(client) -> str:
    page = client.get("/projects/").content.decode()
    return page[page.index('id="main"') :]  # past the navigation's project menu


def test_a_stale_project_says_re_run_suggested_and_why(client, alice, project):
    save_decision(project, alice, "prompt")
    make_example(project, title="Arrived after the decision")
    client.force_login(alice)
    html = listed(client)
    assert "Re-run suggested" in html
    assert "The project now has 1 failed example; this revision was made with 0." in html


def test_a_fresh_decision_has_no_badge(client, alice, project):
    make_example(project)
    save_decision(project, alice, "prompt")
    client.force_login(alice)
    assert "Re-run suggested" not in listed(client)


def test_a_project_without_a_decision_has_no_badge(client, alice, project):
    make_example(project)
    client.force_login(alice)
    assert "Re-run suggested" not in listed(client)


def test_the_project_page_says_it_too(client, bob, alice, project):
    save_decision(project, alice, "prompt")
    make_example(project, title="Arrived after the decision")
    client.force_login(bob)  # a viewer reads it as well
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert '<span class="badge text-bg-warning">Re-run suggested</span>' in html
    assert "The project now has 1 failed example; this revision was made with 0." in html


def test_the_project_page_without_staleness_has_no_badge(client, alice, project):
    make_example(project)
    save_decision(project, alice, "prompt")
    client.force_login(alice)
    assert "Re-run suggested" not in client.get(f"/projects/{project.pk}/").content.decode()


def test_list_queries_do_not_grow_with_stale_projects(
    client, alice, team, project, django_assert_num_queries
):
    save_decision(project, alice, "prompt")
    make_example(project)
    client.force_login(alice)
    with django_assert_num_queries(8) as few:
        assert client.get("/projects/").status_code == 200
    for number in range(10):
        more = Project.objects.create(team=team, name=f"Feature {number}", owner=alice)
        save_decision(more, alice, "prompt")
        make_example(more)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/projects/")
    assert response.status_code == 200
    assert response.content.decode().count("Re-run suggested") == 11
