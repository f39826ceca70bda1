"""Limits that hold: atomic counters, the client address behind trusted proxies, log-in and
sign-up limits with messages a person understands, sessions that end."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import RequestFactory

from decisions.accounts.middleware import LOGIN_AT, SEEN_AT
from decisions.accounts.ratelimit import hit
from decisions.lib.clients import client_address
from tests.conftest import PASSWORD


# SQLite serialises every write; its in-memory test database refuses concurrent writers
# outright instead of queueing them, so the race is run where it can happen.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_each_get_their_own_count():
    counts = []
    lock = threading.Lock()
    start = threading.Barrier(30)

    def client():
        start.wait()
        try:
            mine = [hit("share:203.0.113.9", 60) for _ in range(3)]
        finally:
            connection.close()
        with lock:
            counts.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 90 requests, 90 distinct counts: a limit of 30 lets exactly 30 through.
    assert sorted(counts) == list(range(1, 91))


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no proxy trusted: the header proves nothing
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own entry is ignored
        (2, "198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.2"),  # fewer hops than configured: not through them
    ],
)
def test_client_address_behind_trusted_proxies(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_one_visitor_does_not_lock_out_the_others(settings, client, project, alice):
    from tests.reports.conftest import save_decision
    from tests.reports.test_share import create_link, token_from

    decision = save_decision(project, alice, "prompt")
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(decision.created_by)
    token = token_from(create_link(client, decision))
    client.logout()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(30):
        client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert (
        client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    )
    other = client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 200


def log_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_with_a_message(client, alice):
    for _ in range(4):
        assert log_in(client, "alice", "wrong").status_code == 200
    locked = log_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "pause for 15 minutes" in locked.content.decode()
    # The right password does not get in while the account is locked, from anywhere.
    right = log_in(client, "alice", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_many_accounts_lock_the_address(client, alice, bob):
    for number in range(5):
        log_in(client, f"nobody{number}", "wrong", REMOTE_ADDR="203.0.113.5")
    assert log_in(client, "bob", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert log_in(client, "bob", PASSWORD, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_admin_login_is_limited_too(client, alice):
    for _ in range(5):
        client.post("/admin/login/", {"username": "alice", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429


def test_a_right_password_resets_the_count(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "alice", "wrong").status_code == 200


def test_signups_per_address_are_limited(client, db):
    for number in range(20):
        client.post("/accounts/signup/", {"username": f"user{number}"})
    limited = client.post("/accounts/signup/", {"username": "one-more"})
    assert limited.status_code == 429
    assert "20 sign-up attempts an hour" in limited.content.decode()


def test_idle_session_ends_after_a_day(client, alice, project):
    client.force_login(alice)
    session = client.session
    session[SEEN_AT] = time.time() - 24 * 3600 - 5
    session.save()
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    login_page = client.get(response["Location"]).content.decode()
    assert "logged out after a day without activity" in login_page


def test_session_ends_two_weeks_after_login_however_active(client, alice, project):
    client.force_login(alice)
    session = client.session
    session[LOGIN_AT] = time.time() - 14 * 24 * 3600 - 5
    session[SEEN_AT] = time.time()
    session.save()
    assert client.get(f"/projects/{project.pk}/").status_code == 302


def test_an_active_session_goes_on(client, alice, project):
    client.force_login(alice)
    session = client.session
    session[SEEN_AT] = time.time() - 23 * 3600
    session.save()
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert client.session[SEEN_AT] > time.time() - 60  # the activity was recorded
