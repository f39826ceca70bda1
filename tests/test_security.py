from __future__ import annotations

import re

from django.test import Client

from tests.conftest import example_post_data


def test_every_page_has_a_strict_content_security_policy(client, alice, project):
    client.force_login(alice)
    for url in ("/accounts/login/", "/projects/", f"/projects/{project.pk}/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_carry_no_inline_script_or_style(client, alice, project, example):
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "style=" not in html and "<style" not in html
    assert " hx-on" not in html


def test_htmx_posts_need_the_csrf_token(alice, project):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    page = browser.get(f"/projects/{project.pk}/").content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    url = f"/projects/{project.pk}/examples/add/"
    refused = browser.post(url, example_post_data(), headers={"HX-Request": "true"})
    assert refused.status_code == 403
    assert not project.examples.exists()
    accepted = browser.post(
        url, example_post_data(), headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert project.examples.count() == 1
