"""Workflows over users, teams and memberships; each one atomic, raising ValidationError."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from decisions.accounts.models import Membership, Role, Team

User = get_user_model()


@transaction.atomic
def user_signup(*, username: str, email: str, password: str) -> User:
    """A new user with a personal team they own."""
    user = User.objects.create_user(username=username, email=email, password=password)
    team_create(user=user, name=f"{username}'s team", is_personal=True)
    return user


@transaction.atomic
def team_create(*, user, name: str, is_personal: bool = False) -> Team:
    team = Team.objects.create(name=name, is_personal=is_personal)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


def find_user(username_or_email: str):
    value = username_or_email.strip()
    matches = list(User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))[:2])
    if len(matches) != 1:
        # Two accounts may share an email; asking for the username is the only safe answer.
        raise ValidationError(
            "No single user has that username or email."
            if not matches
            else "Several users share that email; use the username."
        )
    return matches[0]


@transaction.atomic
def member_add(*, team: Team, username_or_email: str, role: str) -> Membership:
    user = find_user(username_or_email)
    if Membership.objects.filter(team=team, user=user).exists():
        raise ValidationError(f"{user.username} is already a member of {team.name}.")
    return Membership.objects.create(team=team, user=user, role=role)


def _refuse_losing_last_owner(membership: Membership) -> None:
    locked = Membership.objects.select_for_update().filter(team=membership.team, role=Role.OWNER)
    if membership.role == Role.OWNER and locked.count() <= 1:
        raise ValidationError("A team needs at least one owner: make someone else owner first.")


@transaction.atomic
def member_set_role(*, membership: Membership, role: str) -> Membership:
    if role != Role.OWNER:
        _refuse_losing_last_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    _refuse_losing_last_owner(membership)
    membership.delete()
