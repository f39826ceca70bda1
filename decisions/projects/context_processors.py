from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from decisions.accounts.models import Membership
from decisions.flowchart.registry import current_version
from decisions.projects.models import Project


def navigation(request: HttpRequest) -> dict:
    """The user's teams and most recent projects for the nav, evaluated only when rendered;
    the flowchart version new runs use, for the footer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"flowchart_version": current_version()}
    # Lazy: htmx fragments (a wizard step, a table page) never show the nav, and building
    # the querysets alone costs a wizard step a tenth of its time.
    return {
        "flowchart_version": current_version(),
        "nav_memberships": SimpleLazyObject(
            lambda: list(Membership.objects.for_user(user).order_by("team__name")[:20])
        ),
        "nav_projects": SimpleLazyObject(
            lambda: list(Project.objects.for_user(user).active().only("pk", "name")[:8])
        ),
    }
