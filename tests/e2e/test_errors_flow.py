"""What a user sees when something goes wrong in an htmx request, in the real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_wizard_keyboard import log_in


def open_project(page, project) -> None:
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Add a failed example")).to_be_visible()


def fill_valid_example(page) -> None:
    page.fill("#id_new_title", "Invents a refund window")
    page.select_option("#id_new_failure_type", "facts")
    page.fill("#id_new_input_text", "Can I return shoes after 5 weeks?")
    page.fill("#id_new_bad_output", "Yes, 60 days.")


def test_add_example_errors_take_focus_to_a_summary_at_the_top_of_the_form(page, alice, project):
    log_in(page, "alice")
    open_project(page, project)
    page.fill("#id_new_input_text", "Only the input, nothing else")
    page.get_by_role("button", name="Add example").click()

    summary = page.locator(".form-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The example was not added: fix the 3 problems below.")
    # The summary's links lead to the fields.
    summary.get_by_role("link", name="Title").click()
    expect(page.locator("#id_new_title")).to_be_focused()
    assert not project.examples.exists()


def test_a_server_error_during_htmx_says_so_in_place(page, alice, project):
    log_in(page, "alice")
    open_project(page, project)
    page.route(re.compile(r".*/examples/add/$"), lambda route: route.fulfill(status=500))
    fill_valid_example(page)
    page.get_by_role("button", name="Add example").click()

    failure = page.locator("form .htmx-failure")
    expect(failure).to_contain_text("Something went wrong on our side (error 500)")
    expect(failure).to_be_focused()
    expect(page.locator("#id_new_title")).to_have_value("Invents a refund window")  # kept


def test_a_lost_connection_during_htmx_says_so_in_place(page, alice, project):
    log_in(page, "alice")
    open_project(page, project)
    page.route(re.compile(r".*/examples/add/$"), lambda route: route.abort())
    fill_valid_example(page)
    page.get_by_role("button", name="Add example").click()

    expect(page.locator("form .htmx-failure")).to_contain_text("Could not reach the server")

    page.unroute(re.compile(r".*/examples/add/$"))
    page.get_by_role("button", name="Add example").click()
    expect(page.locator("#example-list")).to_contain_text("Invents a refund window")
    expect(page.locator(".htmx-failure")).to_have_count(0)  # cleared once it worked


def test_an_expired_session_during_htmx_goes_to_the_login_page(page, alice, project):
    log_in(page, "alice")
    open_project(page, project)
    page.context.clear_cookies(name="sessionid")  # the session expires, the page stays open
    fill_valid_example(page)
    page.get_by_role("button", name="Add example").click()

    expect(page).to_have_url(re.compile(rf"/accounts/login/\?next=%2Fprojects%2F{project.pk}%2F$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your session has expired")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
