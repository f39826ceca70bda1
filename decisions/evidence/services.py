"""Every write to a project's evidence: failed examples, imported rows, trials, the pass mark.

Each one also touches the project, because the wizard keys the evidence it has read on the
project's last activity (aggregate.py): a write that skipped the touch would leave the wizard
prefilling from stale counts. Views and tasks call these; nothing else calls `touch()`, and
`tests/evidence/test_services.py` holds every function here to that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.forms import ModelForm
from django.utils import timezone

from decisions.evidence import test_set
from decisions.evidence.models import FailedExample, PromptTrial, TestSet, TestSetMethod
from decisions.lib.stale import save_unless_stale
from decisions.projects.models import Project

# Rows an import hands to one bulk_create: fewer round trips than a few hundred, little memory
# (Django splits a batch further where the database limits a statement's parameters).
INSERT_BATCH = 1_000


def evidence_changed(*projects: Project) -> None:
    """Marks the projects' evidence as changed: the one place an evidence write touches them."""
    for project in projects:
        project.touch()


def example_create(*, project: Project, form: ModelForm, user) -> FailedExample:
    with transaction.atomic():
        form.instance.project = project
        form.instance.created_by = user
        example = form.save()
        evidence_changed(project)
    return example


def example_update(*, example: FailedExample, form: ModelForm, version: int) -> bool:
    """Saves an edited example unless someone saved a newer version first (then False)."""
    with transaction.atomic():
        saved = save_unless_stale(form, version)
        if saved:
            evidence_changed(example.project)
    return saved


def example_delete(*, example: FailedExample) -> None:
    with transaction.atomic():
        example.delete()
        evidence_changed(example.project)


def examples_retag(*, project: Project, example_ids: Iterable[int], failure_type: str) -> int:
    with transaction.atomic():
        count = project.examples.filter(pk__in=list(example_ids)).update(
            failure_type=failure_type, version=F("version") + 1, updated_at=timezone.now()
        )
        evidence_changed(project)
    return count


def examples_delete(*, project: Project, example_ids: Iterable[int]) -> int:
    with transaction.atomic():
        count, _ = project.examples.filter(pk__in=list(example_ids)).delete()
        evidence_changed(project)
    return count


def examples_import(
    *,
    project: Project,
    rows: Iterable[dict],
    created_by_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Saves checked rows of an import, all or none (the caller holds the transaction open
    until the import is marked done). `rows` may be a generator: they are read and saved
    one batch at a time, so 100,000 of them are never all in memory; `progress` hears the
    number saved after each batch."""
    saved = 0
    with transaction.atomic():
        for batch in batched(rows, INSERT_BATCH):
            FailedExample.objects.bulk_create(
                [FailedExample(project=project, created_by_id=created_by_id, **v) for v in batch]
            )
            saved += len(batch)
            if progress is not None:
                progress(saved)
        evidence_changed(project)
    return saved


def trial_create(*, project: Project, trial: PromptTrial, user) -> PromptTrial:
    """Saves a trial (typed, or read from a file) on the project."""
    with transaction.atomic():
        trial.project = project
        trial.created_by = user
        current = TestSet.objects.filter(project=project).values_list("version", flat=True)
        trial.test_set_version = current.first()
        trial.save()
        evidence_changed(project)
    return trial


def trial_delete(*, trial: PromptTrial) -> None:
    with transaction.atomic():
        trial.delete()
        evidence_changed(trial.project)


def pass_mark_set(*, project: Project, pass_mark: int, version: int) -> bool:
    """Sets the share of cases a prompt must pass, unless the project changed since `version`
    (then False, nothing written)."""
    with transaction.atomic():
        saved = Project.objects.filter(pk=project.pk, version=version).update(
            pass_mark=pass_mark, version=F("version") + 1
        )
        if saved:
            project.pass_mark = pass_mark
            evidence_changed(project)
    return bool(saved)


def test_set_choose(
    *,
    project: Project,
    user,
    share_percent: int | None = None,
    example_ids: Iterable[int] | None = None,
) -> TestSet:
    """Holds out a share of the examples with an expected output (by a stable hash of each), or
    exactly the examples named; every other example goes to training. Raises ValidationError
    when the choice would hold out nothing, or names an example that cannot be a test case."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        eligible = list(test_set.candidates(project).values_list("pk", flat=True))
        if example_ids is None:
            held = test_set.share_of(eligible, share_percent)
            method = TestSetMethod.SHARE
        else:
            held = set(example_ids)
            refused = held - set(eligible)
            if refused:
                raise ValidationError(
                    f"{len(refused)} of the chosen examples "
                    f"{'has' if len(refused) == 1 else 'have'} no expected output, so they "
                    "cannot be test cases: add one to each, or leave them out."
                )
            method, share_percent = TestSetMethod.MANUAL, None
        if not held:
            raise ValidationError(
                f"That holds out no example: the project has {len(eligible)} with an expected "
                "output. Add examples with one, or choose a larger share."
            )
        project.examples.filter(pk__in=held).update(in_test_set=True)
        project.examples.exclude(pk__in=held).update(in_test_set=False)
        chosen, created = TestSet.objects.get_or_create(
            project=project,
            defaults={"method": method, "share_percent": share_percent, "chosen_by": user},
        )
        if not created:
            chosen.method, chosen.share_percent, chosen.chosen_by = method, share_percent, user
            chosen.version += 1
            chosen.chosen_at = timezone.now()
            chosen.save()
        evidence_changed(project)
    return chosen
