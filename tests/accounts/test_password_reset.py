"""Password reset by e-mail: Django's views in our pages, limited per client and per address,
and the same answer whether or not an address has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from decisions.accounts.models import RequestCount

CSRF_TOKEN = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')
LINK = re.compile(r"(http://testserver)(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def without_csrf(response) -> str:
    """The page, its per-request CSRF token aside (the only part that may differ)."""
    return CSRF_TOKEN.sub("", response.content.decode())


def ask(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_the_log_in_page_offers_a_reset(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in page


def test_the_whole_flow_sets_a_new_password(client, alice):
    sent = ask(client, "alice@example.com")
    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your password on Prompt or Model?"
    assert "account alice" in message.body and "expires in 3 days" in message.body
    origin, path = LINK.search(message.body).groups()
    assert origin == "http://testserver"  # an absolute link, openable from a mail client

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done["Location"] == "/accounts/password/reset/done/"
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-passphrase")
    logged_in = client.post(
        "/accounts/login/", {"username": "alice", "password": "a-brand-new-passphrase"}
    )
    assert logged_in["Location"] == "/projects/"


def test_a_used_link_does_not_work_again(client, alice):
    ask(client, "alice@example.com")
    _, path = LINK.search(mail.outbox[0].body).groups()
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "a-brand-new-pass", "new_password2": "a-brand-new-pass"})
    again = client.get(path, follow=True).content.decode()
    assert "This link does not work" in again


def test_known_and_unknown_addresses_get_the_same_answer(client, alice):
    known = ask(client, "alice@example.com")
    unknown = ask(client, "nobody-here@example.com")
    assert (known.status_code, known["Location"]) == (302, "/accounts/password/reset/sent/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/accounts/password/reset/sent/")
    assert without_csrf(client.get(known["Location"])) == without_csrf(
        client.get(unknown["Location"])
    )
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]  # only the account's owner


def test_addresses_match_whatever_their_case(client, alice):
    ask(client, "Alice@Example.COM")
    assert len(mail.outbox) == 1


def test_three_links_an_hour_per_address_then_the_limit_is_stated(client, alice):
    for _ in range(3):
        assert ask(client, "alice@example.com").status_code == 302
    refused = ask(client, "ALICE@example.com")
    assert refused.status_code == 429
    assert "at most 3 reset links an hour to one e-mail address" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_address_limit_counts_unknown_addresses_too(client, db):
    for _ in range(3):
        assert ask(client, "nobody-here@example.com").status_code == 302
    assert ask(client, "nobody-here@example.com").status_code == 429


def test_ten_requests_an_hour_per_client_then_the_limit_is_stated(client, db):
    for number in range(10):
        assert ask(client, f"person{number}@example.com").status_code == 302
    refused = ask(client, "person10@example.com")
    assert refused.status_code == 429
    assert "accept 10 reset requests an hour from one network address" in (refused.content.decode())


def test_the_counts_keep_no_address_in_clear(client, db):
    ask(client, "nobody-here@example.com")
    buckets = list(RequestCount.objects.values_list("bucket", flat=True))
    assert not any("nobody-here" in bucket for bucket in buckets)
    assert len(buckets) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/MQ/bad-token/",
    ],
)
def test_the_reset_pages_need_no_log_in(client, db, path):
    assert client.get(path, follow=True).status_code == 200


def test_a_reset_request_needs_csrf(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/password/reset/", {"email": "a@example.com"}).status_code == 403
