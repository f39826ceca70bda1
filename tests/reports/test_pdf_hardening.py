"""What the security audit found in PDFs: long texts, overlong renders, hashed static names,
stale standing, and content that must be escaped."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from decisions.reports import tasks as tasks_module
from decisions.reports.context import report_context
from decisions.reports.models import ReportPdf
from decisions.reports.pdf import render_pdf
from decisions.reports.weasy import PDF_BASE_URL, StaticFilesOnlyFetcher
from tests.conftest import make_example
from tests.reports.conftest import render_pending_pdfs, save_decision


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def latest_pdf(decision) -> bytes:
    render_pending_pdfs()
    pdf = ReportPdf.objects.filter(decision=decision, status="ready").latest("requested_at")
    return bytes(pdf.content)


def test_long_example_text_is_clipped_in_the_pdf_with_a_note_but_whole_in_the_app(
    client, alice, project
):
    make_example(project, title="Long one", bad_output="B" * 19_990 + "END-MARKER")
    decision = save_decision(project, alice, "prompt")
    text = pdf_text(latest_pdf(decision))
    assert "Clipped at 1,000 of 20,000 characters: the full text is in the app." in text
    assert "END-MARKER" not in text

    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    assert "END-MARKER" in page and "Clipped at" not in page


def test_a_render_over_its_time_budget_is_stopped_and_recorded(
    settings, project, alice, monkeypatch
):
    settings.PDF_RENDER_SECONDS = 0.3

    def endless(*args, **kwargs):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(tasks_module, "render_pdf", endless)
    decision = save_decision(project, alice, "prompt")
    started = time.monotonic()
    render_pending_pdfs()
    assert time.monotonic() - started < 5
    pdf = ReportPdf.objects.get(decision=decision)
    assert pdf.status == "failed"
    assert pdf.error.startswith("Drawing the PDF took longer than 0.3 seconds, so it was stopped.")


def test_a_superseded_revision_never_serves_a_pdf_that_says_latest(client, alice, project):
    first = save_decision(project, alice, "prompt")
    assert "Latest revision" in pdf_text(latest_pdf(first))
    save_decision(project, alice, "context")

    client.force_login(alice)
    url = f"/projects/{project.pk}/decisions/1/report.pdf"
    assert client.get(url).status_code == 202  # the old file is not served
    render_pending_pdfs()
    text = pdf_text(client.get(url).content)
    assert "Superseded by revision 2" in text and "Latest revision" not in text


def test_two_decisions_get_two_pdfs(client, alice, project, team):
    from decisions.projects.models import Project

    other = Project.objects.create(team=team, name="Second project", owner=alice)
    save_decision(project, alice, "prompt")
    save_decision(other, alice, "prompt")
    render_pending_pdfs()
    client.force_login(alice)
    first = pdf_text(client.get(f"/projects/{project.pk}/decisions/1/report.pdf").content)
    second = pdf_text(client.get(f"/projects/{other.pk}/decisions/1/report.pdf").content)
    assert "Email drafter" in first and "Second project" not in first
    assert "Second project" in second and "Email drafter" not in second


def test_manifest_mode_pdf_keeps_its_stylesheet(settings, tmp_path, decision):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    fetcher = StaticFilesOnlyFetcher()
    render_pdf(report_context(decision, for_pdf=True), fetcher=fetcher)
    assert fetcher.refused == []
    assert len(fetcher.served) == 1
    served = fetcher.served[0]
    assert served.startswith(f"{PDF_BASE_URL}static/css/report-print.")
    assert served != f"{PDF_BASE_URL}static/css/report-print.css"  # the hashed name


@pytest.mark.parametrize("where", ["page", "pdf"])
def test_description_and_expected_output_are_escaped(client, alice, project, where):
    project.description = "<b>desc-bold</b> <script>alert('d')</script>"
    project.save()
    make_example(project, title="Hostile", expected_output="<i>exp-italic</i> <img src=x>")
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    if where == "page":
        html = client.get(f"/projects/{project.pk}/").content.decode()
        assert "&lt;b&gt;desc-bold&lt;/b&gt;" in html and "<b>desc-bold" not in html
        report = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
        assert "&lt;i&gt;exp-italic&lt;/i&gt; &lt;img src=x&gt;" in report
        assert "<i>exp-italic" not in report
    else:
        text = pdf_text(latest_pdf(decision))
        assert "<i>exp-italic</i> <img src=x>" in text  # shown as text, not markup
