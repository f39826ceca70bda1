"""Measured prompt trials: the page with the chart, adding or importing a trial, the pass mark,
and comparing two trials case by case."""

from __future__ import annotations

import copy
import dataclasses
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from decisions.accounts.access import Need
from decisions.evidence import services
from decisions.evidence.aggregate import project_trials
from decisions.evidence.imports.parse import ImportRefused, Problem, grouped
from decisions.evidence.models import MAX_TRIAL_CASES, PromptTrial, TrialSource
from decisions.evidence.test_set import (
    EXAMPLE_FIELDS,
    groups_from_examples,
    project_split,
    trial_test_set_notes,
)
from decisions.evidence.trials.analysis import trials_analysis
from decisions.evidence.trials.chart import trials_chart_for
from decisions.evidence.trials.forms import BreakEvenForm, PassMarkForm, TrialFileForm, TrialForm
from decisions.evidence.trials.parse import compare, read_trial_file
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project
from decisions.projects.models import TITLE_MAX, Project

TRIALS_URL = "projects:trials"
MAX_ID = 2**63 - 1


def same_model(provider: str, model_in_use: str) -> bool:
    """Whether promptfoo's provider id ("openai:gpt-4o-mini") names the model the project
    uses ("GPT-4o mini"): letters and digits after the provider's prefix, compared whole."""

    def letters(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    return bool(model_in_use) and letters(provider.rsplit(":", 1)[-1]) == letters(model_in_use)


def trials_context(project: Project) -> dict:
    """The trials table and chart, from the same numbers the wizard reads."""
    trials = [trial.to_dict() for trial in project_trials(project)]
    recorded = list(project.trials.all())
    analysis = trials_analysis(project, recorded)
    verdicts = {row.later.pk: row.comparison.verdict for row in analysis["paired_rows"]}
    split = project_split(project)
    notes = trial_test_set_notes(project, recorded, chosen=split.chosen)
    for trial in recorded:
        trial.test_set_note = notes.get(trial.pk, "")
    return {
        "trial_rows": list(zip(recorded, trials, strict=True)),
        "trials_chart": trials_chart_for(
            project, trials, verdicts=[verdicts.get(trial.pk) for trial in recorded]
        ),
        "test_set_version": split.test_set_version,
        **analysis,
    }


@login_required
@require_GET
def trials_page(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.READ)
    return _render(request, project, membership)


def _render(request, project, membership, *, status=200, **forms) -> HttpResponse:
    break_even = BreakEvenForm(request.GET if "cost_wrong" in request.GET else None)
    context = {
        "project": project,
        "membership": membership,
        **trials_context(project),
        "trial_form": forms.get("trial_form") or TrialForm(prefix="trial"),
        "import_form": forms.get("import_form") or TrialForm(prefix="import", with_counts=False),
        "file_form": forms.get("file_form") or TrialFileForm(),
        "pass_mark_form": forms.get("pass_mark_form")
        or PassMarkForm(initial={"pass_mark": project.pass_mark, "version": project.version}),
        "break_even_form": break_even,
        "break_even": break_even.break_even(),
        "problem_groups": forms.get("problem_groups", []),
    }
    return render(request, "evidence/trials.html", context, status=status)


@login_required
@require_POST
def trial_add(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.EDIT)
    form = TrialForm(request.POST, prefix="trial")
    if not form.is_valid():
        return _render(request, project, membership, status=422, trial_form=form)
    trial = services.trial_create(project=project, trial=form.save(commit=False), user=request.user)
    messages.success(request, f"Trial “{trial.label}” recorded: {trial.passed} of {trial.cases}.")
    return redirect(TRIALS_URL, project.pk)


@login_required
@require_POST
def trial_import(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.EDIT)
    form = TrialForm(request.POST, prefix="import", with_counts=False)
    file_form = TrialFileForm(request.POST, request.FILES)
    problems = []
    if form.is_valid() and file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        group_by = file_form.cleaned_data["group_by"].strip()
        from_examples = group_by in EXAMPLE_FIELDS
        try:
            runs = read_trial_file(
                upload.read(settings.IMPORT_MAX_BYTES + 1),
                upload.name,
                max_bytes=settings.IMPORT_MAX_BYTES,
                group_by="" if from_examples else group_by,
                rule=file_form.rule(),
            )
            if from_examples:
                runs = [_grouped_by_examples(project, results, group_by) for results in runs]
            trials = [
                _imported_trial(form, results, upload.name, project, several=len(runs) > 1)
                for results in runs
            ]
        except ImportRefused as refusal:
            problems = refusal.problems
        else:
            with transaction.atomic():  # all the file's trials, or none
                for trial in trials:
                    services.trial_create(project=project, trial=trial, user=request.user)
            messages.success(request, _imported_message(trials))
            return redirect(TRIALS_URL, project.pk)
    return _render(
        request,
        project,
        membership,
        status=422,
        import_form=form,
        file_form=file_form,
        problem_groups=grouped(problems),
    )


def _grouped_by_examples(project: Project, results, group_by: str):
    groups = groups_from_examples(project, list(results.results), group_by)
    if not groups:
        raise ImportRefused(
            [
                Problem(
                    "No case id names an example of the test set (example-<id>, or its "
                    f"title), so nothing can be grouped by {group_by}."
                )
            ]
        )
    return dataclasses.replace(results, groups=groups)


def _imported_message(trials: list[PromptTrial]) -> str:
    if len(trials) == 1:
        trial = trials[0]
        return f"Trial “{trial.label}” imported: {trial.passed} of {trial.cases} cases passed" + (
            f" in most of their {trial.repeats} runs." if trial.repeats > 1 else "."
        )
    each = "; ".join(f"{t.model_name}: {t.passed} of {t.cases}" for t in trials)
    return f"{len(trials)} trials imported, one per model the file ran: {each}."


def _imported_trial(
    form, results, filename: str, project: Project, *, several: bool = False
) -> PromptTrial:
    """The trial a file makes, held to the limits the form holds a typed one to: what the
    form left empty comes from the file and was never checked. A file of several models
    makes one trial each, named by the file; the one whose model is the project's own is the
    trial on the current model."""
    trial = copy.copy(form.save(commit=False))
    trial.pk = trial.id = None
    trial.label = trial.label or results.label or " ".join(filename.split())
    if several:
        trial.model_name = results.model or "unknown model"
        trial.on_current_model = same_model(results.model, project.model_in_use)
    trial.model_name = trial.model_name or results.model or "unknown model"
    trial.cases, trial.passed = results.cases, results.passed
    trial.results = results.results
    trial.repeats = results.repeats
    trial.repeat_counts = results.repeat_counts()
    trial.case_groups = results.groups
    # Typed figures win over the file's: the PM may know the price the file does not.
    if trial.cost_per_1k_requests is None:
        trial.cost_per_1k_requests = results.cost_per_1k
    if trial.p95_latency_ms is None:
        trial.p95_latency_ms = results.p95_latency_ms
    trial.source = TrialSource(results.source)
    problems = []
    if trial.cases > MAX_TRIAL_CASES:
        problems.append(
            f"The file holds {trial.cases:,} test cases; a trial holds at most "
            f"{MAX_TRIAL_CASES:,}. Split the test set into trials of that size."
        )
    if len(trial.label) > TITLE_MAX:
        problems.append(
            f"The file name is {len(trial.label):,} characters long and would be the trial's "
            f"label, which holds at most {TITLE_MAX}: write a label."
        )
    model_max = PromptTrial._meta.get_field("model_name").max_length
    if len(trial.model_name) > model_max:
        problems.append(
            f"The model the file names is {len(trial.model_name):,} characters long; a "
            f"trial's model holds at most {model_max}: write the model."
        )
    if problems:
        raise ImportRefused([Problem(message) for message in problems])
    return trial


@login_required
@require_POST
def trial_delete(request: HtmxHttpRequest, project_id: int, trial_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    trial = project.trials.filter(pk=trial_id).first()
    if trial is None:
        raise Http404("No such trial.")
    services.trial_delete(trial=trial)
    messages.success(request, f"Trial “{trial.label}” deleted.")
    return redirect(TRIALS_URL, project.pk)


@login_required
@require_POST
def pass_mark_set(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, membership = get_project(request.user, project_id, Need.EDIT)
    form = PassMarkForm(request.POST)
    if not form.is_valid():
        return _render(request, project, membership, status=422, pass_mark_form=form)
    saved = services.pass_mark_set(
        project=project,
        pass_mark=form.cleaned_data["pass_mark"],
        version=form.cleaned_data["version"],
    )
    if not saved:
        form.add_error(
            None,
            "Someone changed the project meanwhile; nothing was overwritten. The pass mark is "
            f"now {Project.objects.get(pk=project.pk).pass_mark}%: check it and save again.",
        )
        return _render(request, project, membership, status=409, pass_mark_form=form)
    messages.success(request, f"Pass mark set to {form.cleaned_data['pass_mark']}%.")
    return redirect(TRIALS_URL, project.pk)


@login_required
@require_GET
def trial_compare(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.READ)
    try:
        ids = [int(request.GET.get(key, "")) for key in ("a", "b")]
    except ValueError:
        raise Http404("Choose two trials of this project.") from None
    # An id the id column cannot hold names no trial; the database would fail on it, not say so.
    if any(not 0 < trial_id <= MAX_ID for trial_id in ids):
        raise Http404("Choose two trials of this project.")
    chosen = {trial.pk: trial for trial in project.trials.filter(pk__in=ids)}
    if any(trial_id not in chosen for trial_id in ids):
        raise Http404("Choose two trials of this project.")
    first, second = (chosen[trial_id] for trial_id in ids)
    context = {
        "project": project,
        "first": first,
        "second": second,
        "comparison": compare(first.results, second.results)
        if first.results and second.results
        else None,
    }
    return render(request, "evidence/trial_compare.html", context)
