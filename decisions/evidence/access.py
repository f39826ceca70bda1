"""Loading an example or an import for a user, always through its project: 404 for strangers
and for an id of another project, 403 for too low a role."""

from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need
from decisions.accounts.models import Membership
from decisions.evidence.models import ExampleImport, FailedExample
from decisions.projects.access import get_project


def get_example(
    user, project_id: int, example_id: int, need: Need
) -> tuple[FailedExample, Membership]:
    project, membership = get_project(user, project_id, need)
    example = project.examples.filter(pk=example_id).first()
    if example is None:
        raise Http404("No such example.")
    example.project = project
    return example, membership


def get_import(
    user, project_id: int, import_id: int, need: Need
) -> tuple[ExampleImport, Membership]:
    project, membership = get_project(user, project_id, need)
    # Deferred: the file (up to 50 MB) is read only by the preview, not by each progress poll.
    example_import = project.imports.defer("content").filter(pk=import_id).first()
    if example_import is None:
        raise Http404("No such import.")
    example_import.project = project
    return example_import, membership
