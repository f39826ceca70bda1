from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need, require_membership
from decisions.accounts.models import Membership
from decisions.wizard.models import WizardRun


def get_run(user, run_id: int, need: Need) -> tuple[WizardRun, Membership]:
    run = WizardRun.objects.select_related("project", "project__team").filter(pk=run_id).first()
    if run is None:
        raise Http404("No such wizard run.")
    return run, require_membership(user, run.project.team_id, need)
