from __future__ import annotations

import pytest

from decisions.accounts.models import Membership, Role, Team


def test_create_team_makes_creator_owner(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/teams/", {"name": "Support AI"})
    team = Team.objects.get(name="Support AI")
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=alice).role == Role.OWNER


def test_owner_renames_team(client, alice, team):
    client.force_login(alice)
    client.post(f"/accounts/teams/{team.pk}/rename/", {"name": "Renamed"})
    team.refresh_from_db()
    assert team.name == "Renamed"


def test_owner_changes_role(client, alice, team, bob):
    client.force_login(alice)
    member = Membership.objects.get(team=team, user=bob)
    client.post(f"/accounts/teams/{team.pk}/members/{member.pk}/role/", {"role": "editor"})
    member.refresh_from_db()
    assert member.role == Role.EDITOR


def test_last_owner_cannot_leave_or_be_demoted(client, alice, team):
    client.force_login(alice)
    own = Membership.objects.get(team=team, user=alice)
    response = client.post(f"/accounts/teams/{team.pk}/members/{own.pk}/remove/", follow=True)
    assert "at least one owner" in response.content.decode()
    client.post(f"/accounts/teams/{team.pk}/members/{own.pk}/role/", {"role": "viewer"})
    own.refresh_from_db()
    assert own.role == Role.OWNER
    assert Membership.objects.filter(pk=own.pk).exists()


def test_owner_can_leave_when_another_owner_remains(client, alice, team, bob):
    Membership.objects.filter(team=team, user=bob).update(role=Role.OWNER)
    client.force_login(alice)
    own = Membership.objects.get(team=team, user=alice)
    response = client.post(f"/accounts/teams/{team.pk}/members/{own.pk}/remove/")
    assert response["Location"] == "/accounts/teams/"
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_viewer_can_leave_but_not_remove_others(client, team, bob, emily):
    client.force_login(bob)
    other = Membership.objects.get(team=team, user=emily)
    assert client.post(f"/accounts/teams/{team.pk}/members/{other.pk}/remove/").status_code == 403
    own = Membership.objects.get(team=team, user=bob)
    client.post(f"/accounts/teams/{team.pk}/members/{own.pk}/remove/")
    assert not Membership.objects.filter(pk=own.pk).exists()


def team_urls(team, member):
    return [
        ("get", f"/accounts/teams/{team.pk}/", {}),
        ("post", f"/accounts/teams/{team.pk}/rename/", {"name": "x"}),
        ("post", f"/accounts/teams/{team.pk}/invite/", {"email": "x@example.com"}),
        ("post", f"/accounts/teams/{team.pk}/members/{member.pk}/role/", {"role": "owner"}),
    ]


def test_stranger_gets_404_on_every_team_url(client, team, charlie, alice):
    client.force_login(charlie)
    member = Membership.objects.get(team=team, user=alice)
    for method, url, data in team_urls(team, member):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert client.post(f"/accounts/teams/{team.pk}/members/{member.pk}/remove/").status_code == 404


@pytest.mark.parametrize("username", ["bob", "emily"])
def test_only_owners_manage_members(client, team, bob, emily, alice, username):
    client.force_login(bob if username == "bob" else emily)
    member = Membership.objects.get(team=team, user=alice)
    for method, url, data in team_urls(team, member)[1:]:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert client.get(f"/accounts/teams/{team.pk}/").status_code == 200
