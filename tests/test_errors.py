"""Errors a user can act on: styled error pages with a way back, htmx requests that fail or
find the session expired, form errors that say where and why, limits stated, nothing cut."""

from __future__ import annotations

import re

from django.test import RequestFactory
from django.views.defaults import server_error

from decisions.wizard.models import WizardRun
from tests.conftest import example_post_data

HTMX = {"HX-Request": "true"}


def test_404_page_is_in_the_site_layout_with_a_way_back(client, alice):
    client.force_login(alice)
    response = client.get("/projects/987654/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page is not here" in html
    assert 'href="/projects/">Go to your projects</a>' in html
    assert 'class="navbar' in html and "alice" in html  # the site's own nav, logged in


def test_403_page_says_why_and_offers_a_way_back(client, bob, project):
    client.force_login(bob)
    response = client.post(f"/projects/{project.pk}/examples/add/", example_post_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot do that here" in html
    assert "viewers read, editors change" in html
    assert 'href="/projects/">Go to your projects</a>' in html


def test_500_page_renders_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/projects/">Go to your projects</a>' in html


def test_expired_session_during_htmx_redirects_the_whole_page_to_login(client, project, alice):
    run = WizardRun.objects.create(project=project, created_by=alice)
    page_url = f"/wizard/runs/{run.pk}/q/symptom/"
    response = client.post(
        page_url,
        {"option": "facts", "version": 1},
        headers={**HTMX, "HX-Current-URL": f"http://testserver{page_url}"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == (
        f"/accounts/login/?next=%2Fwizard%2Fruns%2F{run.pk}%2Fq%2Fsymptom%2F"
    )
    assert b"<html" not in response.content
    login = client.get(response["HX-Redirect"]).content.decode()
    assert "Your session has expired: log in again to go on." in login
    assert "What you just sent was not saved." in login


def test_expired_session_without_htmx_is_a_plain_redirect(client, project):
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/projects/{project.pk}/"


def test_add_example_errors_come_with_a_focused_summary_at_the_top_of_the_form(
    client, alice, project
):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/examples/add/",
        example_post_data(title="", bad_output=""),
        headers=HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger form-error-summary"[^>]*>', html)
    assert summary and "autofocus" in summary.group(0)
    assert "The example was not added: fix the 2 problems below." in html
    assert 'href="#id_new_title">Title</a>: This field is required.' in html
    # The section heading no longer takes the focus away from the errors.
    assert re.search(r'id="examples-heading" tabindex="-1">', html)
    assert html.index("form-error-summary") < html.index('name="title"')


def test_a_long_paste_is_refused_with_the_limit_and_the_length_not_cut(client, alice, project):
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "maxlength" not in page  # a browser would cut the paste without a word
    assert "Up to 20,000 characters." in page

    response = client.post(
        f"/projects/{project.pk}/examples/add/",
        example_post_data(bad_output="y" * 25_000),
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "This is 25,000 characters long; the limit is 20,000." in response.content.decode()
    assert not project.examples.exists()
