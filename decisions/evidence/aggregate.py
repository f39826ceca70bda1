"""The evidence a wizard step reads: a project's failed examples and measured trials as the
flowchart's Evidence, in two queries, and cached per process for the step panels."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from django.db.models import Count, IntegerField, Max, Q, Subquery, Sum
from django.db.models.functions import Cast

from decisions.evidence.models import PromptTrial, TestSet
from decisions.evidence.test_set import trial_test_set_notes
from decisions.evidence.trials.analysis import latest_groups, predecessor_rows
from decisions.flowchart.evidence import Evidence, ExampleGroup
from decisions.flowchart.trials import CaseResult, Trial
from decisions.flowchart.vocabulary import Vocabulary
from decisions.lib import clock
from decisions.projects.models import Project


def project_evidence(project: Project, vocabulary: Vocabulary) -> Evidence:
    # Grouped in the database: one row per failure type and set of techniques tried (a few
    # rows, whatever the number of examples), never the examples' texts. Every wizard step
    # asks for this, so it must not grow with the project.
    groups = (
        project.examples.order_by()
        .values("failure_type", "techniques_tried")
        .annotate(
            count=Count("pk"),
            with_expected=Sum(Cast(~Q(expected_output=""), IntegerField())),
            held_out=Sum(Cast(Q(in_test_set=True), IntegerField())),
            held_expected=Sum(Cast(Q(in_test_set=True) & ~Q(expected_output=""), IntegerField())),
            training=Sum(Cast(Q(in_test_set=False) & ~Q(expected_output=""), IntegerField())),
            # Of those to train on, the ones that also keep the bad output: DPO pairs.
            pairs=Sum(
                Cast(
                    Q(in_test_set=False) & ~Q(expected_output="") & ~Q(bad_output=""),
                    IntegerField(),
                )
            ),
            most_iterations=Max("iterations"),
            # Per row, but the same on each: saves the test set a query of its own. None when
            # no test set is chosen.
            test_set_version=Subquery(
                TestSet.objects.filter(project=project).values("version")[:1]
            ),
        )
    )
    groups = list(groups)
    evidence = Evidence.from_groups(
        (
            ExampleGroup(
                failure_type=group["failure_type"],
                techniques_tried=tuple(group["techniques_tried"] or ()),
                count=group["count"],
                with_expected_output=group["with_expected"],
                most_iterations=group["most_iterations"],
            )
            for group in groups
        ),
        vocabulary,
    )
    pass_mark = project.pass_mark / 100
    # One read of the trials, their case results included, for the rates and the case by case.
    recorded = list(project.trials.all())
    return replace(
        evidence,
        trials=tuple(flowchart_trial(trial) for trial in recorded),
        pass_mark=pass_mark,
        **_test_set_numbers(groups),
        **_case_by_case([trial for trial in recorded if trial.results], pass_mark),
    )


def _test_set_numbers(groups: list[dict]) -> dict:
    """The test set's size and what is left to train on, the preference pairs among those,
    and the day the decision is judged on (vendor facts and their dates are read against it)."""
    numbers = {
        "preference_pairs": sum(group["pairs"] or 0 for group in groups),
        "decided_on": clock.today(),
    }
    if not groups or groups[0]["test_set_version"] is None:
        return numbers
    held_out = sum(group["held_out"] or 0 for group in groups)
    with_expected_held_out = sum(group["held_expected"] or 0 for group in groups)
    return {
        **numbers,
        "test_set_size": held_out,
        "held_out": with_expected_held_out,
        "training_count": sum(group["training"] or 0 for group in groups),
        "test_set_version": groups[0]["test_set_version"],
    }


def _case_by_case(trials: list[PromptTrial], pass_mark: float) -> dict:
    """The latest grouped trial's groups and the latest paired comparison, as saved."""
    grouped, rates = latest_groups(trials, pass_mark)
    paired = predecessor_rows(trials)
    numbers: dict = {}
    if rates:
        numbers["group_results"] = tuple(
            {
                "trial": grouped.label,
                "model": grouped.model_display,
                "group": rate.group,
                "passed": rate.passed,
                "cases": rate.cases,
                "low": round(rate.interval[0], 4),
                "high": round(rate.interval[1], 4),
                "below_mark": rate.flagged,
            }
            for rate in rates
        )
    if paired:
        last = paired[-1]
        counts = last.comparison.counts
        numbers["last_comparison"] = {
            "earlier": last.earlier.label,
            "later": last.later.label,
            "model": last.later.model_display,
            "cases": counts.cases,
            "fixed": counts.second_only,
            "broken": counts.first_only,
            "p_value": round(last.comparison.p_value, 4),
            "low": round(last.comparison.interval[0], 4),
            "high": round(last.comparison.interval[1], 4),
            "verdict": last.comparison.verdict,
        }
    return numbers


