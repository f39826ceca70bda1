"""A revision is found by its number within its project: revision 1 of one project is never
shown at the address of another's."""

from __future__ import annotations

from decisions.accounts.services import team_create
from decisions.projects.models import Project
from tests.reports.conftest import save_decision


def test_a_revision_number_is_looked_up_within_its_project(client, alice, charlie, project):
    save_decision(project, alice, "context")
    own = Project.objects.create(
        team=team_create(user=charlie, name="Charlie's"), name="Mine", owner=charlie
    )
    save_decision(own, charlie, "prompt")
    client.force_login(charlie)
    response = client.get(f"/projects/{own.pk}/decisions/1/")
    assert response.status_code == 200
    assert response.context["decision"].outcome == "prompt"
    assert "Email drafter" not in response.content.decode()


def test_a_revision_number_a_project_does_not_have_is_a_404(client, alice, charlie, project):
    save_decision(project, alice, "context")
    own = Project.objects.create(
        team=team_create(user=charlie, name="Charlie's"), name="Mine", owner=charlie
    )
    client.force_login(charlie)
    assert client.get(f"/projects/{own.pk}/decisions/1/").status_code == 404
