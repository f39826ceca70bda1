"""Exporting a project's examples: the page with each target's counts, and the files.

The parts come from the project's test set: a training file never holds a test case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from decisions.accounts.access import Need
from decisions.evidence.exports.experiment import Experiment, experiment_zip
from decisions.evidence.exports.formats import TARGETS, TRAINING, export_plan, export_plans
from decisions.evidence.exports.forms import ExperimentForm, ExportForm
from decisions.evidence.exports.stream import export_lines
from decisions.evidence.test_set import project_split
from decisions.flowchart.registry import get_definition
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project


def vendor_rows_by_target(facts) -> dict:
    """Each training format's row of the vendor facts table (status, minimum, deadline, when
    checked), matched on the provider and a word of the offering: the page quotes the table,
    never a figure of its own."""
    rows = {}
    for target in TARGETS.values():
        if target.vendor is None:
            continue
        provider, offering = target.vendor
        rows[target.slug] = next(
            (f for f in facts if f.provider == provider and offering in f.offering), None
        )
    return rows


# Examples read from the database at a time: a page or file of 100,000 never holds them all.
READ_BATCH = 2_000


def examples_in_order(project):
    return project.examples.order_by("created_at", "pk").iterator(chunk_size=READ_BATCH)


def _plans(project, system: str):
    return export_plans(TARGETS.values(), examples_in_order(project), system)


@login_required
@require_GET
def export_page(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.READ)
    return _export_page(request, project)


def _export_page(request, project, *, experiment_form=None, status=200) -> HttpResponse:
    form = ExportForm(request.GET or None)
    plans = _plans(project, form.system_or_default())
    context = {
        "project": project,
        "form": form,
        "plans": plans,
        "split": project_split(project),
        "query": request.GET.urlencode(),
        "total": plans[0].total,
        "experiment_form": experiment_form or ExperimentForm(),
        "plan_rows": [
            (plan, rows.get(plan.target.slug))
            for rows in [vendor_rows_by_target(get_definition().vendor_facts)]
            for plan in plans
        ],
    }
    if form.is_bound and not form.is_valid():
        status = 422
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
    system = form.system_or_default()
    plan = export_plan(TARGETS[target], examples_in_order(project), system)
    if plan.target.kind == TRAINING and plan.below_minimum:
        return _refuse(
            request,
            project,
            f"{plan.target.label} needs at least {plan.target.minimum} examples; the "
            f"training part has {plan.training}. Add examples with an expected output, or "
            "hold fewer out in the test set.",
        )
    if not plan.size(part):
        return _refuse(request, project, "This part holds no examples: nothing to export.")
    if mix := plan.system_problem_in(part):
        return _refuse(request, project, mix)
    name = f"{slugify(project.name) or 'project'}-{target}"
    if part != "all":
        name += f"-{part}"
    # Counted above, then read again and streamed a batch at a time: neither the file nor the
    # examples are ever held whole. The file holds the examples as they are when read.
    examples = (e for e in examples_in_order(project) if plan.in_part(e, part))
    response = StreamingHttpResponse(
        export_lines(plan.target, examples, system), content_type=plan.target.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{plan.target.filename_suffix}"'
    return response


@login_required
@require_POST
def experiment_download(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    """The promptfoo files that run the PM's best prompt on the named models over the test
    set. A POST, since the prompt is too long for an address; it changes nothing."""
    project, _ = get_project(request.user, project_id, Need.READ)
    form = ExperimentForm(request.POST)
    split = project_split(project)
    if not split.chosen or not split.held_out:
        return _refuse(
            request, project, "Choose the test set first: the experiment runs on it alone."
        )
    if not form.is_valid():
        return _export_page(request, project, experiment_form=form, status=422)
    experiment = Experiment(
        project_name=project.name,
        test_set_version=split.test_set.version,
        prompt=form.cleaned_data["prompt"],
        models=form.cleaned_data["models"],
        assertion=form.cleaned_data["assertion"],
    )
    examples = project.examples.filter(in_test_set=True).order_by("pk")
    response = HttpResponse(experiment_zip(experiment, list(examples)), "application/zip")
    name = f"{slugify(project.name) or 'project'}-experiment.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _refuse(request, project, message: str) -> HttpResponse:
    context = {"project": project, "message": message}
    return render(request, "evidence/export_refused.html", context, status=422)
