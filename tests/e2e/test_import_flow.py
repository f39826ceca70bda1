"""Importing in the browser: upload a CSV, map a column in the preview, import, see the counts;
then retag three examples at once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_review_flow import logged_in_page

CSV = (
    "question,answer_given,gold,category\n"
    "Where is the head office?,Paris,Berlin,facts\n"
    "Reply to Dana,Dear Valued Customer,Hi Dana,tone\n"
    "Summarise the ticket,A long essay,One line,format\n"
    "Quote the refund policy,60 days,30 days,facts\n"
)


def test_upload_map_import_and_retag_three(chromium_browser, live_server, alice, project, tmp_path):
    upload = tmp_path / "failures.csv"
    upload.write_text(CSV)
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Import from a file").click()
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Preview of “failures.csv”")).to_be_visible()

    # The preview guessed the input; the PM maps the two output columns by hand.
    expect(page.locator("#id_map_input_text")).to_have_value("question")
    expect(page.locator("#import-readiness")).to_contain_text("No column is mapped to Bad output")
    page.select_option("#id_map_bad_output", "answer_given")
    expect(page.locator("#import-readiness")).to_have_text(
        re.compile("All 4 rows are ready to import.")
    )
    page.select_option("#id_map_expected_output", "gold")
    expect(page.locator(".import-preview tbody tr").first).to_contain_text("Berlin")
    page.get_by_role("button", name="Import 4 examples").click()

    expect(page.locator(".alert-success")).to_contain_text(
        "Imported 4 examples from “failures.csv”."
    )
    expect(page.locator("#example-total")).to_have_text("4")
    counts = page.locator("#failure-counts")
    expect(counts.locator('[data-failure-type="facts"] [data-count]')).to_have_text("2")
    expect(counts.locator('[data-failure-type="tone"] [data-count]')).to_have_text("1")
    expect(page.locator("[data-readiness-count]")).to_have_text("4")

    for title in ("Where is the head office?", "Reply to Dana", "Quote the refund policy"):
        page.get_by_label(f"Select {title}").check()
    page.select_option("#id_bulk_failure_type", "domain")
    page.get_by_role("button", name="Retag").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Retagged 3 examples as “Inconsistent in our specialized domain”."
    )
    expect(counts.locator('[data-failure-type="domain"] [data-count]')).to_have_text("3")
    expect(counts.locator('[data-failure-type="facts"] [data-count]')).to_have_text("0")
    expect(counts.locator('[data-failure-type="format"] [data-count]')).to_have_text("1")
    assert console_errors == []
    # Closed before the live server stops, so no keep-alive request is left open at teardown.
    page.context.close()
