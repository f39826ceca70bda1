"""The dashboard: the latest decision of every project in the user's teams, filtered, searched,
sorted and paginated, in a fixed number of queries whatever the number of decisions."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from decisions.accounts.models import Team
from decisions.flowchart.registry import current_version
from decisions.projects.models import FailedExample
from decisions.records.models import Decision, ReviewEvent, ReviewStatus

SORTS = {
    "changed": ("-last_change", "Last change, newest first"),
    "project": ("project__name", "Project, A to Z"),
    "verdict": ("outcome", "Verdict"),
    "confidence": ("confidence", "Confidence"),
}


def latest_decisions(user):
    """Each project's latest revision in the user's teams, with what the dashboard shows."""
    latest = Decision.objects.filter(project=OuterRef("project")).order_by("-revision").values("pk")
    examples = FailedExample.objects.filter(project=OuterRef("project_id"))
    return (
        Decision.objects.filter(
            project__team__memberships__user=user,
            project__archived_at__isnull=True,
            pk=Subquery(latest[:1]),
        )
        .select_related("project__team", "created_by", "review")
        .defer("examples", "diagram_svg", "snapshot", "notes")
        .annotate(
            examples_now=Coalesce(
                Subquery(examples.values("project_id").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
            examples_changed=Subquery(
                examples.values("project_id").annotate(at=Max("updated_at")).values("at")[:1]
            ),
            last_change=Coalesce(Max("review_events__at"), "created_at"),
        )
        .prefetch_related(
            Prefetch(
                "review_events",
                queryset=ReviewEvent.objects.select_related("by").order_by("at"),
                to_attr="events",
            )
        )
    )


def is_stale(decision: Decision) -> bool:
    """The flag of the dashboard; the report says why (records/staleness.py)."""
    saved = decision.explanation["evidence"]["example_count"]
    changed = decision.examples_changed and decision.examples_changed > decision.created_at
    return (
        decision.examples_now != saved
        or bool(changed)
        or decision.flowchart_version != current_version()
    )


def reviewers(decision: Decision) -> list[str]:
    """Who reviewed it: everyone who made a review move other than proposing it."""
    names = [
        event.by.username
        for event in decision.events
        if event.by and event.to_status != ReviewStatus.PROPOSED
    ]
    return list(dict.fromkeys(names))


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
        # Decided per row in Python (is_stale); the view filters the page's list.
        return queryset
