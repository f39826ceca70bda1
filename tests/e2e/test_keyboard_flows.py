"""The everyday flows with the keyboard alone: Tab to a control, type, Space and Enter.

The wizard has its own (test_wizard_keyboard.py); here adding an example and, on a report,
proposing it for review and sharing a read-only link.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from decisions.evidence.models import FailedExample
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
