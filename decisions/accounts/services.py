"""Workflows over users, teams and memberships; each one atomic, raising ValidationError."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.accounts.models import INVITATION_DAYS, Invitation, Membership, Role, Team
from decisions.lib.tokens import hash_token, new_token

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


@transaction.atomic
def invitation_create(*, team: Team, email: str, role: str, invited_by) -> tuple[Invitation, str]:
    """A new invitation and its token; the token is never stored, so send it now or never.

    Nobody joins a team without accepting: an address is only where the link goes, never
    proof of who owns an account, and the answer is the same whether an account exists.
    An earlier pending invitation to the same address is replaced.
    """
    email = email.strip().lower()
    Invitation.objects.pending().filter(team=team, email=email).update(revoked_at=timezone.now())
    token = new_token()
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation behind a link, or None (unknown, used, expired or revoked)."""
    return (
        Invitation.objects.pending()
        .select_related("team", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    # Locked, so a double click or a forwarded link cannot use it twice.
    invitation = (
        Invitation.objects.pending()
        .select_for_update()
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError("This invitation has expired, was withdrawn or was already used.")
    if Membership.objects.filter(team_id=invitation.team_id, user=user).exists():
        raise ValidationError("You are already a member of this team.")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=user)
    return Membership.objects.create(team_id=invitation.team_id, user=user, role=invitation.role)


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _refuse_losing_last_owner(membership: Membership) -> None:
    """Inside the caller's transaction: refuse to take away the team's last owner.

    The team row is locked first, so two owners demoting each other at the same moment queue
    here and the second sees the first one's change. (select_for_update() on a count takes no
    lock on PostgreSQL: both would see two owners and both go ahead.)
    """
    Team.objects.select_for_update().get(pk=membership.team_id)
    role_now = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    owners = Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER).count()
    if role_now == Role.OWNER and owners <= 1:
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


STALE_SETTINGS = "stale"


@transaction.atomic
def team_review_settings_update(
    *,
    team: Team,
    version: int,
    default_reviewers,
    required_acceptances: int,
    review_reminder_days: int,
    second_reviewer_required: bool,
) -> Team:
    """The team's review settings, unless someone saved newer ones since the form was drawn;
    never more acceptances than the team has people who can give them."""
    current = Team.objects.select_for_update().get(pk=team.pk)
    if current.review_settings_version != version:
        raise ValidationError(
            "Someone saved newer review settings while you were editing. Nothing was "
            "overwritten: the page now shows theirs; make your change again.",
            code=STALE_SETTINGS,
        )
    reviewers = Membership.objects.filter(team=team, role__in=[Role.EDITOR, Role.OWNER]).count()
    if required_acceptances > reviewers:
        raise ValidationError(
            f"This team has {reviewers} editor{'s' if reviewers != 1 else ''} and owners in "
            f"all, so no revision could get {required_acceptances} acceptances: ask for at "
            f"most {reviewers}."
        )
    outsiders = [
        user.username
        for user in default_reviewers
        if not Membership.objects.filter(
            team=team, user=user, role__in=[Role.EDITOR, Role.OWNER]
        ).exists()
    ]
    if outsiders:
        raise ValidationError(f"Only editors and owners review: {', '.join(outsiders)} cannot.")
    current.required_acceptances = required_acceptances
    current.review_reminder_days = review_reminder_days
    current.second_reviewer_required = second_reviewer_required
    current.review_settings_version = version + 1
    current.save()
    current.default_reviewers.set(default_reviewers)
    return current
