"""The project's held-out test set: which examples may be in it, how a share is chosen, and
what the pages say about it. The one write is `services.test_set_choose`.

A test case needs an expected output, so only examples with one are candidates. A share is
chosen by a stable hash of each example's id: the same examples are held out however often it is
chosen again, and adding examples later moves none of them (they go to training until the PM
chooses again).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from decisions.evidence.models import FailedExample, PromptTrial, TestSet
from decisions.projects.models import Project

MIN_SHARE_PERCENT = 5
MAX_SHARE_PERCENT = 50
DEFAULT_SHARE_PERCENT = 20


def candidates(project: Project) -> QuerySet[FailedExample]:
    """The examples that can be test cases: those with an expected output."""
    return project.examples.exclude(expected_output="")


def hash_rank(example_id: int) -> bytes:
    return hashlib.sha256(f"test-set:{example_id}".encode()).digest()


def share_of(example_ids: list[int], share_percent: int) -> set[int]:
    """The ids a share holds out: those whose hash comes first, rounded to whole examples."""
    held = round(len(example_ids) * share_percent / 100)
    return set(sorted(example_ids, key=hash_rank)[:held])


@dataclass(frozen=True)
class Split:
    """What the pages say: "N for training, M held out"."""

    training: int  # examples with an expected output outside the test set
    held_out: int
    without_expected: int  # neither: no expected output, so no test case and no training row
    test_set: TestSet | None

    @property
    def chosen(self) -> bool:
        return self.test_set is not None

    @property
    def test_set_version(self) -> int | None:
        return self.test_set.version if self.test_set else None


def project_split(project: Project) -> Split:
    counts = project.examples.aggregate(
        held_out=Count("pk", filter=Q(in_test_set=True)),
        training=Count("pk", filter=Q(in_test_set=False) & ~Q(expected_output="")),
        without_expected=Count("pk", filter=Q(in_test_set=False, expected_output="")),
    )
    test_set = TestSet.objects.filter(project=project).select_related("chosen_by").first()
    return Split(test_set=test_set, **counts)


def trials_on_current_test_set(project: Project) -> list[PromptTrial]:
    """The trials a change of the test set would leave measured on an old one."""
    test_set = TestSet.objects.filter(project=project).only("version").first()
    if test_set is None:
        return []
    return list(
        project.trials.filter(test_set_version=test_set.version).only("pk", "label", "model_name")
    )


def needs_confirmation(project, confirmed_version: int | None) -> list[PromptTrial]:
    """The trials a change would strand, unless the PM already confirmed this version."""
    split = project_split(project)
    if not split.chosen or confirmed_version == split.test_set.version:
        return []
    return trials_on_current_test_set(project)


def chosen_message(project) -> str:
    split = project_split(project)
    return (
        f"Test set version {split.test_set.version}: {split.held_out} held out, "
        f"{split.training} for training."
    )


# "Group by" names that read a field of the test-set example a case is about, when the file
# itself carries no group: the case id is "example-<id>" (our experiment's) or its title.
EXAMPLE_FIELDS = {"example.failure_type": "failure_type", "example.severity": "severity"}


def groups_from_examples(project: Project, case_ids: list[str], group_by: str) -> dict[str, str]:
    """{case id: the named field of the test-set example the case names}; cases naming no
    test-set example are left without a group."""
    field = EXAMPLE_FIELDS[group_by]
    by_id, by_title = {}, {}
    for example in project.examples.filter(in_test_set=True).only(
        "pk", "title", "failure_type", "severity"
    ):
        label = (
            example.failure_type_short()
            if field == "failure_type"
            else (example.get_severity_display())
        )
        by_id[f"example-{example.pk}"] = label
        by_title.setdefault(example.title, label)
    return {
        case: by_id.get(case) or by_title.get(case)
        for case in case_ids
        if by_id.get(case) or by_title.get(case)
    }


@dataclass(frozen=True)
class Change:
    """What choosing a share would move: test cases that would become training data, and
    training examples that would become test cases."""

    to_training: int
    to_test_set: int


def share_change(project: Project, share_percent: int) -> Change:
    eligible = list(candidates(project).values_list("pk", flat=True))
    held = set(project.examples.filter(in_test_set=True).values_list("pk", flat=True))
    new = share_of(eligible, share_percent)
    return Change(to_training=len(held - new), to_test_set=len(new - held))


# What a trial's pass rate says about unseen cases depends on its cases being held out. A case
# is matched to an example as `groups_from_examples` matches it: "example-<id>" (the experiment
# export names cases so) or the example's title.
UNSEEN = "its pass rate says less about unseen cases."
NO_TEST_SET = f"No test set is chosen, so this trial's cases are not held out: {UNSEEN}"


def trial_test_set_notes(
    project: Project, trials: list[PromptTrial], *, chosen: bool
) -> dict[int, str]:
    """{trial pk: why its cases may not be the test set's}, for the trials that have a reason:
    some cases are not in the test set, none is `chosen`, or its cases cannot be matched (typed
    in, listed in part, or named in a way no example of the project is). One query, and only
    when a trial lists its cases."""
    if not chosen:
        return {trial.pk: NO_TEST_SET for trial in trials}
    notes = {}
    listed = []
    for trial in trials:
        results = trial.results or {}
        if not results:
            notes[trial.pk] = (
                "This trial was recorded without its cases, so whether they are in the test "
                "set cannot be told."
            )
        elif len(results) != trial.cases:
            notes[trial.pk] = (
                f"This trial lists {len(results)} of its {trial.cases} cases, so whether they "
                "are in the test set cannot be told."
            )
        else:
            listed.append(trial)
    if not listed:
        return notes
    held_by_id: dict[str, bool] = {}
    held_by_title: dict[str, bool] = {}
    for pk, title, in_test_set in project.examples.values_list("pk", "title", "in_test_set"):
        held_by_id[f"example-{pk}"] = in_test_set
        held_by_title[title] = held_by_title.get(title, False) or in_test_set
    for trial in listed:
        named = in_test_set = 0
        for case in trial.results:
            if case in held_by_id or case in held_by_title:
                named += 1
                in_test_set += bool(held_by_id.get(case) or held_by_title.get(case))
        outside = trial.cases - in_test_set
        if not named:
            notes[trial.pk] = (
                "No case id of this trial names an example of this project (example-<id>, or "
                "its title), so whether its cases are in the test set cannot be told."
            )
        elif outside:
            verb = "is" if outside == 1 else "are"
            notes[trial.pk] = (
                f"{outside} of this trial's {trial.cases} cases {verb} not in the test set: "
                f"{UNSEEN}"
            )
    return notes
