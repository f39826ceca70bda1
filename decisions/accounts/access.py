"""The one place that decides who may see and change what.

Every view calls in here first (healthchecks' `_get_rw_check_for_user` pattern): a stranger
gets 404, so the existence of other teams' objects is not revealed; a member whose role is
too low gets 403.
"""

from __future__ import annotations

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from decisions.accounts.models import Membership, Role, Team


class Need(IntEnum):
    READ = 1
    EDIT = 2
    MANAGE = 3


ROLE_LEVEL = {Role.VIEWER: Need.READ, Role.EDITOR: Need.EDIT, Role.OWNER: Need.MANAGE}


def require_membership(user, team_id: int, need: Need) -> Membership:
    """The user's membership of the team, if it allows `need`; else 404 or 403."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=user, team_id=team_id).select_related("team")
    membership = membership.first()
    if membership is None:
        raise Http404("No such team.")
    if ROLE_LEVEL[membership.role] < need:
        raise PermissionDenied("Your role in this team does not allow this change.")
    return membership


def get_team(user, team_id: int, need: Need) -> tuple[Team, Membership]:
    membership = require_membership(user, team_id, need)
    return membership.team, membership
