from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions.accounts.services import team_create
from decisions.projects.models import Project
from tests.conftest import make_example


def project_data(team, owner, **overrides):
    data = {
        "name": "Support bot",
        "team": team.pk,
        "description": "Answers refund questions.",
        "use_case": "knowledge",
        "model_in_use": "Llama 3.1 8B",
        "owner": owner.pk,
    }
    data.update(overrides)
    return data


def test_create_project(client, alice, team):
    client.force_login(alice)
    response = client.post("/projects/new/", project_data(team, alice))
    project = Project.objects.get(name="Support bot")
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.team == team and project.owner == alice


def test_create_refuses_other_teams_team_id(client, alice, charlie):
    client.force_login(alice)
    foreign_team = team_create(user=charlie, name="Charlie's secret team")
    response = client.post("/projects/new/", project_data(foreign_team, alice))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Project.objects.exists()


def test_create_refuses_owner_outside_team(client, alice, team, charlie):
    client.force_login(alice)
    response = client.post("/projects/new/", project_data(team, charlie))
    assert not Project.objects.exists()
    assert response.status_code == 422


def test_create_refuses_team_where_user_is_only_viewer(client, alice, team, bob):
    client.force_login(bob)
    response = client.post("/projects/new/", project_data(team, bob))
    assert not Project.objects.filter(team=team).exists()
    assert "Select a valid choice" in response.content.decode()


def test_name_length_limit(client, alice, team):
    client.force_login(alice)
    response = client.post("/projects/new/", project_data(team, alice, name="x" * 201))
    assert "This is 201 characters long; the limit is 200." in (response.content.decode())
    assert not Project.objects.exists()


def test_edit_project(client, alice, project):
    client.force_login(alice)
    data = project_data(project.team, alice, name="Renamed", version=project.version)
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Renamed" and project.version == 2


def test_stale_project_edit_is_refused(client, alice, project):
    client.force_login(alice)
    Project.objects.filter(pk=project.pk).update(name="Teammate's name", version=2)
    data = project_data(project.team, alice, name="Mine", version=1)
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 409
    assert "Teammate&#x27;s name" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "Teammate's name"


def listed(client, url="/projects/"):
    return [project.name for project in client.get(url).context["page"].object_list]


def test_archive_and_restore(client, alice, project):
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/archive/")
    assert listed(client) == []
    assert listed(client, "/projects/?archived=1") == [project.name]
    client.post(f"/projects/{project.pk}/restore/")
    assert listed(client) == [project.name]


def test_list_shows_latest_activity_first(client, alice, team):
    client.force_login(alice)
    older = Project.objects.create(team=team, name="Older")
    Project.objects.create(team=team, name="Newer")
    # "Older" was created first; recent activity moves it to the top.
    Project.objects.filter(pk=older.pk).update(last_activity_at=timezone.now())
    assert listed(client) == ["Older", "Newer"]


def test_list_hides_other_teams_projects(client, alice, charlie):
    team_create(user=charlie, name="Elsewhere")
    Project.objects.create(team=charlie.teams.get(name="Elsewhere"), name="Hidden project")
    client.force_login(alice)
    assert listed(client) == []


def test_list_is_paginated(client, alice, team):
    Project.objects.bulk_create(Project(team=team, name=f"P{i}") for i in range(25))
    client.force_login(alice)
    assert len(client.get("/projects/").context["page"].object_list) == 20
    assert len(client.get("/projects/?page=2").context["page"].object_list) == 5


def test_project_list_queries_do_not_grow(client, alice, team, django_assert_num_queries):
    client.force_login(alice)
    project = Project.objects.create(team=team, name="Only one", owner=alice)
    make_example(project)
    with CaptureQueriesContext(connection) as one:
        client.get("/projects/")
    for i in range(49):
        other_team = team if i % 2 else team_create(user=alice, name=f"T{i}")
        extra = Project.objects.create(team=other_team, name=f"P{i}", owner=alice)
        make_example(extra)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/projects/")
    assert len(response.context["page"].object_list) == 20
