from __future__ import annotations

import re

from playwright.sync_api import expect

from decisions.records.models import Decision
from tests.conftest import PASSWORD, make_example


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()


# htmx moves focus to the [autofocus] element when a swap settles, 20 ms or more after the new
# content is in the page (a full page load focuses it at its first rendering): a key pressed
# in between goes to whatever had the focus. So before the next key press the test waits for
# that element to have the focus, and focus is only ever read through Playwright's waiting
# assertions, never once with page.evaluate.
FOCUS_WAIT_MS = 250


def is_focused_soon(locator) -> bool:
    try:
        expect(locator).to_be_focused(timeout=FOCUS_WAIT_MS)
    except AssertionError:
        return False
    return True


def tab_to(page, name: str, *, role: str = "link", limit: int = 60, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab, for a control above) until the element with this role and
    accessible name has the focus."""
    target = page.get_by_role(role, name=name, exact=True)
    for _ in range(limit):
        page.keyboard.press(key)
        if is_focused_soon(target):
            return
    raise AssertionError(f"never reached the {role} {name!r} with Tab")


def question(page):
    return page.locator("#wizard legend")


def choose_with_arrows(page, value: str) -> None:
    """From the focused radio, move with the arrow keys until `value` is focused and checked."""
    target = page.locator(f"#option-{value}")
    for _ in range(6):
        if is_focused_soon(target):
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_focused()
    page.keyboard.press("Space")  # checks the first radio of an unanswered question
    expect(target).to_be_checked()


def test_keyboard_only_run_with_back_change_reload_and_finish(page, alice, project):
    for _ in range(3):
        make_example(project, failure_type="facts")
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/")
    tab_to(page, "Start the wizard", role="button")
    page.keyboard.press("Enter")

    # symptom is prefilled with facts from the evidence and focused: Enter confirms it.
    expect(question(page)).to_contain_text("What goes wrong most often")
    expect(page.locator("#option-facts")).to_be_focused()
    page.keyboard.press("Enter")

    expect(question(page)).to_contain_text("When you paste the facts")
    expect(page.locator("#option-not_tried")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/wizard/runs/\d+/q/context_test/$"))  # URL follows

    # The browser's Back button returns to the previous question, with its saved answer.
    page.go_back()
    expect(question(page)).to_contain_text("What goes wrong most often")
    expect(page.locator("#option-facts")).to_be_checked()
    page.go_forward()
    expect(question(page)).to_contain_text("When you paste the facts")
    expect(page.locator("#option-not_tried")).to_be_focused()
    choose_with_arrows(page, "no")
    page.keyboard.press("Enter")
    # Prefilled from the evidence (3 examples have an expected output) and focused.
    expect(question(page)).to_contain_text("a fixed test set")
    expect(page.locator("#option-small")).to_be_focused()
    expect(page.locator("#option-small")).to_be_checked()

    # Reload in the middle: the same question, the path kept, its answer focused again.
    page.reload()
    expect(question(page)).to_contain_text("a fixed test set")
    expect(page.locator(".wizard-progress")).to_contain_text("No, it is still wrong")
    expect(page.locator("#option-small")).to_be_focused()  # before Tab starts from it

    # Back to the previous question with the Back button, and forward again unchanged.
    tab_to(page, "Back")
    page.keyboard.press("Enter")
    expect(question(page)).to_contain_text("When you paste the facts")
    expect(page.locator("#option-no")).to_be_focused()
    page.keyboard.press("Enter")
    expect(question(page)).to_contain_text("a fixed test set")
    expect(page.locator("#option-small")).to_be_focused()
    page.keyboard.press("Enter")
    expect(question(page)).to_contain_text("your best prompt on that test set")
    expect(page.locator("#option-untested")).to_be_focused()
    choose_with_arrows(page, "untested")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Prompting problem: engineer the prompt")
    ).to_be_visible()
    # The swap has settled: Tab starts from the focused Save button, not from where the
    # focus was before htmx moved it.
    expect(page.get_by_role("button", name="Save the decision")).to_be_focused()

    # Change an earlier answer from the path breadcrumbs: the path and the verdict update,
    # and the answer that fell off the path is kept.
    tab_to(page, "Right with the facts pasted in?")
    page.keyboard.press("Enter")
    expect(question(page)).to_contain_text("When you paste the facts")
    expect(page.locator("#option-no")).to_be_focused()  # focus moves to the question
    page.keyboard.press("ArrowUp")  # from "No" up to "Yes"
    expect(page.locator("#option-yes")).to_be_focused()
    page.keyboard.press("Enter")
    # 2027.02 asks whether anything is retrieved yet; nothing is: give it the facts.
    expect(question(page)).to_contain_text("already retrieve documents")
    expect(page.locator("#option-none")).to_be_focused()
    choose_with_arrows(page, "none")
    page.keyboard.press("Enter")
    verdict = "Prompting problem: give the model the facts (context, retrieval)"
    expect(page.get_by_role("heading", name=verdict)).to_be_visible()
    expect(page.locator("#wizard")).to_contain_text("Kept, not used on this path")
    expect(page.get_by_role("button", name="Save the decision")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/decisions/1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(verdict)
    decision = Decision.objects.get(project=project)
    assert [step["node"] for step in decision.explanation["path"]] == [
        "symptom",
        "context_test",
        "retrieval_in_place",
    ]
    # Kept, not used:
    assert decision.explanation["ignored"] == {"test_set": "small", "prompt_effort": "untested"}
    assert page.console_errors == []
