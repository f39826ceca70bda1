from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from decisions.accounts.access import Need
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.stale import STALE_MESSAGE
from decisions.projects import services
from decisions.projects.access import get_project
from decisions.projects.forms import ProjectForm
from decisions.projects.models import Project

PROJECTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HtmxHttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    if not form.fields["team"].queryset.exists():
        raise PermissionDenied("You are a viewer in all your teams: ask an owner for edit rights.")
    if request.method == "POST" and form.is_valid():
        project = form.save()
        messages.success(request, f"Project “{project.name}” created. Now record what goes wrong.")
        return redirect("projects:detail", project_id=project.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.project_update(
            project=project, form=form, version=form.cleaned_data["version"] or 0
        ):
            messages.success(request, "Project saved.")
            return redirect("projects:detail", project_id=project.pk)
        form.add_error(None, STALE_MESSAGE)
        status = 409
    elif request.method == "POST":
        status = 422
    current = Project.objects.get(pk=project.pk) if status == 409 else None
    context = {"form": form, "project": project, "current": current}
    return render(request, "projects/form.html", context, status=status)


@login_required
@require_POST
def project_archive(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    Project.objects.filter(pk=project.pk).update(archived_at=timezone.now())
    messages.success(request, f"“{project.name}” archived. Find it under Archived to restore it.")
    return redirect("overview:projects")


@login_required
@require_POST
def project_restore(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    services.project_restore(project=project)
    messages.success(request, f"“{project.name}” restored.")
    return redirect("projects:detail", project_id=project.pk)
