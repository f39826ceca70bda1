from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from decisions.accounts.access import Need
from decisions.accounts.models import Membership
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.stale import save_unless_stale
from decisions.projects.access import get_example, get_project
from decisions.projects.forms import ExampleForm, ProjectForm
from decisions.projects.models import Project

PROJECTS_PER_PAGE = 20
STALE_MESSAGE = (
    "Someone saved a newer version while you were editing. Nothing was overwritten: "
    "your changes are still in the form; compare with the current version and save again."
)


@login_required
@require_GET
def project_list(request: HtmxHttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    projects = Project.objects.for_user(request.user)
    projects = projects.archived() if show_archived else projects.active()
    projects = projects.select_related("team", "owner").with_example_count()
    projects = projects.with_decision_state()
    # Meta.ordering does not apply to a grouped query, so the order is spelled out.
    projects = projects.order_by("-last_activity_at", "-pk")
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    can_create = Membership.objects.editable_by(request.user).exists()
    context = {"page": page, "show_archived": show_archived, "can_create": can_create}
    return render(request, "projects/list.html", context)


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
@require_GET
def project_detail(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.READ)
    # Later stages hang off the project through reverse relations (wizard runs, decisions),
    # so this stage lists them without importing from the stages after it.
    context = {
        "draft_run": project.wizard_runs.filter(status="draft").only("pk").first(),
        "decisions": project.decisions.only(
            "project_id", "revision", "outcome", "confidence", "flowchart_version", "created_at"
        ),
    }
    return _render_examples(
        request, project, membership, template="projects/detail.html", extra=context
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        if save_unless_stale(form, form.cleaned_data["version"] or 0):
            project.touch()
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
    return redirect("projects:list")


@login_required
@require_POST
def project_restore(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    Project.objects.filter(pk=project.pk).update(archived_at=None)
    project.touch()
    messages.success(request, f"“{project.name}” restored.")
    return redirect("projects:detail", project_id=project.pk)


# Failed-output examples. Every htmx action answers with the #examples fragment (counts,
# list and add form), so the per-type counts always match the list after a change.


def _render_examples(
    request, project, membership, *, add_form=None, template=None, status=200, extra=None
):
    examples = project.examples.select_related("created_by")
    context = {
        "project": project,
        "membership": membership,
        "examples": examples,
        "failure_counts": project.failure_counts(),
        "add_form": add_form or ExampleForm(prefix_id="new_"),
        **(extra or {}),
    }
    if template is None:
        template = "projects/detail.html#examples" if request.htmx else "projects/detail.html"
    return render(request, template, context, status=status)


def _examples_url(project) -> str:
    return reverse("projects:detail", kwargs={"project_id": project.pk}) + "#examples"


@login_required
@require_http_methods(["GET", "POST"])
def example_add(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.EDIT)
    form = ExampleForm(request.POST or None, prefix_id="new_")
    if request.method == "GET":
        return render(request, "projects/example_form.html", {"form": form, "project": project})
    if not form.is_valid():
        if request.htmx:
            return _render_examples(request, project, membership, add_form=form, status=422)
        context = {"form": form, "project": project}
        return render(request, "projects/example_form.html", context, status=422)
    with transaction.atomic():
        form.instance.project = project
        form.instance.created_by = request.user
        example = form.save()
        project.touch()
    messages.success(request, f"Example “{example.title}” added.")
    if request.htmx:
        return _render_examples(request, project, membership)
    return redirect(_examples_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def example_edit(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    example, membership = get_example(request.user, project_id, example_id, Need.EDIT)
    project = example.project
    form = ExampleForm(request.POST or None, instance=example, prefix_id=f"e{example.pk}_")
    status = 200
    current = None
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        elif save_unless_stale(form, form.cleaned_data["version"] or 0):
            project.touch()
            messages.success(request, f"Example “{example.title}” saved.")
            if request.htmx:
                return _render_examples(request, project, membership)
            return redirect(_examples_url(project))
        else:
            form.add_error(None, STALE_MESSAGE)
            current = project.examples.get(pk=example.pk)
            status = 409
    context = {"form": form, "project": project, "example": example, "current": current}
    if not request.htmx:
        return render(request, "projects/example_form.html", context, status=status)
    response = render(request, "projects/example_form.html#example-edit", context, status=status)
    # The form targets #examples for a successful save; a refusal replaces only this card.
    return reswap(retarget(response, f"#example-{example.pk}"), "outerHTML")


@login_required
@require_GET
def example_row(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    """One example as shown in the list: what "Cancel" on an inline edit swaps back in."""
    example, membership = get_example(request.user, project_id, example_id, Need.READ)
    context = {"example": example, "project": example.project, "membership": membership}
    return render(request, "projects/detail.html#example-row", context)


@login_required
@require_http_methods(["GET", "POST"])
def example_delete(request: HtmxHttpRequest, project_id: int, example_id: int) -> HttpResponse:
    example, membership = get_example(request.user, project_id, example_id, Need.EDIT)
    project = example.project
    if request.method == "GET":
        return render(request, "projects/example_delete.html", {"example": example})
    with transaction.atomic():
        example.delete()
        project.touch()
    messages.success(request, f"Example “{example.title}” deleted.")
    if request.htmx:
        return _render_examples(request, project, membership)
    return redirect(_examples_url(project))
