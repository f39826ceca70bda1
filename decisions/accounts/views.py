from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.accounts import services
from decisions.accounts.access import Need, get_team
from decisions.accounts.forms import MemberAddForm, RoleForm, SignupForm, TeamForm
from decisions.accounts.models import Membership
from decisions.lib.htmx import HtmxHttpRequest


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("projects:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your personal team is ready: create a first project.")
        return redirect("projects:create")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, submit_label="Create team")
    if request.method == "POST" and form.is_valid():
        team = services.team_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Team “{team.name}” created. Add your teammates below.")
        return redirect("accounts:team", team_id=team.pk)
    memberships = Membership.objects.for_user(request.user).order_by("team__name")
    return render(request, "accounts/team_list.html", {"memberships": memberships, "form": form})


@login_required
@require_GET
def team_detail(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.READ)
    return _render_team(request, team, membership)


def _render_team(request, team, membership, *, rename_form=None, add_form=None, status=200):
    members = team.memberships.select_related("user").order_by("user__username")
    context = {
        "team": team,
        "membership": membership,
        "members": members,
        "rename_form": rename_form or TeamForm(instance=team, submit_label="Rename"),
        "add_form": add_form or MemberAddForm(),
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


@login_required
@require_POST
def member_add(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    team, membership = get_team(request.user, team_id, Need.MANAGE)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            added = services.member_add(
                team=team,
                username_or_email=form.cleaned_data["username_or_email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("username_or_email", error)
        else:
            messages.success(request, f"{added.user.username} added as {added.get_role_display()}.")
            return redirect("accounts:team", team_id=team.pk)
    return _render_team(request, team, membership, add_form=form, status=422)


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
