"""PDFs render in the task worker: a download finds the file ready, or a page that checks
again by itself until it is; a web request never renders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.reports import pdf as pdf_module
from decisions.reports import tasks as tasks_module
from decisions.reports.models import ReportPdf
from tests.reports.conftest import render_pending_pdfs, save_decision
from tests.reports.test_share import create_link, token_from

HTMX = {"HX-Request": "true"}


def pdf_url(decision) -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/report.pdf"


@pytest.fixture
def no_render_in_request(monkeypatch):
    """Fails any test in which rendering happens where it should not."""

    def refuse(*args, **kwargs):
        raise AssertionError("a PDF was rendered inside a web request")

    monkeypatch.setattr(tasks_module, "render_pdf", refuse)


def test_saving_a_decision_renders_its_pdf_in_the_background(
    project, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision = save_decision(project, alice, "prompt")
    assert len(callbacks) == 1  # one render queued, after the commit
    pdf = ReportPdf.objects.get(decision=decision)
    assert pdf.status == "ready"
    assert bytes(pdf.content).startswith(b"%PDF")
    assert pdf.render_seconds > 0


def test_download_before_it_is_ready_gets_a_page_that_checks_again(
    client, alice, decision, no_render_in_request
):
    client.force_login(alice)
    response = client.get(pdf_url(decision))
    assert response.status_code == 202
    html = response.content.decode()
    assert "The PDF is being prepared." in html
    assert f'hx-get="{pdf_url(decision)}"' in html and 'hx-trigger="every 3s"' in html
    assert '<meta http-equiv="refresh" content="5">' in html  # without JavaScript


def test_the_check_swaps_in_a_download_button_once_ready(client, alice, decision):
    client.force_login(alice)
    pending = client.get(pdf_url(decision), headers=HTMX)
    assert pending.status_code == 200 and "<html" not in pending.content.decode()
    assert "being prepared" in pending.content.decode()

    render_pending_pdfs()
    ready = client.get(pdf_url(decision), headers=HTMX).content.decode()
    assert "<html" not in ready
    assert "The PDF is ready." in ready and "hx-trigger" not in ready  # polling stops
    assert f'href="{pdf_url(decision)}" autofocus>Download the PDF' in ready
    assert client.get(pdf_url(decision))["Content-Type"] == "application/pdf"


def test_a_failed_render_is_recorded_and_said_not_retried_by_every_visitor(
    client, alice, bob, decision, monkeypatch
):
    monkeypatch.setattr(tasks_module, "render_pdf", lambda *a, **k: 1 / 0)
    render_pending_pdfs()
    pdf = ReportPdf.objects.get(decision=decision)
    assert pdf.status == "failed"
    assert pdf.error == (
        "The PDF renderer could not lay this report out on pages. The team can find the details "
        "in the server's log."
    )

    client.force_login(bob)  # a viewer: told, but not offered a retry
    page = client.get(pdf_url(decision))
    assert page.status_code == 500
    assert "The PDF could not be made." in page.content.decode()
    assert "Try again" not in page.content.decode()
    assert ReportPdf.objects.get(pk=pdf.pk).status == "failed"  # the visit asked for nothing

    client.force_login(alice)
    assert "Try again" in client.get(pdf_url(decision)).content.decode()
    retried = client.post(pdf_url(decision) + "/retry/")
    assert retried.status_code == 302 and retried["Location"] == pdf_url(decision)
    assert ReportPdf.objects.get(pk=pdf.pk).status == "pending"


def test_retry_needs_edit_rights(client, bob, charlie, decision):
    client.force_login(bob)
    assert client.post(pdf_url(decision) + "/retry/").status_code == 403
    client.force_login(charlie)
    assert client.post(pdf_url(decision) + "/retry/").status_code == 404


def test_an_overdue_render_is_asked_for_again(
    client, alice, decision, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(hours=1)
    ReportPdf.objects.filter(decision=decision).update(requested_at=long_ago)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(pdf_url(decision))
    assert len(callbacks) == 1
    assert ReportPdf.objects.get(decision=decision).requested_at > long_ago


def test_new_content_gets_a_new_pdf_never_the_old_file(project, alice):
    first = save_decision(project, alice, "prompt")
    old_key = ReportPdf.objects.get(decision=first).key
    second = save_decision(project, alice, "context")
    render_pending_pdfs()
    assert ReportPdf.objects.get(decision=second).key != old_key
    assert not ReportPdf.objects.filter(key=old_key).exists()  # pruned, never served again


def test_without_pango_the_pdf_page_says_what_is_missing(client, alice, decision, monkeypatch):
    monkeypatch.setattr(
        "decisions.reports.views.missing_pdf_library", lambda: pdf_module.PANGO_HINT + "."
    )
    client.force_login(alice)
    response = client.get(pdf_url(decision))
    assert response.status_code == 503
    html = response.content.decode()
    assert "PDFs cannot be made on this server." in html
    assert "apt-get install libpango-1.0-0" in html
    assert "Back to the report" in html


def test_missing_weasyprint_is_reported_not_raised(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    message = pdf_module.missing_pdf_library()
    assert message.startswith("WeasyPrint needs the Pango library")


def test_shared_link_waits_the_same_way_counting_only_the_download_as_a_view(
    client, alice, decision
):
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    client.logout()
    page = client.get(f"/s/{token}/report.pdf")
    assert page.status_code == 202
    assert "Ask the team" not in page.content.decode()  # nothing failed
    for _ in range(3):
        assert client.get(f"/s/{token}/report.pdf", headers=HTMX).status_code == 200
    assert decision.share_links.get().view_count == 0  # the waiting page served no report
    render_pending_pdfs()
    ready = client.get(f"/s/{token}/report.pdf", headers=HTMX).content.decode()
    assert "The PDF is ready." in ready
    assert decision.share_links.get().view_count == 0
    assert client.get(f"/s/{token}/report.pdf").content.startswith(b"%PDF")
    assert decision.share_links.get().view_count == 1


WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def test_a_poll_for_a_pdf_only_reads(client, alice, decision):
    """On SQLite a transaction takes the write lock at BEGIN: a poll must not open one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    client.get(pdf_url(decision), headers=HTMX)  # the first visit may save the session
    for _ in ("pending", "ready"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pdf_url(decision), headers=HTMX).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == []
        render_pending_pdfs()


