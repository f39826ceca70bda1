"""The webhook pages in the browser: an owner adds a target, sends a test to a local receiver
and reads its answer in the log; axe finds nothing serious, and a phone's width holds."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_review_flow import logged_in_page
from tests.records import receiver as local


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    found, server = local.start()
    yield found
    server.shutdown()
    server.server_close()


# `project`: the log-in helper waits for the project list, which an empty team does not show.
def test_an_owner_adds_a_webhook_sends_a_test_and_reads_the_answer(
    chromium_browser, live_server, alice, team, project, receiver
):
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    page.goto(f"/accounts/teams/{team.pk}/")
    page.get_by_role("link", name="Webhooks").click()
    page.fill("#id_name", "Release tracker")
    page.fill("#id_url", receiver.url)
    page.get_by_label("Generic JSON: event, project, revision, actor, url, timestamp").check()
    page.fill("#id_secret", "a-secret-of-twenty-chars")
    page.get_by_role("button", name="Add webhook").click()

    expect(page.get_by_role("heading", name="Release tracker", level=1)).to_be_visible()
    expect(page.get_by_text("a-secret-of-twenty-chars")).to_have_count(0)
    page.get_by_role("button", name="Send test").click()

    entry = page.locator(".webhook-log li").first
    expect(entry).to_contain_text("200")
    expect(entry).to_contain_text("webhook.test")
    expect(entry).to_contain_text("attempt 1 of 4")
    [request] = receiver.requests
    assert json.loads(request.body)["event"] == "webhook.test"
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_webhook_pages_have_no_serious_violation_and_fit_the_screen(
    chromium_browser, live_server, alice, team, project, width
):
    from decisions.records.models import WebhookAttempt, WebhookDelivery, WebhookTarget

    target = WebhookTarget.objects.create(
        team=team,
        name="#ai-decisions",
        url="https://hooks.slack.com/services/T000/B000/" + "X" * 60,
        format="slack",
        secret="0123456789abcdef",
        events=["comment.added"],
    )
    delivery = WebhookDelivery.objects.create(target=target, kind="comment.added", payload="{}")
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, status_code=503, response_excerpt="busy " + "y" * 495
    )
    page = logged_in_page(chromium_browser, live_server.url, "alice")
    page.set_viewport_size({"width": width, "height": 900})
    for url in (f"/teams/{team.pk}/webhooks/", f"/teams/{team.pk}/webhooks/{target.pk}/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert blocking_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    page.context.close()
