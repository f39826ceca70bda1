from __future__ import annotations

import pytest

from decisions.evidence.models import FailedExample
from tests.conftest import example_post_data, make_example

HTMX = {"HX-Request": "true"}


def test_add_example_without_javascript_redirects(client, alice, project):
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/examples/add/", example_post_data())
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#examples"
    example = project.examples.get()
    assert example.techniques_tried == ["instructions", "role"]
    assert example.created_by == alice


def test_add_example_with_htmx_returns_fragment_with_updated_counts(client, alice, project):
    client.force_login(alice)
    make_example(project, failure_type="facts")
    response = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="examples"' in html
    counts = {type_id: count for type_id, _, count in response.context["failure_counts"]}
    assert counts == {
        "format": 0,
        "tone": 0,
        "facts": 2,
        "domain": 0,
        "behavior": 0,
        "tools": 0,
        "labels": 0,
        "refuses": 0,
    }
    assert "Invents the return policy" in html


def test_add_example_errors_come_back_in_the_fragment(client, alice, project):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/",
        example_post_data(title="", failure_type="nonsense"),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in html
    assert "This field is required." in html
    assert "Select a valid choice." in html
    assert not project.examples.exists()


@pytest.mark.parametrize(
    "field, limit, message",
    [
        ("title", 200, "This is 201 characters long; the limit is 200."),
        ("input_text", 20_000, "This is 20,001 characters long; the limit is 20,000."),
        ("bad_output", 20_000, "This is 20,001 characters long; the limit is 20,000."),
        ("expected_output", 20_000, "This is 20,001 characters long; the limit is 20,000."),
        ("notes", 5_000, "This is 5,001 characters long; the limit is 5,000."),
    ],
)
def test_length_limits(client, alice, project, field, limit, message):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(**{field: "x" * (limit + 1)})
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not project.examples.exists()
    ok = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(**{field: "x" * limit})
    )
    assert ok.status_code == 302


@pytest.mark.parametrize("iterations", ["-1", "1001"])
def test_iterations_range(client, alice, project, iterations):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(iterations=iterations)
    )
    assert response.status_code == 422
    assert not project.examples.exists()


def test_unknown_technique_is_refused(client, alice, project):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(techniques_tried=["magic"])
    )
    assert response.status_code == 422
    assert not project.examples.exists()


def test_edit_example_without_javascript(client, alice, project, example):
    client.force_login(alice)
    data = example_post_data(title="Still too formal", version=example.version)
    response = client.post(f"/projects/{project.pk}/examples/{example.pk}/edit/", data)
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.title == "Still too formal"
    assert example.failure_type == "facts"


def test_edit_example_with_htmx(client, alice, project, example):
    client.force_login(alice)
    form = client.get(f"/projects/{project.pk}/examples/{example.pk}/edit/", headers=HTMX)
    assert "<html" not in form.content.decode()
    assert f'id="example-{example.pk}"' in form.content.decode()
    data = example_post_data(title="Edited inline", version=example.version)
    response = client.post(
        f"/projects/{project.pk}/examples/{example.pk}/edit/", data, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Edited inline" in html
    counts = {type_id: count for type_id, _, count in response.context["failure_counts"]}
    assert counts["facts"] == 1 and counts["tone"] == 0


def test_stale_example_edit_is_refused_and_keeps_newer_text(client, alice, project, example):
    client.force_login(alice)
    FailedExample.objects.filter(pk=example.pk).update(title="Teammate's title", version=2)
    data = example_post_data(title="My stale title", version=1)
    response = client.post(
        f"/projects/{project.pk}/examples/{example.pk}/edit/", data, headers=HTMX
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#example-{example.pk}"
    html = response.content.decode()
    assert "My stale title" in html  # the user's text stays in the form
    assert "Teammate&#x27;s title" in html
    example.refresh_from_db()
    assert example.title == "Teammate's title"


def test_delete_example_without_javascript(client, alice, project, example):
    client.force_login(alice)
    confirm = client.get(f"/projects/{project.pk}/examples/{example.pk}/delete/")
    assert "cannot be undone" in confirm.content.decode()
    response = client.post(f"/projects/{project.pk}/examples/{example.pk}/delete/")
    assert response.status_code == 302
    assert not project.examples.exists()


def test_delete_example_with_htmx(client, alice, project, example):
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/examples/{example.pk}/delete/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Too formal" in html  # the message names what was deleted
    assert not project.examples.exists()


def test_example_of_another_project_is_404(client, alice, team, example):
    from decisions.projects.models import Project

    other = Project.objects.create(team=team, name="Other")
    client.force_login(alice)
    response = client.get(f"/projects/{other.pk}/examples/{example.pk}/edit/")
    assert response.status_code == 404


def test_user_text_is_escaped(client, alice, project):
    example = make_example(project, title="<script>alert(1)</script>", bad_output="<b>bold</b>")
    client.force_login(alice)
    for url in (f"/projects/{project.pk}/", f"/projects/{project.pk}/examples/{example.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get(f"/projects/{project.pk}/examples/{example.pk}/").content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_project_page_queries_do_not_grow_with_examples(
    client, alice, project, django_assert_max_num_queries
):
    for i in range(30):
        make_example(project, title=f"Example {i}")
    client.force_login(alice)
    # 16: the test-set line reads its counts and its row once, whatever the examples; one
    # more asks whether the latest decision is stale.
    with django_assert_max_num_queries(16):
        response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
