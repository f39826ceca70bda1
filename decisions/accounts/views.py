from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.accounts import services
from decisions.accounts.access import Need, get_team
from decisions.accounts.forms import (
    InviteForm,
    ReviewSettingsForm,
    RoleForm,
    SignupForm,
    TeamForm,
)
from decisions.accounts.models import INVITATION_DAYS, Membership, Role
from decisions.accounts.ratelimit import over_limit
from decisions.accounts.tasks import send_invitation
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.links import absolute_url

# Sign-up attempts per client address and hour: enough for an office behind one address.
SIGNUPS_PER_HOUR = 20


def safe_next(request: HtmxHttpRequest) -> str:
    """The `next` address the visitor came with, if it stays on this site; else "".

    An invitation link sends an anonymous visitor to log in with `next`; choosing to sign up
    instead must keep it, or the invitation is lost between the two pages.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "overview:projects")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and over_limit(
        request, scope="signup", limit=SIGNUPS_PER_HOUR, window_seconds=3600
    ):
        return render(request, "accounts/signup_limited.html", status=429)
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if next_url:
            # Back where they were going (an invitation to accept, a shared page).
            messages.success(request, "Welcome! Your account is ready.")
            return redirect(next_url)
        messages.success(request, "Welcome! Your personal team is ready: create a first project.")
        return redirect("projects:create")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "next": next_url, "invited": _is_invitation(next_url)}
    return render(request, "accounts/signup.html", context, status=status)


def _is_invitation(url: str) -> bool:
    try:
        return resolve(urlsplit(url).path).view_name == "accounts:invitation"
    except Resolver404:
        return False


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, submit_label="Create team")
    if request.method == "POST" and form.is_valid():
        team = services.team_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Team “{team.name}” created. Add your teammates below.")
        return redirect("accounts:team", team_id=team.pk)
    memberships = Membership.objects.for_user(request.user).order_by("team__name")
    status = 422 if request.method == "POST" else 200
    context = {"memberships": memberships, "form": form}
    return render(request, "accounts/team_list.html", context, status=status)


@login_required
@require_GET
def team_detail(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.READ)
    return _render_team(request, team, membership)


def _render_team(
    request,
    team,
    membership,
    *,
    rename_form=None,
    invite_form=None,
    review_form=None,
    review_error="",
    status=200,
):
    members = team.memberships.select_related("user").order_by("user__username")
    if membership.can_manage and review_form is None:
        review_form = ReviewSettingsForm(team=team, reviewers=_reviewers(team))
    context = {
        "review_form": review_form if membership.can_manage else None,
        "review_error": review_error,
        "team": team,
        "membership": membership,
        "members": members,
        "rename_form": rename_form or TeamForm(instance=team, submit_label="Rename"),
        "invite_form": invite_form or InviteForm(),
        "invitations": team.invitations.pending().select_related("invited_by")
        if membership.can_manage
        else [],
        "role_form": RoleForm(),
    }
    return render(request, "accounts/team_detail.html", context, status=status)


@login_required
@require_POST
def team_rename(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    form = TeamForm(request.POST, instance=team, submit_label="Rename")
    if not form.is_valid():
        return _render_team(request, team, membership, rename_form=form, status=422)
    form.save()
    messages.success(request, "Team renamed.")
    return redirect("accounts:team", team_id=team.pk)


def _reviewers(team):
    return team.members.filter(memberships__role__in=[Role.EDITOR, Role.OWNER]).order_by("username")


@login_required
@require_POST
def team_review_settings(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    """Default reviewers, acceptances needed, reminder wait: owners only."""
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    form = ReviewSettingsForm(request.POST, team=team, reviewers=_reviewers(team))
    if not form.is_valid():
        return _render_team(request, team, membership, review_form=form, status=422)
    try:
        services.team_review_settings_update(team=team, **form.cleaned_data)
    except ValidationError as error:
        stale = error.code == services.STALE_SETTINGS
        team.refresh_from_db()
        # A stale form is drawn again from what is saved now; any other refusal keeps the
        # owner's choices in the form.
        fresh = ReviewSettingsForm(team=team, reviewers=_reviewers(team)) if stale else form
        return _render_team(
            request,
            team,
            membership,
            review_form=fresh,
            review_error=" ".join(error.messages),
            status=409 if stale else 422,
        )
    messages.success(request, "Review settings saved.")
    return redirect(reverse("accounts:team", kwargs={"team_id": team.pk}) + "#review-settings")


@login_required
@require_POST
def member_invite(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_team(request, team, membership, invite_form=form, status=422)
    invitation, token = services.invitation_create(
        team=team,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        invited_by=request.user,
    )
    accept_url = absolute_url(reverse("accounts:invitation", kwargs={"token": token}))
    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk, accept_url))
    # The same words whether or not the address has an account: the page reveals nothing.
    messages.success(
        request,
        f"Invitation sent to {invitation.email}. They join once they accept it; "
        f"the link expires in {INVITATION_DAYS} days.",
    )
    return redirect("accounts:team", team_id=team.pk)


@login_required
@require_POST
def invitation_revoke(request: HtmxHttpRequest, team_id: int, invitation_id: int) -> HttpResponse:
    team, _ = get_team(request.user, team_id, Need.MANAGE)
    invitation = get_object_or_404(team.invitations.pending(), pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("accounts:team", team_id=team.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The invited person's page: what they are invited to, and their choice."""
    pending = services.invitation_for_token(token)
    if pending is None:
        return render(request, "accounts/invitation_gone.html", status=404)
    if request.method == "GET":
        return render(request, "accounts/invitation.html", {"invitation": pending})
    if request.POST.get("answer") != "accept":
        services.invitation_revoke(invitation=pending)
        messages.info(request, f"You declined the invitation to {pending.team.name}.")
        return redirect("overview:projects")
    try:
        joined = services.invitation_accept(token=token, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:teams")
    messages.success(request, f"You joined {pending.team.name} as {joined.get_role_display()}.")
    return redirect("accounts:team", team_id=pending.team_id)


def _member_of(team, member_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=member_id, team=team)


@login_required
@require_POST
def member_role(request: HtmxHttpRequest, team_id: int, member_id: int) -> HttpResponse:
    team, _ = get_team(request.user, team_id, Need.MANAGE)
    member = _member_of(team, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose viewer, editor or owner.")
        return redirect("accounts:team", team_id=team.pk)
    try:
        services.member_set_role(membership=member, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.user.username} is now {member.get_role_display()}.")
    return redirect("accounts:team", team_id=team.pk)


@login_required
@require_POST
def member_remove(request: HtmxHttpRequest, team_id: int, member_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.READ)
    member = _member_of(team, member_id)
    leaving = member.pk == membership.pk
    if not leaving and not membership.can_manage:
        # Anyone may leave; only owners remove others.
        get_team(request.user, team_id, Need.MANAGE)
    try:
        services.member_remove(membership=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:team", team_id=team.pk)
    if leaving:
        messages.success(request, f"You left {team.name}.")
        return redirect("accounts:teams")
    messages.success(request, f"{member.user.username} removed from {team.name}.")
    return redirect("accounts:team", team_id=team.pk)
