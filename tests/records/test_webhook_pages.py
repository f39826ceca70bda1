"""The team's webhook pages: owners only, the secret and the URL never shown in full again,
editing keeps them unless new ones are typed, and the log shows the receivers' answers."""

from __future__ import annotations

import pytest
from django.test import Client

from decisions.records.models import WebhookAttempt, WebhookDelivery, WebhookTarget

SECRET = "0123456789abcdef-wxyz"
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXSECRETPATH"


def form(**overrides) -> dict:
    data = {
        "name": "#ai-decisions",
        "url": SLACK_URL,
        "format": "slack",
        "secret": SECRET,
        "events": ["review.proposed", "comment.added"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def target(team, alice):
    return WebhookTarget.objects.create(
        team=team,
        name="#ai-decisions",
        url=SLACK_URL,
        format="slack",
        secret=SECRET,
        events=["comment.added"],
        created_by=alice,
    )


def list_url(team) -> str:
    return f"/teams/{team.pk}/webhooks/"


def page_url(target) -> str:
    return f"/teams/{target.team_id}/webhooks/{target.pk}/"


def test_the_owner_adds_a_webhook_and_lands_on_its_page(client, team, alice):
    client.force_login(alice)
    response = client.post(list_url(team), form())

    target = WebhookTarget.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_url(target)
    assert (target.name, target.url, target.format, target.secret, target.events) == (
        "#ai-decisions",
        SLACK_URL,
        "slack",
        SECRET,
        ["review.proposed", "comment.added"],
    )
    assert target.created_by == alice


def test_neither_the_secret_nor_the_url_path_is_shown_after_saving(client, target, alice):
    client.force_login(alice)
    for url in (list_url(target.team), page_url(target)):
        html = client.get(url).content.decode()
        assert SECRET not in html
        assert "SECRETPATH" not in html
        assert "https://hooks.slack.com/…" in html
    assert "ending <code>…wxyz</code>" in client.get(page_url(target)).content.decode()


def test_editing_with_empty_url_and_secret_keeps_both(client, target, alice):
    client.force_login(alice)
    response = client.post(
        page_url(target), form(name="Renamed", url="", secret="", events=["step.assigned"])
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.url, target.secret, target.events) == (
        "Renamed",
        SLACK_URL,
        SECRET,
        ["step.assigned"],
    )


def test_editing_with_a_new_secret_replaces_it(client, target, alice):
    client.force_login(alice)
    client.post(page_url(target), form(url="", secret="a-brand-new-secret-value"))
    target.refresh_from_db()
    assert target.secret == "a-brand-new-secret-value"


@pytest.mark.parametrize(("secret", "saved"), [("x" * 15, False), ("x" * 16, True)])
def test_a_secret_needs_16_characters(client, team, alice, secret, saved):
    client.force_login(alice)
    response = client.post(list_url(team), form(secret=secret))
    assert WebhookTarget.objects.exists() is saved
    if not saved:
        assert response.status_code == 422
        assert "The secret is 15 characters long; use at least 16." in response.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
        ("http://[::1]/hook", "[::1] is a loopback address"),
        ("http://localhost:8080/hook", "localhost is a loopback address"),
        ("http://169.254.169.254/", "169.254.169.254 is a link-local address"),
        ("ftp://example.com/hook", "Use an http or https address."),
        ("https://user:pw@example.com/hook", "Leave the user name and password out of the URL"),
    ],
)
def test_an_address_typed_as_internal_is_refused_when_saving(client, team, alice, url, message):
    client.force_login(alice)
    response = client.post(list_url(team), form(url=url))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not WebhookTarget.objects.exists()


def test_an_internal_address_may_be_saved_when_the_setting_allows_it(client, team, alice, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client.force_login(alice)
    client.post(list_url(team), form(url="http://10.0.0.1/hook"))
    assert WebhookTarget.objects.get().url == "http://10.0.0.1/hook"


def test_an_unknown_event_is_refused(client, team, alice):
    client.force_login(alice)
    response = client.post(list_url(team), form(events=["project.deleted"]))
    assert response.status_code == 422
    assert "Select a valid choice. project.deleted is not one of the available choices." in (
        response.content.decode()
    )


def test_the_owner_deletes_a_webhook_and_its_log(client, target, alice):
    WebhookDelivery.objects.create(target=target, kind="webhook.test", payload="{}")
    client.force_login(alice)
    response = client.post(f"{page_url(target)}delete/")
    assert response.status_code == 302
    assert response["Location"] == list_url(target.team)
    assert WebhookTarget.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def test_the_log_shows_each_answer_escaped_with_its_attempt(client, target, alice):
    delivery = WebhookDelivery.objects.create(
        target=target, kind="comment.added", payload="{}", status="failed", attempts=4
    )
    WebhookAttempt.objects.create(
        delivery=delivery, number=4, status_code=500, response_excerpt="<b>oops</b>"
    )
    client.force_login(alice)

    html = client.get(page_url(target)).content.decode()

    assert "&lt;b&gt;oops&lt;/b&gt;" in html
    assert "attempt 4 of 4" in html
    assert "Gave up: no more attempts." in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_stranger_gets_404(client, target, charlie, method):
    client.force_login(charlie)
    for url in (list_url(target.team), page_url(target)):
        assert getattr(client, method)(url, form()).status_code == 404


@pytest.mark.parametrize("who", ["bob", "emily"])
def test_viewers_and_editors_get_403(client, target, request, who):
    """Sending a team's decisions out of the app is an owner's call."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(target.team)).status_code == 403
    assert client.get(page_url(target)).status_code == 403
    assert client.post(f"{page_url(target)}test/").status_code == 403
    assert client.post(f"{page_url(target)}delete/").status_code == 403
    assert WebhookTarget.objects.count() == 1


def test_a_target_of_another_team_is_404_to_an_owner_of_this_one(client, target, charlie):
    """charlie owns a team of his own; alice's target under his team id is not found."""
    other_team = charlie.teams.get()
    client.force_login(charlie)
    response = client.get(f"/teams/{other_team.pk}/webhooks/{target.pk}/")
    assert response.status_code == 404


def test_a_post_without_the_csrf_token_is_refused(team, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(list_url(team), form()).status_code == 403
    assert not WebhookTarget.objects.exists()


def test_the_team_page_links_webhooks_for_owners_only(client, team, alice, emily):
    client.force_login(alice)
    assert (
        f'href="/teams/{team.pk}/webhooks/"'
        in client.get(f"/accounts/teams/{team.pk}/").content.decode()
    )
    client.force_login(emily)
    assert (
        f'href="/teams/{team.pk}/webhooks/"'
        not in client.get(f"/accounts/teams/{team.pk}/").content.decode()
    )


def test_no_template_syntax_leaks_into_the_webhook_pages(client, target, alice):
    client.force_login(alice)
    for url in (list_url(target.team), page_url(target)):
        html = client.get(url).content.decode()
        assert "{#" not in html and "{%" not in html and "{{" not in html, url
