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


STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_every_page_type_carries_the_strict_policy(client, alice, bob, project, example):
    from decisions.wizard.models import WizardRun
    from tests.reports.conftest import save_decision
    from tests.reports.test_share import create_link, token_from

    decision = save_decision(project, alice, "prompt")
    run = WizardRun.objects.create(project=project, created_by=alice)
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    report = f"/projects/{project.pk}/decisions/{decision.revision}/"
    pages = {
        "project list": ("get", "/projects/", 200),
        "project page": ("get", f"/projects/{project.pk}/", 200),
        "project form": ("get", f"/projects/{project.pk}/edit/", 200),
        "example form": ("get", f"/projects/{project.pk}/examples/add/", 200),
        "teams": ("get", "/accounts/teams/", 200),
        "wizard step": ("get", f"/wizard/runs/{run.pk}/q/symptom/", 200),
        "report": ("get", report, 200),
        "pdf being prepared": ("get", report + "report.pdf", 202),
        "404 page": ("get", "/projects/987654/", 404),
        "example page": ("get", f"/projects/{project.pk}/examples/{example.pk}/", 200),
        "import upload": ("get", f"/projects/{project.pk}/import/", 200),
        "export page": ("get", f"/projects/{project.pk}/export/", 200),
        "api tokens": ("get", "/accounts/tokens/", 200),
        "api docs": ("get", "/api/v1/docs", 200),
        "api list without a token": ("get", "/api/v1/projects", 401),
    }
    for name, (method, url, status) in pages.items():
        response = getattr(client, method)(url)
        assert response.status_code == status, name
        assert response["Content-Security-Policy"] == STRICT_POLICY, name
    client.force_login(bob)
    forbidden = client.post(f"/projects/{project.pk}/examples/add/", example_post_data())
    assert forbidden.status_code == 403
    assert forbidden["Content-Security-Policy"] == STRICT_POLICY
    client.logout()
    for name, url, status in [
        ("login", "/accounts/login/", 200),
        ("signup", "/accounts/signup/", 200),
        ("shared report", f"/s/{token}/", 200),
        ("shared 404", "/s/not-a-token/", 404),
        ("admin login", "/admin/login/", 200),
    ]:
        response = client.get(url)
        assert response.status_code == status, name
        assert response["Content-Security-Policy"] == STRICT_POLICY, name
