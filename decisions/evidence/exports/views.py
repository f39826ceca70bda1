"""Exporting a project's examples: the page with each target's counts, and the files.

The parts come from the project's test set: a training file never holds a test case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from decisions.accounts.access import Need
from decisions.evidence.exports.formats import TARGETS, TRAINING, export_plan
from decisions.evidence.exports.forms import ExportForm
from decisions.evidence.test_set import project_split
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project


def _plans(project):
    examples = list(project.examples.order_by("created_at", "pk"))
    return [export_plan(target, examples) for target in TARGETS.values()]


@login_required
@require_GET
def export_page(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.READ)
    form = ExportForm(request.GET or None)
    plans = _plans(project)
    context = {
        "project": project,
        "form": form,
        "plans": plans,
        "split": project_split(project),
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
    if target not in TARGETS or part not in TARGETS[target].parts:
        raise Http404("No such export.")
    form = ExportForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _refuse(request, project, " ".join(m for e in form.errors.values() for m in e))
    plan = export_plan(TARGETS[target], list(project.examples.order_by("created_at", "pk")))
    examples = plan.part(part)
    if plan.target.kind == TRAINING and plan.below_minimum:
        return _refuse(
            request,
            project,
            f"{plan.target.label} needs at least {plan.target.minimum} examples; the training "
            f"part has {len(examples)}. Add examples with an expected output, or hold fewer "
            "out in the test set.",
        )
    if not examples:
        return _refuse(request, project, "This part holds no examples: nothing to export.")
    body = plan.target.write(examples, form.system_or_default())
    name = f"{slugify(project.name) or 'project'}-{target}"
    if part != "all":
        name += f"-{part}"
    response = HttpResponse(body, content_type=plan.target.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{plan.target.filename_suffix}"'
    return response


def _refuse(request, project, message: str) -> HttpResponse:
    context = {"project": project, "message": message}
    return render(request, "evidence/export_refused.html", context, status=422)
