"""Whether a saved decision still stands: its project's examples, its test set or the flowchart
moved on, or the platform it chose stopped taking fine-tuning jobs.

One rule, in SQL (`with_staleness`), so the dashboard and the portfolio filter and count in the
database; the report's reasons (`staleness`) read the same annotations for one revision. The
vendor part is dated data in the definitions: which rows have closed depends on today, so the
condition is built in Python from the registered definitions and runs in SQL like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.template.defaultfilters import pluralize

from decisions.evidence.aggregate import project_evidence
from decisions.evidence.models import FailedExample, TestSet
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import check_all, current_version, get_definition
from decisions.flowchart.vendors import answer_keys, closed_reason, closed_rows
from decisions.lib import clock
from decisions.records.models import Decision


def closed_platforms() -> list[tuple[Q, str]]:
    """(condition, reason) per vendor row that has closed: a decision on that row's version
    whose answers include one of the row's answer keys."""
    day = clock.today()
    conditions = []
    for definition in check_all():
        for fact in closed_rows(definition, day):
            chose = Q()
            for node, option in answer_keys(fact):
                chose |= Q(**{f"answers__{node}": option})
            conditions.append(
                (Q(flowchart_version=definition.version) & chose, closed_reason(fact))
            )
    return conditions


def with_staleness(decisions: QuerySet) -> QuerySet:
    """Annotates `stale`, and what it is judged on: the project's examples now
    (`examples_now`, `examples_changed`), the count the revision was made with
    (`examples_saved`), its test set now and then (`test_set_*`), the flowchart version it used,
    and `platform_closed`: why the platform it chose no longer takes jobs ("" when it still
    does)."""
    examples = FailedExample.objects.filter(project=OuterRef("project_id")).order_by()
    by_project = examples.values("project_id")
    test_set = TestSet.objects.filter(project=OuterRef("project_id"))
    held = by_project.filter(in_test_set=True)
    annotated = decisions.annotate(
        examples_now=Coalesce(Subquery(by_project.annotate(n=Count("pk")).values("n")[:1]), 0),
        examples_changed=Subquery(by_project.annotate(at=Max("updated_at")).values("at")[:1]),
        examples_saved=Cast(KT("explanation__evidence__example_count"), IntegerField()),
        # None when the project has no test set now, or had none then. A revision saved before
        # the version was recorded knows only the test set's size: `chosen_at` judges it.
        test_set_now=Subquery(test_set.values("version")[:1]),
        test_set_chosen_at=Subquery(test_set.values("chosen_at")[:1]),
        test_set_saved=Cast(KT("explanation__evidence__test_set__version"), IntegerField()),
        test_set_held_now=Coalesce(Subquery(held.annotate(n=Count("pk")).values("n")[:1]), 0),
        test_set_held_saved=Cast(KT("explanation__evidence__test_set__size"), IntegerField()),
    )
    closed = closed_platforms()
    annotated = annotated.annotate(
        platform_closed=Case(
            *(When(condition, then=Value(reason)) for condition, reason in closed),
            default=Value(""),
            output_field=CharField(),
        )
        if closed
        else Value("", output_field=CharField())
    )
    test_set_changed = (
        # Chosen again, or gone, since the version the revision recorded.
        Q(test_set_saved__isnull=False)
        & (
            Q(test_set_now__isnull=True)
            | Q(test_set_now__lt=F("test_set_saved"))
            | Q(test_set_now__gt=F("test_set_saved"))
        )
        # No version recorded (none then, or saved before it was): chosen after the revision.
        | Q(test_set_saved__isnull=True, test_set_chosen_at__gt=F("created_at"))
        # The same test set, but a held-out example deleted since.
        | Q(test_set_now__isnull=False, test_set_held_saved__isnull=False)
        & (
            Q(test_set_held_now__lt=F("test_set_held_saved"))
            | Q(test_set_held_now__gt=F("test_set_held_saved"))
        )
    )
    changed = (
        ~Q(examples_now=F("examples_saved"))
        | Q(examples_changed__gt=F("created_at"))
        | test_set_changed
        | ~Q(flowchart_version=current_version())
        | ~Q(platform_closed="")
    )
    return annotated.annotate(
        stale=Case(When(changed, then=True), default=False, output_field=BooleanField())
    )


