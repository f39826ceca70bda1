"""No template syntax reaches a reader: every page, file and e-mail a decision with examples
produces is scanned for Django's delimiters. A comment or tag that does not parse as meant
(`{# #}` spans one line only) is printed as text, once per example."""

from __future__ import annotations

import pytest
from django.core import mail

from decisions.reports.models import ReportScope
from tests.reports.conftest import render_pending_pdfs
from tests.reports.test_pdf import pdf_text
from tests.reports.test_share import create_link, token_from

DELIMITERS = ("{#", "#}", "{%", "%}", "{{", "}}")


def leaked(text: str) -> list[str]:
    return [delimiter for delimiter in DELIMITERS if delimiter in text]


def report_url(decision, suffix: str = "") -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


def test_the_report_page_and_its_exports_hold_no_template_syntax(client, alice, decision):
    client.force_login(alice)
    for suffix in ("", "decision.md", "report.pdf", "report.pdf?scope=summary"):
        response = client.get(report_url(decision, suffix))
        assert response.status_code in (200, 202), suffix
        assert leaked(response.content.decode()) == [], suffix


@pytest.mark.parametrize("scope", ReportScope.values)
def test_the_shared_page_and_pdf_of_every_scope_hold_no_template_syntax(
    client, alice, decision, scope
):
    client.force_login(alice)
    token = token_from(create_link(client, decision, scope=scope))
    client.logout()
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200
    assert leaked(page.content.decode()) == []

    render_pending_pdfs()
    pdf = client.get(f"/s/{token}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    _, text = pdf_text(pdf.content)
    assert "Too formal for Dana" in text or not ReportScope(scope).has_examples
    assert leaked(text) == []


def test_review_and_invitation_emails_hold_no_template_syntax(
    client, alice, emily, team, decision, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(decision, "review/"), {"move": "propose", "note": "Have a look"})
        client.post(
            f"/accounts/teams/{team.pk}/invite/", {"email": "dora@example.com", "role": "viewer"}
        )
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Email drafter, revision 1: proposed",
        "Join “Growth team” on Prompt or Model?",
    ]
    for message in mail.outbox:
        assert leaked(message.subject + message.body) == [], message.subject
