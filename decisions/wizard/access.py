from __future__ import annotations

from django.http import Http404

from decisions.accounts.access import Need, require_role, role_in_team
from decisions.wizard.models import WizardRun


def get_run(user, run_id: int, need: Need) -> WizardRun:
    """The run, if the user's role in its project's team allows `need`; else 404 or 403.

    One query: every wizard step starts here, so the access check rides along.
    """
    if not user.is_authenticated:
        raise Http404
    try:
        run = (
            WizardRun.objects.select_related("project")
            .annotate(member_role=role_in_team(user, "project__team_id"))
            .get(pk=run_id)
        )
    except WizardRun.DoesNotExist:
        raise Http404("No such wizard run.") from None
    require_role(run.member_role, need)
    return run