@dataclass(frozen=True)
class Staleness:
    reasons: list[str] = field(default_factory=list)
    # Evidence warnings the current examples would fire, or clear, on the same answers.
    would_fire: list[str] = field(default_factory=list)
    would_clear: list[str] = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        return bool(self.reasons)


JUDGED_ON = (
    "stale",
    "examples_now",
    "examples_changed",
    "examples_saved",
    "created_at",
    "test_set_now",
    "test_set_chosen_at",
    "test_set_saved",
    "test_set_held_now",
    "test_set_held_saved",
    "platform_closed",
)


def stale_reasons(judged: dict, flowchart_version: str) -> list[str]:
    """Why a revision is stale, in words, from the values `with_staleness` annotated."""
    if not judged["stale"]:
        return []
    reasons = []
    now, saved = judged["examples_now"], judged["examples_saved"]
    if now != saved:
        reasons.append(
            f"The project now has {now} failed example{pluralize(now)}; "
            f"this revision was made with {saved}."
        )
    elif judged["examples_changed"] and judged["examples_changed"] > judged["created_at"]:
        reasons.append("Failed examples were edited after this revision was made.")
    reasons += test_set_reasons(judged)
    if judged["platform_closed"]:
        reasons.append(judged["platform_closed"] + ".")
    newer = current_version()
    if flowchart_version != newer:
        reasons.append(
            f"Flowchart {newer} is newer than the {flowchart_version} this revision used."
        )
    return reasons


def test_set_reasons(judged: dict) -> list[str]:
    """Why the test set no longer matches the revision's, in words (nothing when it does)."""
    now, saved = judged["test_set_now"], judged["test_set_saved"]
    tail = ": its numbers no longer describe it."
    if saved is not None and now != saved:
        if now is None:
            return [f"The test set (version {saved}) was removed after this decision{tail}"]
        return [f"The test set changed after this decision (version {saved} → {now}){tail}"]
    chosen_at = judged["test_set_chosen_at"]
    if saved is None and chosen_at is not None and chosen_at > judged["created_at"]:
        if judged["test_set_held_saved"] is None:
            return [f"A test set was chosen after this decision (version {now}){tail}"]
        return [f"The test set was chosen again after this decision (now version {now}){tail}"]
    held_now, held_saved = judged["test_set_held_now"], judged["test_set_held_saved"]
    if now is not None and held_saved is not None and held_now != held_saved:
        return [
            f"The test set now holds {held_now} case{pluralize(held_now)}; "
            f"this decision was made with {held_saved}."
        ]
    return []


def stale_reasons_by_decision(decision_ids) -> dict[int, list[str]]:
    """The reasons of each stale revision among these, in one query (for a page of a list)."""
    rows = with_staleness(Decision.objects.filter(pk__in=list(decision_ids)))
    rows = rows.values("pk", "flowchart_version", *JUDGED_ON)
    judged = {row["pk"]: stale_reasons(row, row["flowchart_version"]) for row in rows}
    return {pk: reasons for pk, reasons in judged.items() if reasons}


def project_stale_reasons(project) -> list[str]:
    """Why the project's latest revision is stale (nothing when it is not, or there is none),
    in one query: for the project page."""
    latest = Decision.objects.filter(project=project).order_by("-revision")
    row = with_staleness(latest).values("flowchart_version", *JUDGED_ON).first()
    return stale_reasons(row, row["flowchart_version"]) if row else []


def staleness(decision: Decision) -> Staleness:
    """Why a re-run is suggested (nothing when none is)."""
    judged = with_staleness(Decision.objects.filter(pk=decision.pk)).values(*JUDGED_ON)[0]
    reasons = stale_reasons(judged, decision.flowchart_version)
    if not reasons:
        return Staleness()
    definition = get_definition(decision.flowchart_version)
    project = decision.project
    today = explain(definition, decision.answers, project_evidence(project, definition.vocabulary))
    before = {w["code"]: w["message"] for w in decision.explanation["warnings"]}
    after = {w.code: w.message for w in today.warnings}
    return Staleness(
        reasons=reasons,
        would_fire=[message for code, message in after.items() if code not in before],
        would_clear=[message for code, message in before.items() if code not in after],
    )


def project_page_staleness(sender, *, project, **kwargs) -> dict:
    """The project page's "Re-run suggested" and why (the evidence stage sends for it)."""
    return {"stale_reasons": project_stale_reasons(project)}
