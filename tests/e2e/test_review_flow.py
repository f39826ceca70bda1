"""Team review in the browser: alice proposes, emily comments on an answer and accepts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS
from tests.reports.conftest import save_decision


def logged_in_page(browser, base_url: str, username: str):
    page = browser.new_context(base_url=base_url).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    return page


def test_propose_comment_on_an_answer_accept_and_see_the_timeline(
    chromium_browser, live_server, alice, emily, project
):
    decision = save_decision(project, alice, "prompt")
    report = f"/projects/{project.pk}/decisions/{decision.revision}/"

    author = logged_in_page(chromium_browser, live_server.url, "alice")
    author.goto(report)
    author.fill("#review-note", "Ready for review")
    author.get_by_role("button", name="Propose for review").click()
    expect(author.locator("#review .review-badge")).to_have_text("Proposed")

    reviewer = logged_in_page(chromium_browser, live_server.url, "emily")
    reviewer.goto(report)
    thread = reviewer.locator("#thread-symptom")
    thread.locator("> summary").click()
    thread.locator("textarea").fill("Is tone really the main failure here?")
    thread.get_by_role("button", name="Comment").click()
    expect(reviewer.locator("#thread-symptom")).to_contain_text(
        "Is tone really the main failure here?"
    )
    expect(reviewer.locator("#thread-symptom > summary")).to_have_text("1 comment on this answer")
    reviewer.get_by_role("button", name="Accept").click()
    expect(reviewer.locator("#review .review-badge")).to_have_text("Accepted")

    author.reload()
    timeline = author.locator("#timeline")
    expect(timeline).to_contain_text("Draft → Proposed")
    expect(timeline).to_contain_text("Is tone really the main failure here?")
    expect(timeline).to_contain_text("Proposed → Accepted")
    expect(author.locator(".summary-review")).to_contain_text("Accepted by emily")
    author.context.close()
    reviewer.context.close()
