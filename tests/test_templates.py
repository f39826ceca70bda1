"""Template syntax that does not parse as intended shows up as text on the page."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_no_template_syntax_leaks_into_anonymous_pages(client, db, url):
    html = client.get(url).content.decode()
    assert "{#" not in html and "{%" not in html and "{{" not in html


def test_no_template_syntax_leaks_into_project_pages(client, alice, project, example):
    client.force_login(alice)
    for url in ("/projects/", f"/projects/{project.pk}/", "/accounts/teams/"):
        html = client.get(url).content.decode()
        assert "{#" not in html and "{%" not in html, url
