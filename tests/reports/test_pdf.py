from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess

import pytest
from pypdf import PdfReader

from decisions.reports import tasks as tasks_module
from decisions.reports.context import report_context
from decisions.reports.pdf import render_pdf
from decisions.reports.weasy import PDF_BASE_URL, StaticFilesOnlyFetcher
from tests.reports.conftest import HOSTILE_TEXTS, render_pending_pdfs
from tests.reports.test_share import create_link, token_from


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_verdict_questions_and_example_titles(client, alice, decision):
    render_pending_pdfs()
    client.force_login(alice)
    response = client.get(f"/projects/{decision.project_id}/decisions/1/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="email-drafter-revision-1.pdf"' in response["Content-Disposition"]
    reader, text = pdf_text(response.content)
    flat = squash(text)
    assert squash(decision.verdict) in flat
    for step in decision.explanation["path"]:
        assert squash(step["question"]) in flat
    assert "Too formal for Dana" in flat and "Invents a policy" in flat
    assert "Page 1 of" in flat and "Email drafter" in flat  # the footer
    assert reader.metadata.title.startswith("Prompting problem: engineer the prompt")
    assert reader.metadata.author == "alice"


def test_viewer_downloads_the_pdf(client, bob, decision):
    render_pending_pdfs()
    client.force_login(bob)
    assert client.get(f"/projects/{decision.project_id}/decisions/1/report.pdf").status_code == 200


def test_shared_pdf(client, alice, decision):
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    client.logout()
    render_pending_pdfs()
    response = client.get(f"/s/{token}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"


def test_a_pdf_is_rendered_once_and_then_served(client, alice, decision, monkeypatch):
    calls = []
    original = tasks_module.render_pdf
    monkeypatch.setattr(
        tasks_module, "render_pdf", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    client.force_login(alice)
    url = f"/projects/{decision.project_id}/decisions/1/report.pdf"
    render_pending_pdfs()
    render_pending_pdfs()
    first = client.get(url).content
    second = client.get(url).content
    assert len(calls) == 1
    assert first == second and first.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "ftp://example.com/x",
        f"{PDF_BASE_URL}../etc/passwd",
        f"{PDF_BASE_URL}static/../../decisions/settings.py",
        f"{PDF_BASE_URL}media/secret.txt",
        "https://report.invalid.evil.com/static/css/report-print.css",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = StaticFilesOnlyFetcher()
    with pytest.raises(ValueError, match="fetches only our static files"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_our_static_files():
    fetcher = StaticFilesOnlyFetcher()
    response = fetcher.fetch(f"{PDF_BASE_URL}static/css/report-print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_hostile_examples_render_without_fetching_and_without_attachments(
    hostile_decision, monkeypatch
):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connections.append(address))
    fetcher = StaticFilesOnlyFetcher()
    content = render_pdf(report_context(hostile_decision), fetcher=fetcher)
    assert connections == []
    assert fetcher.refused == []
    assert fetcher.served == [f"{PDF_BASE_URL}static/css/report-print.css"]
    assert b"/EmbeddedFile" not in content
    reader, text = pdf_text(content)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    flat = squash(text)
    for name in ("html", "script", "metadata", "attachment"):
        assert squash(HOSTILE_TEXTS[name]) in flat, name
    # The 20,000-character output is all there, wrapped over lines and split by page footers.
    joined = "".join(text.split())
    assert sum(len(run) for run in re.findall("A{20,}", joined)) == 19_990
    assert re.search("A{20}END-MARKER", joined)


def _has_font_for(sample: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    codepoint = f"{ord(sample):x}"
    found = subprocess.run(["fc-list", f":charset={codepoint}"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def test_rtl_cjk_and_emoji_text_survive_in_the_pdf(hostile_decision):
    # Glyphs come from system fonts (fonts-wqy-microhei, fonts-noto-color-emoji; .ci/run
    # installs them). Without them the text cannot be drawn, so only CI insists.
    if not (_has_font_for("退") and _has_font_for("🙏")) and os.environ.get("CI") != "true":
        pytest.skip("CJK or emoji fonts are not installed on this machine")
    _, text = pdf_text(render_pdf(report_context(hostile_decision)))
    flat = squash(text)
    assert HOSTILE_TEXTS["cjk"] in flat
    assert "🙏" in flat
    assert "שלום" in flat or "םולש" in flat  # extraction may reverse right-to-left runs
