"""Finishing a wizard run into a saved, immutable decision revision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from decisions.evidence.aggregate import project_evidence
from decisions.flowchart.diagram import render_svg
from decisions.flowchart.explain import explain
from decisions.flowchart.snapshot import report_snapshot
from decisions.projects.models import Project
from decisions.records.carry import review_carry_over
from decisions.records.models import Decision, Review
from decisions.records.steps import steps_track
from decisions.wizard.models import RunStatus, WizardRun

SNAPSHOT_FIELDS = (
    "title",
    "title_derived",
    "failure_type",
    "techniques_tried",
    "iterations",
    "severity",
    "input_text",
    "bad_output",
    "expected_output",
)


def examples_snapshot(project: Project) -> list[dict]:
    return list(project.examples.order_by("created_at", "pk").values(*SNAPSHOT_FIELDS))


def project_context(project: Project) -> dict:
    """What the report's summary says about the feature, as it stands now."""
    return {
        "name": project.name,
        "description": project.description,
        "use_case": project.get_use_case_display(),
        "model_in_use": project.model_in_use,
        "owner": project.owner.get_username() if project.owner else "",
    }


def without_case_results(document: dict) -> dict:
    """The explanation as saved: trials keep their counts, not their case-by-case results.
    The rules have read those already, and what the report shows of them (the groups, the
    last paired comparison) is saved beside; a few trials of a thousand cases each would
    otherwise make every revision, and every read of it, hundreds of kilobytes larger."""
    evidence = document["evidence"]
    if not any("per_case" in trial for trial in evidence.get("trials", ())):
        return document
    trials = [
        {key: value for key, value in trial.items() if key != "per_case"}
        for trial in evidence["trials"]
    ]
    return {**document, "evidence": {**evidence, "trials": trials}}


@transaction.atomic
def decision_create(*, run: WizardRun, user) -> Decision:
    # Lock the run so a double click or a teammate cannot finish it twice.
    run = WizardRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise ValidationError("This run is already finished or discarded.")
    definition = run.definition()
    explanation = explain(
        definition, run.chosen_options(), project_evidence(run.project, definition.vocabulary)
    )
    result = explanation.result
    if not result.is_complete:
        question = definition.nodes[result.next_node].question
        raise ValidationError(f"The flowchart is not complete yet: answer “{question}” first.")
    # Locking the project row serializes revision numbers per project.
    Project.objects.select_for_update().filter(pk=run.project_id).first()
    last = run.project.decisions.aggregate(last=Max("revision"))["last"] or 0
    previous = run.project.decisions.filter(revision=last).first() if last else None
    explanation_document = without_case_results(explanation.to_dict())
    decision = Decision.objects.create(
        project=run.project,
        revision=last + 1,
        run=run,
        outcome=result.outcome,
        confidence=explanation.confidence,
        answers=run.chosen_options(),
        notes=run.notes(),
        explanation=explanation_document,
        snapshot=report_snapshot(
            definition, explanation_document, labels=definition.vocabulary.labels()
        ),
        diagram_svg=render_svg(definition, result),
        examples=examples_snapshot(run.project),
        context=project_context(run.project),
        flowchart_version=definition.version,
        flowchart_hash=definition.content_hash,
        created_by=user,
    )
    Review.objects.create(decision=decision)
    review_carry_over(previous=previous, decision=decision, user=user)
    steps_track(decision, previous=previous)
    WizardRun.objects.filter(pk=run.pk).update(status=RunStatus.FINISHED)
    run.project.touch()
    return decision
