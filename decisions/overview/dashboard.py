"""The dashboard: the latest decision of every project in the user's teams, filtered, searched,
sorted and paginated, in a fixed number of queries whatever the number of decisions."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions.accounts.models import Role, Team
from decisions.flowchart.registry import check_all
from decisions.records.models import (
    Acceptance,
    Comment,
    Decision,
    EventKind,
    ReviewEvent,
    ReviewStatus,
    TrackedStep,
)
from decisions.records.staleness import with_staleness

SORTS = {
    "changed": ("-last_change", "Last change, newest first"),
    "project": ("project__name", "Project, A to Z"),
    "verdict": ("outcome", "Verdict"),
    "confidence": ("confidence", "Confidence"),
}


def latest_decisions(user):
    """Each project's latest revision in the user's teams, with what the dashboard shows.

    Staleness is not here: it reads every example of every project, so the view asks for it
    on one page's rows (`stale_ids`), or on all rows only when the staleness filter is on.
    """
    last_event = ReviewEvent.objects.filter(decision=OuterRef("pk")).order_by("-at").values("at")
    return (
        Decision.objects.latest_per_project()
        .filter(project__team__memberships__user=user, project__archived_at__isnull=True)
        .select_related("project__team", "created_by", "review")
        .defer("examples", "diagram_svg", "snapshot", "notes", "explanation")
        # A subquery, not Max() over a join: no GROUP BY, so counting the pages skips it.
        .annotate(last_change=Coalesce(Subquery(last_event[:1]), "created_at"))
        .prefetch_related(
            Prefetch(
                "review_events",
                queryset=ReviewEvent.objects.select_related("by").order_by("at"),
                to_attr="events",
            ),
            "review__requested_reviewers",
        )
    )


def page_of_decisions(decisions, page_number, page_size: int):
    """One page, sorted and counted on ids alone (index reads), then its rows in one query,
    with their staleness."""
    page = Paginator(decisions.values_list("pk", flat=True), page_size).get_page(page_number)
    ids = list(page.object_list)
    rows = with_open_steps(with_staleness(decisions.filter(pk__in=ids)))
    rows = {decision.pk: decision for decision in rows}
    page.object_list = [rows[pk] for pk in ids]
    return page


def with_open_steps(decisions):
    """Annotates how many of each revision's next steps are open, and how many are overdue."""
    open_steps = TrackedStep.objects.open().filter(decision=OuterRef("pk")).order_by()

    def count(steps):
        counted = steps.values("decision").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted), 0)

    return decisions.annotate(
        open_steps=count(open_steps),
        overdue_steps=count(open_steps.filter(due_on__lt=timezone.localdate())),
    )


OPEN_STEPS_SHOWN = 8


def open_steps(user) -> tuple[list[TrackedStep], int]:
    """The open next steps of the latest revisions in the user's teams, the most pressing
    first (overdue, then by due date, then undated), and how many there are in all."""
    steps = (
        TrackedStep.objects.open()
        .filter(decision__in=latest_decisions(user).values("pk"))
        .select_related("decision__project", "owner")
        .order_by(F("due_on").asc(nulls_last=True), "decision__project__name", "index")
    )
    shown = list(steps[:OPEN_STEPS_SHOWN])
    return shown, steps.count() if len(shown) == OPEN_STEPS_SHOWN else len(shown)


WAITING_SHOWN = 10


def waiting_for_review(user) -> list[Decision]:
    """The latest revisions that ask this user to review them and that they have not
    accepted yet, the longest waiting first: one query, with when each was proposed and how
    many comments are open."""
    proposed = ReviewEvent.objects.filter(
        decision=OuterRef("pk"), kind=EventKind.MOVE, to_status=ReviewStatus.PROPOSED
    ).order_by("-at", "-pk")
    accepted = Acceptance.objects.live().filter(decision=OuterRef("pk"), reviewer=user)
    open_comments = (
        Comment.objects.filter(decision=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    waiting = (
        Decision.objects.latest_per_project()
        .filter(
            review__status=ReviewStatus.PROPOSED,
            review__requested_reviewers=user,
            project__archived_at__isnull=True,
            # Still able to review: a reviewer who became a viewer or left is not waited for.
            project__team__memberships__user=user,
            project__team__memberships__role__in=[Role.EDITOR, Role.OWNER],
        )
        .exclude(Exists(accepted))
        .select_related("project__team", "created_by")
        .defer("examples", "diagram_svg", "snapshot", "notes", "explanation")
        .annotate(
            proposed_at=Subquery(proposed.values("at")[:1]),
            open_comments=Coalesce(Subquery(open_comments), 0),
        )
        .order_by("proposed_at", "pk")
    )
    return list(waiting[:WAITING_SHOWN])


def reviewers(decision: Decision) -> list[str]:
    """Who reviewed it (everyone who accepted it or moved it on, other than proposing it),
    then who is asked and has not acted yet, so a revision in review never reads "—"."""
    names = [event.by.username for event in decision.events if event.by and _reviewed(event)]
    names += [
        f"{person.username} (asked)"
        for person in decision.review.requested_reviewers.all()
        if person.username not in names
    ]
    return list(dict.fromkeys(names))


def _reviewed(event: ReviewEvent) -> bool:
    if event.kind == EventKind.ACCEPTANCE:
        return True
    return event.kind == EventKind.MOVE and event.to_status not in (
        ReviewStatus.PROPOSED,
        ReviewStatus.DRAFT,
    )


class DecisionFilter(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(
        field_name="project__team",
        queryset=Team.objects.none(),
        empty_label="All teams",
        label="Team",
    )
    verdict = django_filters.ChoiceFilter(
        field_name="outcome", empty_label="All verdicts", label="Verdict"
    )
    status = django_filters.ChoiceFilter(
        field_name="review__status",
        choices=ReviewStatus.choices,
        empty_label="All statuses",
        label="Status",
    )
    q = django_filters.CharFilter(method="search", label="Project")
    stale = django_filters.ChoiceFilter(
        method="only_stale",
        choices=[("yes", "Re-run suggested"), ("no", "Up to date")],
        empty_label="Stale or not",
        label="Staleness",
    )

    def __init__(self, *args, user, verdicts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(memberships__user=user)
        self.filters["verdict"].extra["choices"] = verdicts
        for name, field in self.form.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "form-select"

    def search(self, queryset, name, value):
        return queryset.filter(Q(project__name__icontains=value.strip()))

    def only_stale(self, queryset, name, value):
        return with_staleness(queryset).filter(stale=value == "yes")


def verdict_choices() -> list[tuple[str, str]]:
    """Every outcome of every registered version, by id, labelled as the newest names it."""
    labels: dict[str, str] = {}
    for definition in check_all():
        for outcome in definition.outcomes.values():
            labels[outcome.id] = outcome.label
    return list(labels.items())
