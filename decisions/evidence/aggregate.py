"""The evidence a wizard step reads: a project's failed examples and measured trials as the
flowchart's Evidence, in two queries, and cached per process for the step panels."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from django.db.models import Count, IntegerField, Max, Q, Sum
from django.db.models.functions import Cast

from decisions.flowchart.evidence import Evidence, ExampleGroup
from decisions.flowchart.trials import Trial
from decisions.flowchart.vocabulary import Vocabulary
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
            most_iterations=Max("iterations"),
        )
    )
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
    return replace(evidence, trials=project_trials(project), pass_mark=project.pass_mark / 100)


def project_trials(project: Project) -> tuple[Trial, ...]:
    """The project's measured trials, oldest first, as the flowchart reads them."""
    return tuple(
        Trial(
            label=trial.label,
            model=trial.model_display,
            run_on=trial.run_on.isoformat(),
            techniques=frozenset(trial.techniques),
            cases=trial.cases,
            passed=trial.passed,
            on_current_model=trial.on_current_model,
        )
        for trial in project.trials.defer("results", "note")
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
