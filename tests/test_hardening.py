"""The audit's smaller findings, and the tests a mutation run showed were missing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from decisions.accounts.models import Membership, Role, Team
from decisions.accounts.services import member_set_role, team_create
from decisions.projects.models import Project
from decisions.reports.models import ShareLink
from decisions.wizard.models import WizardRun
from decisions.wizard.services import StaleRun, run_answer
from tests.conftest import example_post_data
from tests.reports.conftest import save_decision
from tests.reports.test_share import create_link

HTMX = {"HX-Request": "true"}
TOO_BIG = 2**63  # one more than the largest 64-bit id


def test_ids_too_large_for_the_database_are_404_not_500(client, alice, project):
    client.force_login(alice)
    for url in [
        f"/projects/{TOO_BIG}/",
        f"/projects/{project.pk}/examples/{TOO_BIG}/",
        f"/projects/{project.pk}/decisions/{TOO_BIG}/",
        f"/wizard/runs/{TOO_BIG}/",
        f"/accounts/teams/{TOO_BIG}/",
        f"/projects/{10**30}/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/projects/{2**63 - 1}/").status_code == 404  # the largest still parses


def test_a_viewer_htmx_get_of_a_report_gets_no_share_panel(client, alice, bob, project):
    save_decision(project, alice, "prompt")
    client.force_login(bob)
    html = client.get(f"/projects/{project.pk}/decisions/1/", headers=HTMX).content.decode()
    assert 'id="share-panel"' not in html and "Create link" not in html


def test_invalid_new_team_form_answers_422(client, alice):
    client.force_login(alice)
    assert client.post("/accounts/teams/", {"name": ""}).status_code == 422


def test_the_csrf_cookie_is_http_only(client, db):
    client.get("/accounts/login/")
    assert client.cookies["csrftoken"]["httponly"] is True


@pytest.mark.parametrize(
    ("env", "starts"),
    [({"DEBUG": "false"}, False), ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, True)],
)
def test_a_server_refuses_to_start_without_a_secret_key(env, starts):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    done = subprocess.run(
        [sys.executable, "-c", "import decisions.wsgi"],
        cwd=Path(__file__).resolve().parents[1],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "decisions.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode == 0) is starts, done.stderr
    if not starts:
        assert "Refusing to start with DEBUG=false and no SECRET_KEY" in done.stderr


def test_bidi_controls_are_stripped_from_names_and_titles(client, alice, team, project):
    client.force_login(alice)
    client.post("/accounts/teams/", {"name": "Team\u202egnp.exe"})
    assert Team.objects.filter(name="Teamgnp.exe").exists()
    client.post(
        f"/projects/{project.pk}/examples/add/", example_post_data(title="Ref\u2066und\u2069s")
    )
    assert project.examples.get().title == "Refunds"
    decision = save_decision(project, alice, "prompt")
    create_link(client, decision, label="Board\u202b")
    assert ShareLink.objects.get().label == "Board"
    # Right-to-left letters themselves stay.
    client.post("/accounts/teams/", {"name": "فريق الدعم"})
    assert Team.objects.filter(name="فريق الدعم").exists()


class TestMovingAProject:
    def edit(self, client, project, team):
        return client.post(
            f"/projects/{project.pk}/edit/",
            {
                "name": project.name,
                "team": team.pk,
                "use_case": "task",
                "owner": project.owner_id,
                "version": project.version,
            },
        )

    def test_an_editor_cannot_move_a_project_into_a_team_they_own(
        self, client, team, emily, project
    ):
        own_team = Team.objects.get(memberships__user=emily, is_personal=True)
        client.force_login(emily)
        form = client.get(f"/projects/{project.pk}/edit/").content.decode()
        assert "Only an owner of this team can move the project" in form
        self.edit(client, project, own_team)
        project.refresh_from_db()
        assert project.team_id == team.pk

    def test_an_owner_cannot_move_it_into_a_team_they_only_edit(
        self, client, alice, charlie, project
    ):
        other = team_create(user=charlie, name="Charlie's team")
        Membership.objects.create(team=other, user=alice, role=Role.EDITOR)
        client.force_login(alice)
        assert self.edit(client, project, other).status_code == 422
        assert Project.objects.get(pk=project.pk).team_id == project.team_id

    def test_an_owner_of_both_teams_moves_it(self, client, alice, project):
        other = team_create(user=alice, name="Second team")
        client.force_login(alice)
        assert self.edit(client, project, other).status_code == 302
        assert Project.objects.get(pk=project.pk).team_id == other.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(alice, team, bob):
    Membership.objects.filter(team=team, user=bob).update(role=Role.OWNER)
    memberships = list(Membership.objects.filter(team=team, role=Role.OWNER))
    assert len(memberships) == 2
    start = threading.Barrier(2)
    refused = []

    def demote(membership):
        start.wait()
        try:
            member_set_role(membership=membership, role=Role.EDITOR)
        except ValidationError:
            refused.append(membership.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 1
    assert Membership.objects.filter(team=team, role=Role.OWNER).count() == 1


def test_revoking_through_one_decision_cannot_reach_another_decisions_link(client, alice, project):
    first = save_decision(project, alice, "prompt")
    second = save_decision(project, alice, "context")
    client.force_login(alice)
    create_link(client, second)
    other_link = ShareLink.objects.get(decision=second)
    response = client.post(f"/projects/{project.pk}/decisions/1/share/{other_link.pk}/revoke/")
    assert response.status_code == 404
    assert ShareLink.objects.get(pk=other_link.pk).revoked_at is None
    assert first.share_links.count() == 0


def test_changing_a_member_through_one_team_cannot_reach_another_team(client, alice, charlie):
    mine = team_create(user=alice, name="Mine")
    theirs = team_create(user=charlie, name="Theirs")
    their_owner = Membership.objects.get(team=theirs, user=charlie)
    client.force_login(alice)
    role = client.post(
        f"/accounts/teams/{mine.pk}/members/{their_owner.pk}/role/", {"role": "viewer"}
    )
    remove = client.post(f"/accounts/teams/{mine.pk}/members/{their_owner.pk}/remove/")
    assert (role.status_code, remove.status_code) == (404, 404)
    assert Membership.objects.get(pk=their_owner.pk).role == Role.OWNER


def test_a_stale_in_memory_run_cannot_overwrite_a_newer_answer(project, alice, emily):
    stale = WizardRun.objects.create(project=project, created_by=alice)
    fresh = WizardRun.objects.get(pk=stale.pk)
    run_answer(
        run=fresh, node_id="symptom", option_id="facts", note="", expected_version=1, user=emily
    )
    # `stale` still believes it is at version 1, and so does the form it came from.
    with pytest.raises(StaleRun):
        run_answer(
            run=stale, node_id="symptom", option_id="tone", note="", expected_version=1, user=alice
        )
    saved = WizardRun.objects.get(pk=stale.pk)
    assert saved.answers["symptom"]["option"] == "facts" and saved.version == 2
