"""The wizard's step panel: the question (or the review before saving) with its prefill,
the path so far and the progress. Views of the wizard and of records render it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from decisions.evidence.aggregate import panel_evidence, panel_trial_notes
from decisions.flowchart.evidence import prefills
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import current_version
from decisions.lib.htmx import HtmxHttpRequest
from decisions.wizard.forms import StepForm
from decisions.wizard.models import WizardRun

REVIEW = "review"


def step_url(run: WizardRun, node_id: str) -> str:
    if node_id == REVIEW:
        return reverse("wizard:review", kwargs={"run_id": run.pk})
    return reverse("wizard:step", kwargs={"run_id": run.pk, "node_id": node_id})


def current_step(run: WizardRun) -> str:
    result = run.evaluate()
    return result.next_node or REVIEW


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
            "prefill_trial_notes": prefill_trial_notes(run.project, prefill),
            "question_number": index + 1,
            "most_questions": index + definition.most_questions_from(node_id),
            "no_evidence": evidence.example_count == 0 and "no_evidence" in definition.rules,
            "newer_version": definition.version != current_version(),
            "back_url": steps[index - 1]["url"] if index > 0 else None,
            "step_url": step_url(run, node_id),
            "is_next": node_id not in on_path,
            "refused": refused,
            "refused_label": node.option(refused["option"]).label if refused else "",
            "vendor_facts": (facts := vendor_rows(definition, node.id)),
            "vendor_checked_on": max((fact.checked_on for fact in facts), default=None),
        }
    )
    return context


# The questions whose prefill rests on trials without always naming one: those on the current
# model (True) or on other models (False).
TRIAL_QUESTIONS = {"prompt_effort": True, "stronger_model": False, "smaller_model": False}
TRIAL_NOTES_SHOWN = 3


def prefill_trial_notes(project, prefill) -> list[str]:
    """What the trials a prefill rests on lack as evidence about unseen cases: the trials its
    reason names (“label”), or else, on the questions trials answer, the trials it read."""
    if prefill is None or ("“" not in prefill.reason and prefill.node_id not in TRIAL_QUESTIONS):
        return []
    chosen, notes = panel_trial_notes(project)
    named = [note for note in notes if f"“{note.label}”" in prefill.reason]
    if not named and prefill.node_id in TRIAL_QUESTIONS:
        current = TRIAL_QUESTIONS[prefill.node_id]
        named = [note for note in notes if note.on_current_model == current]
    if not named:
        return []
    if not chosen:
        return [
            "No test set is chosen, so the trials' cases are not held out: their pass rates "
            "say less about unseen cases."
        ]
    shown = [f"“{note.label}”: {note.note}" for note in named[-TRIAL_NOTES_SHOWN:]]
    if len(named) > TRIAL_NOTES_SHOWN:
        more = len(named) - TRIAL_NOTES_SHOWN
        shown.append(f"And {more} earlier trial{'s' if more != 1 else ''}: see the trials page.")
    return shown


def vendor_rows(definition, node_id: str) -> tuple:
    """The definition's vendor facts table, on the question its rows answer (`platform`):
    dated data beside the choice, so the PM sees which services still train and since when
    that is known."""
    prefix = f"{node_id}."
    if any(key.startswith(prefix) for fact in definition.vendor_facts for key in fact.answers):
        return definition.vendor_facts
    return ()
