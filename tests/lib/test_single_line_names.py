"""Names are one line. A line break in one passed the form, then every e-mail about it failed
(a header holds no line break) while the page said it was sent: the forms refuse it now."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from decisions.accounts.models import Team
from decisions.evidence.models import PromptTrial
from decisions.projects.models import Project

ONE_LINE = "This is one line of text: remove the line break."
BREAKS = ["Email\ndrafter", "Email\r\ndrafter", "Email\rdrafter", "Email\u2028drafter"]


def project_data(team, owner, name) -> dict:
    return {"name": name, "team": team.pk, "use_case": "task", "owner": owner.pk, "version": 1}


@pytest.mark.parametrize("name", BREAKS)
def test_a_project_name_with_a_line_break_is_refused(client, alice, team, name):
    client.force_login(alice)
    response = client.post("/projects/new/", project_data(team, alice, name))
    assert response.status_code == 422
    assert ONE_LINE in response.content.decode()
    assert not Project.objects.exists()


def test_a_project_renamed_with_a_line_break_is_refused(client, alice, team, project):
    client.force_login(alice)
    edit = client.post(f"/projects/{project.pk}/edit/", project_data(team, alice, "Email\ndrafter"))
    assert edit.status_code == 422
    assert ONE_LINE in edit.content.decode()
    assert Project.objects.get().name == "Email drafter"


def test_a_project_name_with_spaces_and_tabs_is_kept(client, alice, team):
    client.force_login(alice)
    response = client.post("/projects/new/", project_data(team, alice, "Email\tdrafter v2"))
    assert response.status_code == 302
    assert Project.objects.get().name == "Email\tdrafter v2"


def test_a_team_name_with_a_line_break_is_refused(client, alice, team):
    client.force_login(alice)
    created = client.post("/accounts/teams/", {"name": "Support\nteam"})
    renamed = client.post(f"/accounts/teams/{team.pk}/rename/", {"name": "Growth\nteam"})
    assert (created.status_code, renamed.status_code) == (422, 422)
    assert ONE_LINE in created.content.decode()
    assert ONE_LINE in renamed.content.decode()
    assert Team.objects.get(pk=team.pk).name == "Growth team"
    assert not Team.objects.filter(name="Support\nteam").exists()


def test_a_trial_label_with_a_line_break_is_refused(client, alice, project):
    client.force_login(alice)
    data = {
        "trial-label": "v1\nfew-shot",
        "trial-model_name": "gpt-x",
        "trial-on_current_model": "on",
        "trial-run_on": "2026-11-01",
        "trial-cases": "10",
        "trial-passed": "8",
    }
    response = client.post(f"/projects/{project.pk}/trials/add/", data)
    assert response.status_code == 422
    assert ONE_LINE in response.content.decode()
    assert not PromptTrial.objects.exists()


def test_a_username_with_a_line_break_is_refused(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "da\nna",
            "email": "dana@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 422
    assert "Enter a valid username." in response.content.decode()
    assert not get_user_model().objects.exists()
