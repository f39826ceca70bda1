"""Bulk work in the browser: on page 2 of a filtered table, "select all 60 matching" retags
every one of them, and the page comes back to page 2 of the same filters with the message in
view at the top of the table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from decisions.evidence.models import FailedExample
from tests.e2e.test_review_flow import logged_in_page


@pytest.fixture
def sixty_high(project):
    FailedExample.objects.bulk_create(
        [
            FailedExample(
                project=project,
                title=f"Example {n:02}",
                input_text="in",
                bad_output="out",
                failure_type="tone",
                severity="high",
            )
            for n in range(60)
        ]
        + [
            FailedExample(
                project=project,
                title="Low one",
                input_text="in",
                bad_output="out",
                failure_type="tone",
                severity="low",
            )
        ]
    )


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)])
def test_select_all_matching_retags_every_page_and_returns_with_the_message_in_view(
    chromium_browser, live_server, alice, project, sixty_high, viewport
):
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"/projects/{project.pk}/?severity=high&sort=title&page=2#example-table")
    expect(page.locator("#example-matching")).to_contain_text("60 of 61 examples match.")
    expect(page.locator("#example-matching")).to_contain_text("Page 2 of 3.")

    page.get_by_label("Select all 60 matching these filters, on every page").check()
    page.select_option("#id_bulk_failure_type", "format")
    page.get_by_role("button", name="Retag").click()

    message = page.locator("#example-table .table-message")
    expect(message).to_have_text("Retagged 60 examples as “Format, structure or length is wrong”.")
    expect(message).to_be_in_viewport()
    expect(page).to_have_url(
        f"{live_server.url}/projects/{project.pk}/?severity=high&sort=title&page=2#example-table"
    )
    expect(page.locator("#example-matching")).to_contain_text("Page 2 of 3.")
    assert project.examples.filter(failure_type="format").count() == 60
    assert project.examples.get(title="Low one").failure_type == "tone"
    page.context.close()
