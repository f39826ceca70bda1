from __future__ import annotations

from django.contrib.auth import get_user_model

from decisions.accounts.models import Membership, Role


def test_signup_creates_user_with_personal_team_and_logs_in(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects/new/"
    user = get_user_model().objects.get(username="dana")
    membership = Membership.objects.get(user=user)
    assert membership.team.is_personal
    assert membership.role == Role.OWNER
    assert client.get("/projects/").context["user"] == user


def test_signup_refuses_weak_password_and_saves_nothing(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "dana", "email": "dana@example.com", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 422
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.filter(username="dana").exists()


def test_login_and_logout(client, alice):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/projects/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/projects/").status_code == 302


def test_change_password(client, alice):
    from tests.conftest import PASSWORD

    client.force_login(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-passphrase")


def test_a_long_username_is_refused_with_its_limit_not_cut(client, db):
    page = client.get("/accounts/signup/").content.decode()
    assert "maxlength" not in page
    response = client.post(
        "/accounts/signup/",
        {
            "username": "u" * 151,
            "email": "long@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 422
    assert "This is 151 characters long; the limit is 150." in response.content.decode()
