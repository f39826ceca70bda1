"""Starting, answering and discarding wizard runs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from decisions.flowchart.registry import current_version
from decisions.projects.models import Project
from decisions.wizard.models import NOTE_MAX, RunStatus, WizardRun


class StaleRun(Exception):
    """The run changed since the form was loaded; nothing was saved."""

    def __init__(self, current: WizardRun) -> None:
        super().__init__("The run changed since this question was loaded.")
        self.current = current


def run_start(*, project: Project, user, restart: bool = False) -> tuple[WizardRun, bool]:
    """The project's draft run, or a new one: (run, created).

    With `restart`, a draft on an older flowchart version is discarded and a run on the
    current version begins (a draft otherwise finishes on the version it started on).
    """
    draft = project.wizard_runs.filter(status=RunStatus.DRAFT).first()
    older = None
    if draft and restart and draft.flowchart_version != current_version():
        # Kept, not deleted: the older draft stays in the project's runs with its answers.
        run_discard(run=draft)
        older, draft = draft, None
    if draft:
        return draft, False
    try:
        with transaction.atomic():
            run = WizardRun(project=project, created_by=user)
            run.answers = carried_answers(project, run.definition(), draft=older)
            run.save()
            return run, True
    except IntegrityError:
        # A teammate started one at the same moment: resume theirs.
        return project.wizard_runs.get(status=RunStatus.DRAFT), False


def carried_answers(project: Project, definition, *, draft: WizardRun | None = None) -> dict:
    """The latest revision's answers to questions this version still asks, marked as carried
    over: the wizard shows each pre-selected for the PM to confirm or change. Starting again
    from a draft on an older version, that draft's answers come first: they are the newer."""
    # Saved decisions hang off the project (records comes after this stage: no import).
    latest = project.decisions.order_by("-revision").values("revision", "answers").first()
    carried = {}
    if latest is not None:
        for node_id, option_id in latest["answers"].items():
            if still_asked(definition, node_id, option_id):
                carried[node_id] = {"option": option_id, "carried": latest["revision"]}
    if draft is not None:
        for node_id, option_id in draft.chosen_options().items():
            if still_asked(definition, node_id, option_id):
                carried[node_id] = {
                    "option": option_id,
                    "carried": "draft",
                    "carried_from": draft.flowchart_version,
                }
    return carried


def still_asked(definition, node_id: str, option_id: str) -> bool:
    node = definition.nodes.get(node_id)
    return bool(node and node.option(option_id))


def answerable_nodes(run: WizardRun) -> set[str]:
    """Questions that may be answered now: those on the path, and the next one."""
    result = run.evaluate()
    nodes = {step.node_id for step in result.path}
    if result.next_node:
        nodes.add(result.next_node)
    return nodes


def run_answer(
    *, run: WizardRun, node_id: str, option_id: str, note: str, expected_version: int, user
) -> WizardRun:
    if not run.is_draft:
        raise ValidationError("This run is finished or discarded; start a new one to change it.")
    definition = run.definition()
    node = definition.nodes.get(node_id)
    if node is None:
        raise ValidationError(f"There is no question “{node_id}” in this flowchart.")
    if node.option(option_id) is None:
        raise ValidationError(f"“{option_id}” is not one of the answers to this question.")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note is {len(note)} characters long; the limit is {NOTE_MAX}.")
    if run.version != expected_version:
        raise StaleRun(run)
    if node_id not in answerable_nodes(run):
        current = run.evaluate().next_node
        hint = f" Answer “{definition.nodes[current].question}” first." if current else ""
        raise ValidationError(f"That question is not on your path yet.{hint}")
    answers = {
        **run.answers,
        node_id: {
            "option": option_id,
            "note": note.strip(),
            "by": user.get_username(),
            "at": timezone.now().isoformat(),
        },
    }
    # Compare-and-set: if a teammate or another tab saved first, nothing is overwritten.
    updated = WizardRun.objects.filter(
        pk=run.pk, version=expected_version, status=RunStatus.DRAFT
    ).update(answers=answers, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleRun(WizardRun.objects.get(pk=run.pk))
    run.answers, run.version = answers, expected_version + 1
    return run


def run_discard(*, run: WizardRun) -> None:
    WizardRun.objects.filter(pk=run.pk, status=RunStatus.DRAFT).update(
        status=RunStatus.DISCARDED, version=F("version") + 1
    )
