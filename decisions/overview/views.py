"""Pages that look across projects: the project list, the Decisions dashboard and a team's
portfolio. They read every stage below them and write nothing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from decisions.accounts.access import Need, get_team
from decisions.accounts.models import Membership
from decisions.lib.htmx import HtmxHttpRequest
from decisions.overview.dashboard import (
    SORTS,
    DecisionFilter,
    latest_decisions,
    open_steps,
    page_of_decisions,
    reviewers,
    verdict_choices,
    waiting_for_review,
)
from decisions.overview.portfolio import team_portfolio
from decisions.projects.models import Project
from decisions.records.models import latest_revision
from decisions.records.staleness import JUDGED_ON, stale_reasons_by_decision, test_set_reasons
from decisions.wizard.models import RunStatus, WizardRun

PROJECTS_PER_PAGE = 20


def with_decision_state(projects: QuerySet) -> QuerySet:
    """Each project's latest decision (revision, verdict, review status) and a draft run in
    progress, as subqueries: one query for the page."""
    latest = latest_revision(OuterRef("pk"))
    draft = WizardRun.objects.filter(project=OuterRef("pk"), status=RunStatus.DRAFT)
    return projects.annotate(
        latest_decision_id=Subquery(latest.values("pk")),
        latest_revision=Subquery(latest.values("revision")),
        latest_verdict=Subquery(latest.values("snapshot__outcome__label")),
        latest_status=Subquery(latest.values("review__status")),
        draft_by=Subquery(draft.values("created_by__username")[:1]),
        draft_answers=Subquery(draft.values("answers")[:1]),
    )


@login_required
@require_GET
def project_list(request: HtmxHttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    projects = Project.objects.for_user(request.user)
    projects = projects.archived() if show_archived else projects.active()
    projects = projects.select_related("team", "owner").with_example_count()
    projects = with_decision_state(projects)
    # Meta.ordering does not apply to a grouped query, so the order is spelled out.
    projects = projects.order_by("-last_activity_at", "-pk")
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    # One more query for the page, whatever its length: the staleness rule on its revisions.
    reasons = stale_reasons_by_decision(p.latest_decision_id for p in page.object_list)
    for listed in page.object_list:
        listed.stale_reasons = reasons.get(listed.latest_decision_id, [])
    can_create = Membership.objects.editable_by(request.user).exists()
    context = {"page": page, "show_archived": show_archived, "can_create": can_create}
    return render(request, "overview/project_list.html", context)


DASHBOARD_PAGE_SIZE = 25


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The latest decision of every project in the user's teams; filters live in the URL."""
    verdicts = verdict_choices()
    filters = DecisionFilter(
        request.GET, queryset=latest_decisions(request.user), user=request.user, verdicts=verdicts
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "changed"
    labels = dict(verdicts)
    # Paged in the database: a lead with a thousand projects loads 25 rows, not a thousand.
    page = page_of_decisions(
        filters.qs.order_by(SORTS[sort][0], "pk"), request.GET.get("page"), DASHBOARD_PAGE_SIZE
    )
    page.object_list = [
        {
            "decision": d,
            "verdict": labels.get(d.outcome, d.outcome),
            "stale": d.stale,
            "platform_closed": d.platform_closed,
            # From the annotations the row already has: no query of its own.
            "test_set_changed": " ".join(
                test_set_reasons({key: getattr(d, key) for key in JUDGED_ON})
            )
            if d.stale
            else "",
            "reviewers": reviewers(d),
        }
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    steps, steps_total = open_steps(request.user) if not request.htmx else ([], 0)
    waiting = waiting_for_review(request.user) if not request.htmx else []
    context = {
        "waiting": [{"decision": d, "verdict": labels.get(d.outcome, d.outcome)} for d in waiting],
        "open_steps": steps,
        "open_steps_total": steps_total,
        "today": timezone.localdate(),
        "filters": filters,
        "page": page,
        "sort": sort,
        "sorts": [(key, label) for key, (_, label) in SORTS.items()],
        "query": query.urlencode(),
    }
    template = "overview/dashboard.html#results" if request.htmx else "overview/dashboard.html"
    return render(request, template, context)


@login_required
@require_GET
def portfolio(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    """Every project of a team at a glance, for the lead who runs several AI features."""
    team, membership = get_team(request.user, team_id, Need.READ)
    context = {"team": team, "membership": membership, **team_portfolio(team)}
    return render(request, "overview/portfolio.html", context)
