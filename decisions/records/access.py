from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need
from decisions.accounts.models import Membership
from decisions.projects.access import get_project
from decisions.records.models import Decision


def get_decision(user, project_id: int, revision: int, need: Need) -> tuple[Decision, Membership]:
    project, membership = get_project(user, project_id, need)
    decision = (
        Decision.objects.select_related("created_by")
        .filter(project=project, revision=revision)
        .first()
    )
    if decision is None:
        raise Http404("No such decision revision.")
    decision.project = project
    return decision, membership
