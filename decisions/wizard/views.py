"""The wizard: one question at a time, saved at every answer, resumable.

Every page works as a plain form POST and redirect; with htmx the panel swaps in place and
the URL follows (HX-Push-Url), so the browser's Back button and a reload land on the same
question.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from decisions.accounts.access import Need
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project
from decisions.wizard import services
from decisions.wizard.access import get_run
from decisions.wizard.forms import StepForm
from decisions.wizard.models import RunStatus, WizardRun
from decisions.wizard.panel import REVIEW, current_step, render_panel, step_url


def _closed_run_redirect(request, run: WizardRun) -> HttpResponse:
    if run.status == RunStatus.FINISHED and hasattr(run, "decision"):
        messages.info(request, "This run is finished: here is the decision it saved.")
        return redirect("reports:report", project_id=run.project_id, revision=run.decision.revision)
    messages.info(request, "This run was discarded.")
    return redirect("projects:detail", project_id=run.project_id)


@login_required
@require_POST
def run_start(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    restart = request.POST.get("restart") == "1"
    run, created = services.run_start(project=project, user=request.user, restart=restart)
    if restart and created:
        messages.info(request, f"Started again on flowchart {run.flowchart_version}.")
    elif not created:
        messages.info(request, "Resuming the run in progress, where it was left.")
    return redirect(step_url(run, current_step(run)))


@login_required
@require_GET
def run_resume(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = get_run(request.user, run_id, Need.EDIT)
    if not run.is_draft:
        return _closed_run_redirect(request, run)
    return redirect(step_url(run, current_step(run)))


@login_required
@require_POST
def run_discard(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = get_run(request.user, run_id, Need.EDIT)
    services.run_discard(run=run)
    messages.success(request, "Wizard run discarded. Saved decisions are unchanged.")
    return redirect("projects:detail", project_id=run.project_id)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HtmxHttpRequest, run_id: int, node_id: str) -> HttpResponse:
    run = get_run(request.user, run_id, Need.EDIT)
    if not run.is_draft:
        return _closed_run_redirect(request, run)
    definition = run.definition()
    if request.method == "GET":
        if node_id not in definition.nodes or node_id not in services.answerable_nodes(run):
            messages.info(request, "That question is not on your path: here is the current one.")
            return redirect(step_url(run, current_step(run)))
        return render_panel(request, run, node_id)
    if node_id not in definition.nodes:
        return render_panel(
            request, run, current_step(run), error="There is no such question.", status=422
        )
    form = StepForm(request.POST, node=definition.nodes[node_id])
    if not form.is_valid():
        return render_panel(request, run, node_id, form=form, status=422)
    try:
        services.run_answer(
            run=run,
            node_id=node_id,
            option_id=form.cleaned_data["option"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except services.StaleRun as stale:
        return render_panel(request, stale.current, node_id, refused=form.cleaned_data, status=409)
    except ValidationError as error:
        return render_panel(
            request, run, current_step(run), error=" ".join(error.messages), status=422
        )
    following = definition.nodes[node_id].option(form.cleaned_data["option"]).next
    target = following if following in definition.nodes else REVIEW
    if not request.htmx:
        return redirect(step_url(run, target))
    return push_url(render_panel(request, run, target), step_url(run, target))


@login_required
@require_GET
def review(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = get_run(request.user, run_id, Need.EDIT)
    if not run.is_draft:
        return _closed_run_redirect(request, run)
    if current_step(run) != REVIEW:
        return redirect(step_url(run, current_step(run)))
    return render_panel(request, run, REVIEW)
