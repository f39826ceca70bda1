"""Every project and example URL: a stranger gets 404, a viewer 403 on any change."""

from __future__ import annotations

import pytest

from tests.conftest import example_post_data


def project_urls(project, example):
    p, e = project.pk, example.pk
    reads = [
        ("get", f"/projects/{p}/"),
        ("get", f"/projects/{p}/examples/{e}/"),
    ]
    changes = [
        ("get", f"/projects/{p}/edit/"),
        ("post", f"/projects/{p}/edit/"),
        ("post", f"/projects/{p}/archive/"),
        ("post", f"/projects/{p}/restore/"),
        ("get", f"/projects/{p}/examples/add/"),
        ("post", f"/projects/{p}/examples/add/"),
        ("get", f"/projects/{p}/examples/{e}/edit/"),
        ("post", f"/projects/{p}/examples/{e}/edit/"),
        ("get", f"/projects/{p}/examples/{e}/delete/"),
        ("post", f"/projects/{p}/examples/{e}/delete/"),
    ]
    return reads, changes


@pytest.mark.parametrize("htmx", [False, True])
def test_stranger_gets_404_everywhere(client, charlie, project, example, htmx):
    client.force_login(charlie)
    headers = {"HX-Request": "true"} if htmx else {}
    reads, changes = project_urls(project, example)
    for method, url in reads + changes:
        response = getattr(client, method)(url, example_post_data(), headers=headers)
        assert response.status_code == 404, (method, url)


@pytest.mark.parametrize("htmx", [False, True])
def test_viewer_reads_but_gets_403_on_changes(client, bob, project, example, htmx):
    client.force_login(bob)
    headers = {"HX-Request": "true"} if htmx else {}
    reads, changes = project_urls(project, example)
    for method, url in reads:
        assert getattr(client, method)(url, headers=headers).status_code == 200, url
    for method, url in changes:
        response = getattr(client, method)(url, example_post_data(), headers=headers)
        assert response.status_code == 403, (method, url)
    example.refresh_from_db()
    assert example.title == "Too formal"


def test_anonymous_is_sent_to_login(client, project):
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_editor_can_change(client, emily, project, example):
    client.force_login(emily)
    response = client.post(f"/projects/{project.pk}/examples/add/", example_post_data())
    assert response.status_code == 302
    assert project.examples.count() == 2
