"""Template syntax that does not parse as intended shows up as text on the page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/signup/?next=/accounts/invitations/abc/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/MQ/used-up/",
        "/no-such-page/",
    ],
)
def test_no_template_syntax_leaks_into_anonymous_pages(client, db, url):
    html = client.get(url, follow=True).content.decode()
    assert "{#" not in html and "{%" not in html and "{{" not in html


def test_no_template_syntax_leaks_into_project_pages(client, alice, project, example):
    client.force_login(alice)
    for url in (
        "/projects/",
        f"/projects/{project.pk}/",
        "/accounts/teams/",
        f"/teams/{project.team_id}/portfolio/",
    ):
        html = client.get(url).content.decode()
        assert "{#" not in html and "{%" not in html, url
