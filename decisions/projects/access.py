"""Loading a project for a user: 404 for strangers, 403 for too low a role."""

from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need, require_membership
from decisions.accounts.models import Membership
from decisions.projects.models import Project


def get_project(user, project_id: int, need: Need) -> tuple[Project, Membership]:
    project = Project.objects.select_related("team", "owner").filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project, require_membership(user, project.team_id, need)
