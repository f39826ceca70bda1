"""Three people review one decision in the browser: alice proposes asking emily; emily finds
it under "Waiting for my review", comments and requests changes; alice re-runs the wizard and
revision 2 shows the carried request; emily and frank accept (the team needs two) and it is
accepted. The e-mails carry absolute links. Screenshots of the bar and the list go to
SCREENSHOT_DIR when it is set, at desktop and phone widths."""

from __future__ import annotations

import os
import re

from django.core import mail
from playwright.sync_api import expect

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.models import Review
from tests.conftest import PASSWORD, make_example
from tests.e2e.test_review_flow import logged_in_page
from tests.reports.conftest import save_decision

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shoot(page, name: str, locator=None) -> None:
    """Desktop and phone screenshots, for a person to look at; only when asked for."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        target = locator if locator is not None else page
        if locator is not None:
            locator.scroll_into_view_if_needed()
        target.screenshot(path=os.path.join(folder, f"{name}-{label}.png"))
    page.set_viewport_size(DESKTOP)


def test_three_people_review_across_a_rerun(
    chromium_browser, live_server, alice, emily, project, team
):
    frank = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=frank, role=Role.EDITOR)
    team.required_acceptances = 2
    team.save()
    make_example(project)
    first = save_decision(project, alice, "prompt", notes={"symptom": "Mostly tone"})
    report = f"/projects/{project.pk}/decisions/{first.revision}/"

    # alice proposes, asking emily.
    author = logged_in_page(chromium_browser, live_server.url, "alice")
    author.set_viewport_size(DESKTOP)
    author.goto(report)
    bar = author.locator("#review")
    expect(bar.locator(".review-badge")).to_have_text("Draft")
    bar.locator("#review-requested").select_option(label="emily")
    bar.get_by_role("button", name="Propose for review").click()
    expect(author.locator("#review .review-badge")).to_have_text("Proposed")
    expect(author.locator("#review .review-who-asked")).to_have_text("emily")

    # emily finds it on her waiting list and asks for changes.
    reviewer = logged_in_page(chromium_browser, live_server.url, "emily")
    reviewer.set_viewport_size(DESKTOP)
    reviewer.goto("/decisions/")
    waiting = reviewer.locator("#waiting")
    expect(waiting).to_contain_text("Waiting for my review: 1")
    shoot(reviewer, "waiting-list", waiting)
    waiting.get_by_role("link", name="Email drafter, revision 1").click()
    expect(reviewer).to_have_url(re.compile(r"/decisions/1/#review$"))
    thread = reviewer.locator("#thread-symptom")
    thread.locator("> summary").click()
    thread.locator("textarea").fill("Which customers find it too formal?")
    thread.get_by_role("button", name="Comment").click()
    expect(reviewer.locator("#thread-symptom")).to_contain_text(
        "Which customers find it too formal?"
    )
    expect(reviewer.locator("#review .review-open-comments")).to_have_text("1 open comment")
    reviewer.locator("#review-note").fill("Name the customers who complain")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator("#review .review-badge")).to_have_text("Changes requested")

    # alice re-runs the wizard, keeps the answers and rewrites the note.
    author.goto(f"/projects/{project.pk}/")
    author.get_by_role("button", name="Run the wizard again").click()
    expect(author.locator("#carried")).to_be_visible()
    author.locator("#note-symptom").fill("Enterprise customers in the EU find it too formal")
    author.get_by_role("button", name="Next").click()
    expect(author.locator("#question-spelled_out")).to_be_visible()
    author.get_by_role("button", name="Next").click()
    author.get_by_role("button", name="Save the decision").click()
    expect(author).to_have_url(re.compile(rf"/projects/{project.pk}/decisions/2/$"))
    carried = author.locator("#review .carried-request")
    expect(carried).to_have_text(
        "Changes requested on revision 1 by emily: “Name the customers who complain”, "
        "answered by revision 2."
    )
    expect(author.locator("#timeline .carried-comment")).to_contain_text(
        "Which customers find it too formal?"
    )
    # Re-proposed to the same people, with frank added.
    author.locator("#review-requested").select_option(label=["emily", "frank"])
    author.get_by_role("button", name="Propose for review").click()
    expect(author.locator("#review .review-badge")).to_have_text("Proposed")
    shoot(author, "review-bar-author", author.locator("#review"))

    # Two acceptances: emily's keeps it proposed, frank's accepts it.
    reviewer.goto(f"/projects/{project.pk}/decisions/2/")
    reviewer.get_by_role("button", name="Accept").click()
    # htmx swaps the bar, the timeline and the message in place, and focuses the bar.
    expect(reviewer.locator("#messages")).to_contain_text(
        "Your acceptance is recorded: 1 of 2. Revision 2 stays proposed until 2 reviewers "
        "accept it."
    )
    expect(reviewer.locator("#review-heading")).to_be_focused()
    expect(reviewer.locator("#timeline")).to_contain_text("not yet enough")
    expect(reviewer.locator("#review .review-count")).to_have_text("1 of 2 acceptances")
    expect(reviewer.locator("#review .review-badge")).to_have_text("Proposed")
    shoot(reviewer, "review-bar-reviewer", reviewer.locator("#review"))
    third = logged_in_page(chromium_browser, live_server.url, "frank")
    third.set_viewport_size(DESKTOP)
    third.goto("/decisions/")
    expect(third.locator("#waiting")).to_contain_text("Email drafter, revision 2")
    third.locator("#waiting").get_by_role("link", name="Email drafter, revision 2").click()
    third.get_by_role("button", name="Accept").click()
    expect(third.locator("#review .review-badge")).to_have_text("Accepted")
    expect(third.locator("#review .review-who-accepted")).to_contain_text("emily")
    expect(third.locator("#review .review-who-accepted")).to_contain_text("frank")
    expect(third.locator("#review .carried-request")).to_have_count(0)
    assert Review.objects.get(decision__project=project, decision__revision=2).status == "accepted"
    shoot(third, "report-first-screen")
    shoot(third, "answers-and-timeline", third.locator(".answers-with-timeline"))

    # Every review e-mail links back to its report with an absolute address.
    links = [re.search(r"https?://\S+", message.body) for message in mail.outbox]
    assert [message.to for message in mail.outbox][:2] == [
        ["emily@example.com"],
        ["alice@example.com"],
    ]
    assert all(links) and len(links) >= 4
    # SITE_URL (the tests' https://decisions.example.com), never the request's address.
    site = f"https://decisions.example.com/projects/{project.pk}/decisions/"
    found = {link.group(0) for link in links}
    assert all(link.startswith(site) for link in found)
    assert {link for link in found if link.endswith("#review")} == {
        f"{site}1/#review",
        f"{site}2/#review",
    }
    for page in (author, reviewer, third):
        page.context.close()


def test_proposing_works_without_javascript(chromium_browser, live_server, alice, emily, project):
    decision = save_decision(project, alice, "prompt")
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/projects/{project.pk}/decisions/{decision.revision}/")
    page.locator("#review-requested").select_option(label="emily")
    page.get_by_role("button", name="Propose for review").click()
    expect(page).to_have_url(re.compile(r"/decisions/1/#review$"))
    expect(page.locator("#review .review-badge")).to_have_text("Proposed")
    expect(page.locator("#review .review-who-asked")).to_have_text("emily")
    expect(page.locator("#messages")).to_contain_text("Revision 1 is proposed.")
    context.close()
