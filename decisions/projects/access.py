"""Loading a project or an example for a user: 404 for strangers, 403 for too low a role."""

from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need, require_membership
from decisions.accounts.models import Membership
from decisions.projects.models import FailedExample, Project


def get_project(user, project_id: int, need: Need) -> tuple[Project, Membership]:
    project = Project.objects.select_related("team", "owner").filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project, require_membership(user, project.team_id, need)


def get_example(
    user, project_id: int, example_id: int, need: Need
) -> tuple[FailedExample, Membership]:
    project, membership = get_project(user, project_id, need)
    example = project.examples.filter(pk=example_id).first()
    if example is None:
        raise Http404("No such example.")
    example.project = project
    return example, membership


def get_import(user, project_id: int, import_id: int, need: Need):
    project, membership = get_project(user, project_id, need)
    example_import = project.imports.filter(pk=import_id).first()
    if example_import is None:
        raise Http404("No such import.")
    example_import.project = project
    return example_import, membership
