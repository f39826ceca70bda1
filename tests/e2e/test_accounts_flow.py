"""In the browser: an invited person without an account signs up on the way and lands on the
team page; a forgotten password is reset from the log-in page by e-mail."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import invitation_create


def test_an_invited_person_signs_up_and_joins_the_team(page, live_server, alice, team):
    _, token = invitation_create(
        team=team, email="dana@example.com", role="editor", invited_by=alice
    )
    page.goto(f"/accounts/invitations/{token}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("link", name="Create an account").click()
    expect(page.locator("#signup-invitation")).to_contain_text("You were invited to a team")
    page.fill("#id_username", "dana")
    page.fill("#id_email", "dana@example.com")
    page.fill("#id_password1", "a-long-enough-passphrase")
    page.fill("#id_password2", "a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Join “Growth team”?")).to_be_visible()
    expect(page.get_by_text("You are logged in as dana")).to_be_visible()
    page.get_by_role("button", name="Accept and join").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/teams/{team.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("You joined Growth team as Editor.")
    assert Membership.objects.get(team=team, user__username="dana").role == Role.EDITOR


def test_a_forgotten_password_is_reset_by_email(page, live_server, alice):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.fill("#id_email", "alice@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.fill("#id_new_password1", "a-brand-new-passphrase")
    page.fill("#id_new_password2", "a-brand-new-passphrase")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Your new password is set")).to_be_visible()

    page.get_by_role("link", name="Log in").last.click()
    page.fill("#id_username", "alice")
    page.fill("#id_password", "a-brand-new-passphrase")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()