def scopes_kept(decision) -> list[tuple[str, str]]:
    return sorted(ReportPdf.objects.filter(decision=decision).values_list("scope", "status"))


def test_a_review_move_prunes_the_pdfs_it_put_out_of_date(client, alice, emily, decision):
    client.force_login(alice)
    client.get(pdf_url(decision) + "?scope=summary")
    render_pending_pdfs()
    assert scopes_kept(decision) == [("examples", "ready"), ("summary", "ready")]
    url = f"/projects/{decision.project_id}/decisions/1/review/"
    client.post(url, {"move": "propose"})
    assert scopes_kept(decision) == []  # both name a draft, and no request can ask for that
    client.get(pdf_url(decision))
    client.force_login(emily)
    client.post(url, {"move": "accept"})
    client.get(pdf_url(decision))
    assert scopes_kept(decision) == [("examples", "pending")]


def test_a_newer_revision_prunes_the_older_ones_pdfs(project, alice, decision):
    render_pending_pdfs()
    assert scopes_kept(decision) == [("examples", "ready")]
    newer = save_decision(project, alice, "context")
    assert scopes_kept(decision) == []  # it said "Latest revision"
    assert scopes_kept(newer) == [("examples", "pending")]


def test_a_pdf_still_asked_for_is_kept(client, alice, decision):
    client.force_login(alice)
    render_pending_pdfs()
    client.get(pdf_url(decision) + "?scope=full")
    assert scopes_kept(decision) == [("examples", "ready"), ("full", "pending")]