def project_trials(project: Project) -> tuple[Trial, ...]:
    """The project's measured trials, oldest first, as the flowchart reads them (their rates:
    the case by case stays in the database)."""
    return tuple(
        flowchart_trial(trial, with_cases=False)
        for trial in project.trials.defer("results", "case_groups", "note")
    )


def flowchart_trial(trial: PromptTrial, *, with_cases: bool = True) -> Trial:
    cost = trial.cost_per_1k_requests
    return Trial(
        label=trial.label,
        model=trial.model_display,
        run_on=trial.run_on.isoformat(),
        techniques=frozenset(trial.techniques),
        cases=trial.cases,
        passed=trial.passed,
        on_current_model=trial.on_current_model,
        cost_per_1k=float(cost) if cost is not None else None,
        p95_latency_ms=trial.p95_latency_ms,
        per_case=trial_cases(trial) if with_cases else None,
    )


def trial_cases(trial: PromptTrial) -> tuple[CaseResult, ...] | None:
    """A trial's results case by case, with each case's group, for the rules that compare
    trials on shared cases (no significant gain) and read groups (a slice below the mark).
    Only when they account for every case and every pass: a trial typed in with a partial
    list would otherwise count cases it never ran."""
    results = trial.results or {}
    if len(results) != trial.cases or sum(map(bool, results.values())) != trial.passed:
        return None
    groups = trial.case_groups or {}
    return tuple(
        CaseResult(str(case), bool(passed), groups.get(case)) for case, passed in results.items()
    )


# Evidence for the wizard's panels, per process, keyed on what changes it: every change to a
# project's examples or trials touches `project.last_activity_at` (the app's views, imports and
# the admin all do), and the pass mark lives on the project row the step has loaded anyway. A
# step then needs no query for its prefills. Saving a decision never reads from here.
PANEL_EVIDENCE_ENTRIES = 512
_panel_evidence: OrderedDict[tuple, Evidence] = OrderedDict()
_panel_evidence_lock = threading.Lock()


def panel_evidence(project: Project, definition) -> Evidence:
    key = (project.pk, project.last_activity_at, project.pass_mark, definition.version)
    with _panel_evidence_lock:
        if key in _panel_evidence:
            _panel_evidence.move_to_end(key)
            return _panel_evidence[key]
    evidence = project_evidence(project, definition.vocabulary)
    with _panel_evidence_lock:
        _panel_evidence[key] = evidence
        while len(_panel_evidence) > PANEL_EVIDENCE_ENTRIES:
            _panel_evidence.popitem(last=False)
    return evidence


@dataclass(frozen=True)
class TrialNote:
    """Why one trial's cases may not be the test set's (test_set.trial_test_set_notes)."""

    label: str
    on_current_model: bool
    note: str


# The same per-process cache for the notes a prefill built on trials shows: they change only
# with the project's examples, trials or test set, and every such write touches the project.
_panel_trial_notes: OrderedDict[tuple, tuple[bool, tuple[TrialNote, ...]]] = OrderedDict()


def panel_trial_notes(project: Project) -> tuple[bool, tuple[TrialNote, ...]]:
    """(whether a test set is chosen, the notes of the trials that have one), oldest first."""
    key = (project.pk, project.last_activity_at)
    with _panel_evidence_lock:
        if key in _panel_trial_notes:
            _panel_trial_notes.move_to_end(key)
            return _panel_trial_notes[key]
    chosen = TestSet.objects.filter(project=project).exists()
    trials = list(project.trials.only("pk", "label", "on_current_model", "cases", "results"))
    notes = trial_test_set_notes(project, trials, chosen=chosen)
    found = (
        chosen,
        tuple(
            TrialNote(trial.label, trial.on_current_model, notes[trial.pk])
            for trial in trials
            if trial.pk in notes
        ),
    )
    with _panel_evidence_lock:
        _panel_trial_notes[key] = found
        while len(_panel_trial_notes) > PANEL_EVIDENCE_ENTRIES:
            _panel_trial_notes.popitem(last=False)
    return found
