from __future__ import annotations

from playwright.sync_api import expect


def count_of(page, failure_type: str):
    return page.locator(f'#failure-counts [data-failure-type="{failure_type}"] [data-count]')


def add_example(page, title: str, failure_type: str) -> None:
    page.fill("#id_new_title", title)
    page.select_option("#id_new_failure_type", failure_type)
    page.fill("#id_new_input_text", "Write a reply to Dana about the refund.")
    page.fill("#id_new_bad_output", "Refunds are instant.")
    page.get_by_label("Clear, specific instructions").check()
    page.get_by_role("button", name="Add example").click()
    expect(page.locator("#example-list")).to_contain_text(title)


def test_sign_up_create_project_and_add_examples_with_htmx(page, transactional_db):
    page.goto("/accounts/signup/")
    page.fill("#id_username", "dana")
    page.fill("#id_email", "dana@example.com")
    page.fill("#id_password1", "a-long-enough-passphrase")
    page.fill("#id_password2", "a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="New project")).to_be_visible()
    page.fill("#id_name", "Support bot")
    page.select_option("#id_use_case", "knowledge")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Support bot")).to_be_visible()

    # A marker on window survives only if the page is never reloaded.
    page.evaluate("window.notReloaded = true")
    expect(count_of(page, "facts")).to_have_text("0")
    add_example(page, "Invents a 60-day window", "facts")
    expect(count_of(page, "facts")).to_have_text("1")
    add_example(page, "Too chatty", "tone")
    expect(count_of(page, "tone")).to_have_text("1")
    expect(count_of(page, "facts")).to_have_text("1")
    expect(page.locator("#example-total")).to_have_text("2")
    assert page.evaluate("window.notReloaded") is True
    assert page.console_errors == []
