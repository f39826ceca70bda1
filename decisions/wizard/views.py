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
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from decisions.accounts.access import Need
from decisions.evidence.aggregate import panel_evidence
from decisions.flowchart.evidence import prefills
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import current_version
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project
from decisions.wizard import services
from decisions.wizard.access import get_run
from decisions.wizard.forms import StepForm
from decisions.wizard.models import RunStatus, WizardRun

REVIEW = "review"


def step_url(run: WizardRun, node_id: str) -> str:
    if node_id == REVIEW:
        return reverse("wizard:review", kwargs={"run_id": run.pk})
    return reverse("wizard:step", kwargs={"run_id": run.pk, "node_id": node_id})


def current_step(run: WizardRun) -> str:
    result = run.evaluate()
    return result.next_node or REVIEW


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


def render_panel(
    request: HtmxHttpRequest,
    run: WizardRun,
    node_id: str,
    *,
    form: StepForm | None = None,
    refused: dict | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The wizard page, or only its panel for htmx: progress, then the question or review."""
    context = panel_context(run, node_id, form=form, refused=refused, error=error)
    full_page = not request.htmx or request.htmx.history_restore_request
    template = "wizard/run.html" if full_page else "wizard/run.html#panel"
    return render(request, template, context, status=status)


def panel_context(run, node_id, *, form=None, refused=None, error="") -> dict:
    definition = run.definition()
    result = run.evaluate()
    on_path = {step.node_id for step in result.path}
    steps = [
        {
            "step": step,
            "note": run.answers[step.node_id].get("note", ""),
            "url": step_url(run, step.node_id),
            "current": step.node_id == node_id,
        }
        for step in result.path
    ]
    ignored = [
        {
            "question": definition.nodes[ignored_id].question,
            "answer": definition.nodes[ignored_id].option(option_id).label,
        }
        for ignored_id, option_id in result.ignored.items()
    ]
    context = {
        "run": run,
        "project": run.project,
        "definition": definition,
        "result": result,
        "steps": steps,
        "ignored": ignored,
        "error": error,
        "is_review": node_id == REVIEW,
        "discard_url": reverse("wizard:discard", kwargs={"run_id": run.pk}),
    }
    evidence = panel_evidence(run.project, definition)
    if node_id == REVIEW:
        # Confidence and warnings before the PM saves, not only on the report after.
        context["explanation"] = explain(definition, run.chosen_options(), evidence)
        context["outcome"] = definition.outcomes[result.outcome]
        context["back_url"] = steps[-1]["url"] if steps else None
        return context
    node = definition.nodes[node_id]
    saved = run.answers.get(node_id, {})
    prefill = prefills(definition, evidence).get(node_id)
    selected = saved.get("option") or (prefill.option_id if prefill else None)
    if form is not None and form.data.get("option"):
        selected = form.data.get("option")
    index = next((i for i, s in enumerate(result.path) if s.node_id == node_id), len(steps))
    context.update(
        {
            "node": node,
            # Only a bound form's errors are shown: an unanswered question needs no form object.
            "form": form,
            "selected": selected,
            "note": form.data.get("note", "") if form is not None else saved.get("note", ""),
            "saved": saved,
            "saved_label": node.option(saved["option"]).label if saved else "",
            "prefill": prefill,
            "prefill_label": node.option(prefill.option_id).label if prefill else "",
            "question_number": index + 1,
            "most_questions": index + definition.most_questions_from(node_id),
            "no_evidence": evidence.example_count == 0 and "no_evidence" in definition.rules,
            "newer_version": definition.version != current_version(),
            "back_url": steps[index - 1]["url"] if index > 0 else None,
            "step_url": step_url(run, node_id),
            "is_next": node_id not in on_path,
            "refused": refused,
            "refused_label": node.option(refused["option"]).label if refused else "",
        }
    )
    return context
