from __future__ import annotations

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_wizard_keyboard import log_in
from tests.reports.conftest import save_decision


def test_share_link_opens_without_login_and_downloads_the_pdf(
    page, chromium_browser, live_server, alice, project, tmp_path
):
    decision = save_decision(project, alice, "context")
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/decisions/{decision.revision}/")
    page.fill("#id_label", "Steering committee")
    page.select_option("#id_expiry", "7")
    page.get_by_role("button", name="Create link").click()
    link_field = page.locator("#new-share-url")
    expect(link_field).to_be_visible()
    expect(link_field).to_be_focused()
    expect(link_field).to_have_value(re.compile(r"/s/[A-Za-z0-9_\-]{20,}/$"))
    shared_url = link_field.input_value()  # read once it is there
    expect(page.locator("#share-panel table")).to_contain_text("Steering committee")

    stranger = chromium_browser.new_context(accept_downloads=True)
    try:
        anonymous = stranger.new_page()
        response = anonymous.goto(shared_url)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "no-referrer"
        verdict = "Prompting problem: give the model the facts (context, retrieval)"
        expect(anonymous.get_by_role("heading", level=1)).to_have_text(verdict)
        expect(anonymous.get_by_role("link", name="Log in")).to_have_count(0)
        with anonymous.expect_download() as download_info:
            anonymous.get_by_role("link", name="Download PDF").click()
        target = tmp_path / "report.pdf"
        download_info.value.save_as(target)
        text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
        assert verdict in " ".join(text.split())
    finally:
        stranger.close()
    assert page.console_errors == []
