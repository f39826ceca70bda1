"""The everyday flows with the keyboard alone: Tab to a control, type, Space and Enter.

The wizard has its own (test_wizard_keyboard.py); here adding an example and, on a report,
proposing it for review and sharing a read-only link, and Tab through the report's buttons
in the order they are drawn.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from decisions.evidence.models import FailedExample
from tests.conftest import make_example
from tests.e2e.test_wizard_keyboard import is_focused_soon, log_in, tab_to
from tests.reports.conftest import save_decision


def type_into(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.type(text)


def test_add_an_example_with_the_keyboard(page, alice, project):
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/")
    tab_to(page, "Add example")
    page.keyboard.press("Enter")  # the form below the examples
    expect(page).to_have_url(re.compile(r"#add-example-heading$"))

    type_into(page, "#id_new_title", "Invents the return policy")
    page.focus("#id_new_failure_type")
    page.keyboard.press("ArrowDown")  # the first failure type after the empty choice
    expect(page.locator("#id_new_failure_type")).not_to_have_value("")
    type_into(page, "#id_new_input_text", "Can I return shoes after 5 weeks?")
    type_into(page, "#id_new_bad_output", "Yes, within 60 days.")
    page.focus("#id_new_techniques_tried_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_new_techniques_tried_0")).to_be_checked()
    page.focus("#id_new_title")
    page.keyboard.press("Enter")  # Enter in a text field submits the form

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#example-total")).to_have_text("1")
    example = FailedExample.objects.get(project=project)
    assert example.title == "Invents the return policy"
    assert example.bad_output == "Yes, within 60 days."


def test_propose_and_share_a_decision_with_the_keyboard(page, alice, project):
    decision = save_decision(project, alice, "prompt")
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/decisions/{decision.revision}/")

    tab_to(page, "Propose for review", role="button")
    page.keyboard.press("Enter")
    expect(page.locator("#review .review-badge")).to_have_text("Proposed")

    # The report's buttons sit under the verdict, above the review bar, in the page as on the
    # screen: back up to Share.
    tab_to(page, "Share a read-only link", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#share-heading$"))
    type_into(page, "#id_label", "Steering committee")
    tab_to(page, "Create link", role="button")
    page.keyboard.press("Enter")
    # The new link takes the focus, ready to copy.
    expect(page.locator("#new-share-url")).to_be_focused()
    expect(page.locator("#new-share-url")).to_have_value(re.compile(r"/s/[A-Za-z0-9_\-]{20,}/$"))


def test_track_a_next_step_with_the_keyboard(page, alice, project):
    decision = save_decision(project, alice, "prompt")
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/decisions/{decision.revision}/#steps-heading")

    page.focus("#step-4-done")
    page.keyboard.press("Space")
    expect(page.locator("#step-4-done")).to_be_checked()
    page.keyboard.press("Tab")  # to the owner
    expect(page.locator("#step-4-owner")).to_be_focused()
    page.keyboard.press("ArrowDown")  # from "No owner" to alice
    expect(page.locator("#step-4-owner")).to_have_value(str(alice.pk))
    save = page.locator("#step-4 button")
    for _ in range(5):  # through the due date's day, month and year to Save
        page.keyboard.press("Tab")
        if is_focused_soon(save):
            break
    expect(save).to_be_focused()
    page.keyboard.press("Enter")  # saved by htmx, the step redrawn in place
    expect(page.locator("#step-4 .badge")).to_have_text("Done")
    expect(page.locator("#step-4 .tracked-step-meta")).to_contain_text("by alice")
    expect(page.locator("#step-4-owner")).to_have_value(str(alice.pk))
    step = decision.tracked_steps.get(index=4)
    assert (step.owner, step.done_by) == (alice, alice)


# `later` comes after `earlier` in reading order: on a lower line, or on the same line to its
# right (a pixel of slack for borders that touch).
READS_AFTER = """([earlier, later]) => {
  const a = earlier.getBoundingClientRect(), b = later.getBoundingClientRect();
  const sameLine = b.top < a.bottom && a.top < b.bottom;
  return b.top >= a.bottom - 1 || (sameLine && b.left >= a.right - 1);
}"""
# Layout settles with the load event; this only covers a late font.
SETTLE_MS = 5_000


def assert_reads_after(page, earlier, later) -> None:
    try:
        page.wait_for_function(
            READS_AFTER, arg=[earlier.element_handle(), later.element_handle()], timeout=SETTLE_MS
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"Tab goes from {earlier} at {earlier.bounding_box()} to {later} at "
            f"{later.bounding_box()}, which is drawn before it"
        ) from None


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=str
)
def test_tab_meets_the_report_buttons_in_the_order_they_are_drawn(
    page, alice, emily, project, viewport
):
    """WCAG 2.4.3: the report's buttons, the re-run notice and the review bar, from the
    breadcrumb to the end of the summary, one Tab each, each drawn after the one before."""
    make_example(project, failure_type="tone")
    decision = save_decision(project, alice, "prompt")
    make_example(project, failure_type="facts")  # evidence moved on: re-run suggested
    page.set_viewport_size(viewport)
    log_in(page, "alice")
    page.goto(f"/projects/{project.pk}/decisions/{decision.revision}/")
    expect(page.locator("#stale")).to_be_visible()

    in_order = [
        page.get_by_role("link", name="Email drafter"),  # the breadcrumb: the start
        page.get_by_role("combobox", name="What the PDF carries"),
        page.get_by_role("button", name="Download PDF"),
        page.get_by_role("link", name="Share a read-only link"),
        page.get_by_role("link", name="History and changes"),
        page.get_by_role("link", name="Markdown (MADR)"),
        page.get_by_role("link", name="JSON"),
        page.get_by_role("link", name="Back to the project"),
        page.get_by_role("button", name="Run the wizard again, starting from these answers"),
        page.get_by_role("listbox", name="Ask to review"),
        page.get_by_role("listbox", name="People to inform when it is accepted"),
        page.get_by_role("textbox", name="Note (optional)"),
        page.get_by_role("button", name="Propose for review"),
        page.locator("#summary-review .review-link"),
    ]
    in_order[0].focus()
    expect(in_order[0]).to_be_focused()
    for earlier, later in pairwise(in_order):
        page.keyboard.press("Tab")
        expect(later).to_be_focused()
        assert_reads_after(page, earlier, later)
