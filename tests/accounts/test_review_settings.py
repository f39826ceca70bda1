"""A team's review settings: default reviewers, acceptances needed, the reminder wait. Owners
only; a form drawn before someone else saved is refused, not applied over theirs."""

from __future__ import annotations

import pytest

from decisions.accounts.models import Team


def settings_url(team) -> str:
    return f"/accounts/teams/{team.pk}/review-settings/"


def post(client, team, **overrides):
    data = {"required_acceptances": "2", "review_reminder_days": "5", "version": "1"}
    data.update(overrides)
    return client.post(settings_url(team), data)


def test_an_owner_saves_the_review_settings(client, team, alice, emily):
    client.force_login(alice)
    response = post(client, team, default_reviewers=[emily.pk], second_reviewer_required="on")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/teams/{team.pk}/#review-settings"
    team = Team.objects.get(pk=team.pk)
    assert (team.required_acceptances, team.review_reminder_days) == (2, 5)
    assert team.second_reviewer_required is True
    assert [user.username for user in team.default_reviewers.all()] == ["emily"]
    assert team.review_settings_version == 2


def test_the_defaults_are_one_acceptance_and_seven_days(team):
    assert (team.required_acceptances, team.review_reminder_days) == (1, 7)


def test_the_owner_sees_the_section_and_an_editor_does_not(client, team, alice, emily):
    client.force_login(alice)
    assert "Review of decisions" in client.get(f"/accounts/teams/{team.pk}/").content.decode()
    client.force_login(emily)
    assert "Review of decisions" not in client.get(f"/accounts/teams/{team.pk}/").content.decode()


@pytest.mark.parametrize(("username", "expected"), [("emily", 403), ("bob", 403), ("charlie", 404)])
def test_only_owners_change_the_review_settings(
    client, team, alice, bob, emily, charlie, username, expected
):
    client.force_login({"emily": emily, "bob": bob, "charlie": charlie}[username])
    assert post(client, team).status_code == expected
    assert Team.objects.get(pk=team.pk).required_acceptances == 1


def test_a_stale_form_is_refused_and_shows_what_is_saved(client, team, alice, emily):
    client.force_login(alice)
    post(client, team, required_acceptances="2")
    response = post(client, team, required_acceptances="1", version="1")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone saved newer review settings while you were editing." in page
    assert 'name="version" value="2"' in page
    assert Team.objects.get(pk=team.pk).required_acceptances == 2


def test_no_more_acceptances_than_people_who_can_give_them(client, team, alice, emily):
    client.force_login(alice)
    response = post(client, team, required_acceptances="3")
    assert response.status_code == 422
    assert (
        "This team has 2 editors and owners in all, so no revision could get 3 acceptances: "
        "ask for at most 2."
    ) in response.content.decode()
    assert post(client, team, required_acceptances="2").status_code == 302


@pytest.mark.parametrize(("days", "expected"), [("0", 422), ("1", 302), ("90", 302), ("91", 422)])
def test_the_reminder_wait_is_one_to_ninety_days(client, team, alice, days, expected):
    client.force_login(alice)
    assert post(client, team, required_acceptances="1", review_reminder_days=days).status_code == (
        expected
    )


def test_a_viewer_cannot_be_a_default_reviewer(client, team, alice, bob):
    client.force_login(alice)
    response = post(client, team, required_acceptances="1", default_reviewers=[bob.pk])
    assert response.status_code == 422
    assert list(Team.objects.get(pk=team.pk).default_reviewers.all()) == []


def test_default_reviewers_are_preselected_when_proposing(client, team, alice, emily, project):
    from tests.reports.conftest import save_decision

    client.force_login(alice)
    post(client, team, required_acceptances="1", default_reviewers=[emily.pk])
    decision = save_decision(project, alice, "prompt")
    page = client.get(f"/projects/{project.pk}/decisions/{decision.revision}/").content.decode()
    assert f'<option value="{emily.pk}" selected>emily</option>' in page
    assert f'<option value="{alice.pk}">alice</option>' in page
