"""The one place that decides who may see and change what.

Every view calls in here first (healthchecks' `_get_rw_check_for_user` pattern): a stranger
gets 404, so the existence of other teams' objects is not revealed; a member whose role is
too low gets 403.
"""

from __future__ import annotations

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
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


def role_in_team(user, team_field: str) -> Subquery:
    """The user's role in the team at `team_field` of the queried model, as an annotation:
    a hot view loads its object and the access check in one query."""
    roles = Membership.objects.filter(user=user.pk, team=OuterRef(team_field)).values("role")
    return Subquery(roles[:1])


def require_role(role: str | None, need: Need) -> None:
    """What require_membership decides, for a role read with `role_in_team`."""
    if role is None:
        raise Http404("No such team.")
    if ROLE_LEVEL[role] < need:
        raise PermissionDenied("Your role in this team does not allow this change.")


def get_team(user, team_id: int, need: Need) -> tuple[Team, Membership]:
    membership = require_membership(user, team_id, need)
    return membership.team, membership
