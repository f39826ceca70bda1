"""A promptfoo results file in the browser: the preview names the source and offers only the
failing rows (ticked); unticking counts every row; the import leaves out the passing ones.
Then an imported chat example reads as a conversation, on a phone's width too."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.test_review_flow import logged_in_page

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def upload(page, project, name: str) -> None:
    page.goto(f"/projects/{project.pk}/import/")
    page.set_input_files("#id_file", str(FIXTURES / name))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name=f"Preview of “{name}”")).to_be_visible()


def test_only_the_failing_promptfoo_results_are_imported(
    chromium_browser, live_server, alice, project
):
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    upload(page, project, "promptfoo_results.jsonl")
    expect(page.get_by_text("promptfoo results (eval --output)")).to_be_visible()
    only_failing = page.get_by_label("Only the failing rows")
    expect(only_failing).to_be_checked()
    expect(page.locator("#only-failing-help")).to_contain_text("Leaves out 2 passing rows of 4.")
    expect(page.locator("#import-readiness")).to_have_text(
        re.compile("All 2 failing rows are ready to import.")
    )

    only_failing.uncheck()
    expect(page.get_by_role("button", name="Import 4 examples")).to_be_visible()
    only_failing.check()
    page.get_by_role("button", name="Import 2 examples").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Imported 2 examples from “promptfoo_results.jsonl”. Left out 2 passing rows."
    )
    expect(page.locator("#example-total")).to_have_text("2")
    assert console_errors == []
    page.context.close()


def test_a_chat_example_reads_as_a_conversation_on_a_phone(
    chromium_browser, live_server, alice, project
):
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    upload(page, project, "openai_chat.jsonl")
    page.get_by_role("button", name="Import 3 examples").click()
    expect(page.locator(".alert-success")).to_contain_text("Imported 3 examples")
    example = project.examples.order_by("pk")[1]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/projects/{project.pk}/examples/{example.pk}/")
    turns = page.locator(".chat-turn")
    expect(turns).to_have_count(4)
    expect(turns.nth(0).locator(".chat-role")).to_have_text("System")
    expect(turns.nth(3)).to_contain_text("Can you be more sarcastic?")
    # Nothing wider than the phone: the turns wrap.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.context.close()
