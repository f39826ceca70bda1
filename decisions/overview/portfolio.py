"""A team's portfolio, for the lead who runs several AI features: where every project's latest
decision stands, how decisions went over time, what is still to do, how long deciding takes,
and where wizard runs are left. Every figure is counted in the database or from a few rows per
project; every chart is server-side SVG with its numbers in a table beside it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from statistics import median

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from decisions.accounts.models import Team
from decisions.flowchart.registry import get_definition
from decisions.overview.dashboard import verdict_choices
from decisions.projects.models import Project
from decisions.records.models import (
    Decision,
    ReviewEvent,
    ReviewStatus,
    TrackedStep,
    latest_revision,
)
from decisions.records.staleness import stale_reasons_by_decision, with_staleness
from decisions.reports.chart import bar_chart_svg, stacked_columns_svg
from decisions.wizard.models import RunStatus, WizardRun

# A run in progress untouched this long counts as left, like a discarded one.
ABANDONED_AFTER = timedelta(days=14)
MONTHS_SHOWN = 12
CONFIDENCE_ORDER = ["high", "medium", "low"]


def team_portfolio(team: Team) -> dict:
    projects = Project.objects.filter(team=team, archived_at__isnull=True)
    latest = Decision.objects.latest_per_project().filter(project__in=projects)
    verdict_labels = dict(verdict_choices())
    sections = [
        verdicts_section(latest, verdict_labels),
        over_time_section(projects, verdict_labels),
        confidence_section(latest),
        review_section(latest),
        steps_section(latest),
        time_to_accept_section(projects),
        abandonment_section(projects),
    ]
    return {
        "project_count": projects.count(),
        "decided_count": latest.count(),
        "projects": project_rows(projects),
        "sections": sections,
    }


def project_rows(projects) -> list[Project]:
    """Each project with its latest revision, for a table whose rows lead to the projects:
    two queries, however many projects."""
    latest = latest_revision(OuterRef("pk"))
    rows = list(
        projects.annotate(
            latest_decision_id=Subquery(latest.values("pk")),
            latest_revision=Subquery(latest.values("revision")),
            latest_verdict=Subquery(latest.values("snapshot__outcome__label")),
            latest_confidence=Subquery(latest.values("confidence")),
            latest_status=Subquery(latest.values("review__status")),
        ).order_by("name", "pk")
    )
    reasons = stale_reasons_by_decision(row.latest_decision_id for row in rows)
    statuses = dict(ReviewStatus.choices)
    for row in rows:
        row.stale_reasons = reasons.get(row.latest_decision_id, [])
        row.latest_status_label = statuses.get(row.latest_status, "")
    return rows


def section(key: str, title: str, rows: list[tuple[str, int]], *, chart: str, **extra) -> dict:
    """One card of the portfolio: the chart, and the same numbers as (label, value) rows."""
    return {"key": key, "title": title, "rows": rows, "chart": chart, **extra}


def verdicts_section(latest, labels: dict[str, str]) -> dict:
    counts = Counter(latest.values_list("outcome", flat=True))
    rows = [(labels.get(outcome, outcome), n) for outcome, n in counts.most_common()]
    title = "Latest verdict per project"
    return section(
        "verdicts", title, rows, chart=bar_chart_svg(rows, title=title, chart_id="verdicts")
    )


def over_time_section(projects, labels: dict[str, str]) -> dict:
    """Every revision saved per month, by verdict: the last MONTHS_SHOWN months with any."""
    counts = (
        Decision.objects.filter(project__in=projects)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "outcome")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    by_month: dict[str, Counter] = {}
    for row in counts:
        by_month.setdefault(row["month"].strftime("%b %Y"), Counter())[row["outcome"]] += row["n"]
    months = list(by_month)[-MONTHS_SHOWN:]
    outcomes = sorted({o for m in months for o in by_month[m]}, key=lambda o: labels.get(o, o))
    series = [(labels.get(o, o), [by_month[m][o] for m in months]) for o in outcomes]
    title = "Decision revisions saved per month, by verdict"
    return section(
        "over-time",
        title,
        [(month, sum(by_month[month].values())) for month in months],
        chart=stacked_columns_svg(months, series, title=title, chart_id="over-time")
        if months
        else "",
        series=series,
        table=[
            (month, [values[i] for _, values in series], sum(by_month[month].values()))
            for i, month in enumerate(months)
        ],
    )


def confidence_section(latest) -> dict:
    counts = Counter(latest.values_list("confidence", flat=True))
    rows = [(level.capitalize(), counts[level]) for level in CONFIDENCE_ORDER if counts[level]]
    title = "Confidence of the latest decisions"
    return section(
        "confidence", title, rows, chart=bar_chart_svg(rows, title=title, chart_id="confidence")
    )


def review_section(latest) -> dict:
    """Where the latest decisions stand in review, and how many a re-run would change."""
    statuses = Counter(latest.values_list("review__status", flat=True))
    rows = [
        (status.label, statuses[status.value]) for status in ReviewStatus if statuses[status.value]
    ]
    stale = with_staleness(latest.order_by()).filter(stale=True).count()
    rows.append(("Re-run suggested (stale)", stale))
    title = "Latest decisions in review, and stale"
    return section("review", title, rows, chart=bar_chart_svg(rows, title=title, chart_id="review"))


def steps_section(latest) -> dict:
    today = timezone.localdate()
    per_project = (
        TrackedStep.objects.open()
        .filter(decision__in=latest)
        .values("decision__project__name", "decision__project_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("-open", "decision__project__name")
    )
    rows = [(row["decision__project__name"], row["open"]) for row in per_project]
    project_ids = [row["decision__project_id"] for row in per_project]
    overdue = sum(row["overdue"] for row in per_project)
    title = "Open next steps per project"
    return section(
        "steps",
        title,
        rows,
        chart=bar_chart_svg(rows, title=title, chart_id="steps"),
        total=sum(n for _, n in rows),
        overdue=overdue,
        linked_rows=[(*row, pk) for row, pk in zip(rows, project_ids, strict=True)],
    )


def time_to_accept_section(projects) -> dict:
    """Days from a project's first failed example to the first acceptance of one of its
    decisions: how long it takes a team to reach a decision it stands behind."""
    firsts = projects.annotate(
        first_example=Min("examples__created_at"),
        first_accepted=Subquery(
            ReviewEvent.objects.filter(
                decision__project=OuterRef("pk"), to_status=ReviewStatus.ACCEPTED
            )
            .order_by("at")
            .values("at")[:1]
        ),
    ).filter(first_example__isnull=False, first_accepted__isnull=False)
    linked_rows = sorted(
        (
            (
                project.name,
                max((project.first_accepted - project.first_example).days, 0),
                project.pk,
            )
            for project in firsts.order_by("name")
        ),
        key=lambda row: -row[1],
    )
    rows = [(name, days) for name, days, _ in linked_rows]
    title = "Days from first example to accepted decision"
    return section(
        "time-to-accept",
        title,
        rows,
        chart=bar_chart_svg(rows, title=title, chart_id="time-to-accept", unit=" d"),
        median_days=median(days for _, days in rows) if rows else None,
        linked_rows=linked_rows,
    )


def abandonment_section(projects) -> dict:
    """Where wizard runs were left: discarded, or in progress and untouched for
    ABANDONED_AFTER, counted at the question each was waiting on."""
    cutoff = timezone.now() - ABANDONED_AFTER
    runs = WizardRun.objects.filter(project__in=projects).filter(
        Q(status=RunStatus.DISCARDED) | Q(status=RunStatus.DRAFT, updated_at__lt=cutoff)
    )
    at_question: Counter = Counter()
    for run in runs.only("flowchart_version", "answers"):
        definition = get_definition(run.flowchart_version)
        next_node = run.evaluate().next_node
        at_question[
            definition.nodes[next_node].label if next_node else "All answered, never saved"
        ] += 1
    rows = sorted(at_question.items(), key=lambda row: (-row[1], row[0]))
    title = "Wizard runs left, by the question they stopped at"
    return section(
        "abandonment",
        title,
        rows,
        chart=bar_chart_svg(rows, title=title, chart_id="abandonment"),
        finished=WizardRun.objects.filter(project__in=projects, status=RunStatus.FINISHED).count(),
    )
