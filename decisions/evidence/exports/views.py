"""Exporting a project's examples: the page with each target's counts, and the files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from decisions.accounts.access import Need
from decisions.evidence.exports.formats import TARGETS, export_plan
from decisions.evidence.exports.forms import ExportForm
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project


def _plans(project, form: ExportForm):
    held_out, _ = form.cleaned_or_default()
    examples = list(project.examples.order_by("created_at", "pk"))
    return [export_plan(target, examples, held_out) for target in TARGETS.values()], held_out


@login_required
@require_GET
def export_page(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.READ)
    form = ExportForm(request.GET or None)
    plans, held_out = _plans(project, form)
    context = {
        "project": project,
        "form": form,
        "plans": plans,
        "held_out": held_out,
        "query": request.GET.urlencode(),
        "total": plans[0].total,
    }
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, "evidence/export.html", context, status=status)


@login_required
@require_GET
def export_download(
    request: HtmxHttpRequest, project_id: int, target: str, part: str
) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.READ)
    if target not in TARGETS or part not in ("train", "test"):
        raise Http404("No such export.")
    form = ExportForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _refuse(request, project, " ".join(m for e in form.errors.values() for m in e))
    plans, held_out = _plans(project, form)
    plan = next(p for p in plans if p.target.slug == target)
    examples = plan.part(part)
    if part == "train" and plan.below_minimum:
        return _refuse(
            request,
            project,
            f"{plan.target.label} needs at least {plan.target.minimum} examples; the training "
            f"part has {len(examples)}. Add examples with an expected output, or keep fewer back.",
        )
    if not examples:
        return _refuse(request, project, "This part holds no examples: nothing to export.")
    _, system = form.cleaned_or_default()
    body = plan.target.write(examples, system)
    name = f"{slugify(project.name) or 'project'}-{target}"
    if held_out:
        name += f"-{part}"
    response = HttpResponse(body, content_type=plan.target.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{plan.target.filename_suffix}"'
    return response


def _refuse(request, project, message: str) -> HttpResponse:
    context = {"project": project, "message": message}
    return render(request, "evidence/export_refused.html", context, status=422)
