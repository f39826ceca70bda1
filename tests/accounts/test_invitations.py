"""Membership only by invitation, with consent: owners invite by email; the person accepts
while logged in; the link is single-use and expires; nothing reveals who has an account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from decisions.accounts.models import Invitation, Membership, Role


@pytest.fixture
def invite(client, alice, team, django_capture_on_commit_callbacks):
    """Alice invites an address; returns (response, the link from the email)."""

    def send(email="charlie@example.com", role="editor"):
        client.force_login(alice)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/accounts/teams/{team.pk}/invite/", {"email": email, "role": role}
            )
        link = None
        if mail.outbox:
            link = re.search(
                r"https://decisions\.example\.com(/accounts/invitations/[^/\s]+/)",
                mail.outbox[-1].body,
            )
        return response, link.group(1) if link else None

    return send


def test_owner_invites_by_email_and_the_task_sends_the_link(invite, team):
    response, link = invite()
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["charlie@example.com"]
    assert message.subject == "Join “Growth team” on Prompt or Model?"
    assert "as editor" in message.body and "expires in 7 days" in message.body
    invitation = Invitation.objects.get()
    assert link.split("/")[-2] not in invitation.token_hash  # only the hash is stored
    assert len(invitation.token_hash) == 64
    assert not Membership.objects.filter(team=team, user__username="charlie").exists()


def test_the_message_is_the_same_whether_or_not_the_address_has_an_account(client, invite, charlie):
    known, _ = invite("charlie@example.com")
    known_page = client.get(known["Location"]).content.decode()
    unknown, _ = invite("nobody-here@example.com")
    unknown_page = client.get(unknown["Location"]).content.decode()
    assert "Invitation sent to charlie@example.com. They join once they accept it" in known_page
    assert (
        "Invitation sent to nobody-here@example.com. They join once they accept it" in unknown_page
    )


def test_the_invited_person_accepts_while_logged_in(client, invite, charlie, team):
    _, link = invite(role="editor")
    client.force_login(charlie)
    page = client.get(link).content.decode()
    assert "Join “Growth team”?" in page and "as <strong>editor</strong>" in page
    assert not Membership.objects.filter(team=team, user=charlie).exists()  # a look is no yes
    accepted = client.post(link, {"answer": "accept"})
    assert accepted["Location"] == f"/accounts/teams/{team.pk}/"
    assert Membership.objects.get(team=team, user=charlie).role == Role.EDITOR
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == charlie and invitation.accepted_at is not None


def test_a_link_works_once(client, invite, charlie, emily, team):
    _, link = invite()
    client.force_login(charlie)
    client.post(link, {"answer": "accept"})
    client.force_login(emily)
    again = client.post(link, {"answer": "accept"})
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()


def test_an_expired_link_does_not_work(client, invite, charlie, team):
    _, link = invite()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(charlie)
    assert client.post(link, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(team=team, user=charlie).exists()


def test_a_withdrawn_invitation_does_not_work(client, invite, alice, charlie, team):
    _, link = invite()
    invitation = Invitation.objects.get()
    page = client.get(f"/accounts/teams/{team.pk}/").content.decode()
    assert "charlie@example.com" in page and "Waiting for an answer" in page
    client.post(f"/accounts/teams/{team.pk}/invitations/{invitation.pk}/revoke/")
    client.force_login(charlie)
    assert client.get(link).status_code == 404


def test_declining_joins_nothing_and_uses_the_link_up(client, invite, charlie, team):
    _, link = invite()
    client.force_login(charlie)
    client.post(link, {"answer": "decline"})
    assert not Membership.objects.filter(team=team, user=charlie).exists()
    assert client.post(link, {"answer": "accept"}).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_first(client, invite):
    _, link = invite()
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/invitations/")


def test_a_member_cannot_accept_twice(client, invite, bob, team):
    _, link = invite(email="bob@example.com", role="owner")
    client.force_login(bob)
    client.post(link, {"answer": "accept"})
    assert Membership.objects.get(team=team, user=bob).role == Role.VIEWER  # unchanged


@pytest.mark.parametrize(("username", "status"), [("bob", 403), ("emily", 403), ("charlie", 404)])
def test_only_owners_invite_and_withdraw(
    client, invite, team, bob, emily, charlie, username, status
):
    invite()
    invitation = Invitation.objects.get()
    user = {"bob": bob, "emily": emily, "charlie": charlie}[username]
    client.force_login(user)
    sent = client.post(f"/accounts/teams/{team.pk}/invite/", {"email": "x@example.com"})
    assert sent.status_code == status
    revoke = client.post(f"/accounts/teams/{team.pk}/invitations/{invitation.pk}/revoke/")
    assert revoke.status_code == status
    assert Invitation.objects.count() == 1 and Invitation.objects.get().revoked_at is None


def test_there_is_no_way_to_add_someone_without_their_consent(client, alice, team, charlie):
    client.force_login(alice)
    response = client.post(
        f"/accounts/teams/{team.pk}/members/add/",
        {"username_or_email": "charlie", "role": "owner"},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(team=team, user=charlie).exists()


def test_an_invited_person_signs_up_and_keeps_the_invitation(client, invite, team):
    _, link = invite(email="dana@example.com", role="editor")
    client.logout()
    login_page = client.get(link, follow=True).content.decode()
    signup_href = f"/accounts/signup/?next={link.replace('/', '%2F')}"
    assert f'href="{signup_href}"' in login_page

    signup_page = client.get(signup_href).content.decode()
    assert "You were invited to a team" in signup_page
    assert f'name="next" value="{link}"' in signup_page
    signed_up = client.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "next": link,
        },
    )
    assert signed_up["Location"] == link
    assert "Join “Growth team”?" in client.get(link).content.decode()
    accepted = client.post(link, {"answer": "accept"})
    assert accepted["Location"] == f"/accounts/teams/{team.pk}/"
    assert Membership.objects.get(team=team, user__username="dana").role == Role.EDITOR


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "http://testserver.evil/"]
)
def test_sign_up_ignores_a_next_to_another_site(client, db, next_url):
    page = client.get(f"/accounts/signup/?next={next_url}").content.decode()
    assert 'name="next"' not in page
    signed_up = client.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "next": next_url,
        },
    )
    assert signed_up["Location"] == "/projects/new/"
