"""The read-only JSON API (django-ninja): projects, their examples, decisions and revisions.

A personal token (`Authorization: Bearer pom_…`) reads what its user may read in the app: a
project of a team the user is not in answers 404, as the pages do. Lists are paginated
(`?page=2&page_size=100`) and take the same number of queries for 1 row or 200.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from decisions.api.models import ApiToken
from decisions.evidence.models import FailedExample, PromptTrial
from decisions.lib.tokens import hash_token
from decisions.projects.models import Project
from decisions.records.models import Decision

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Far past any real list, and low enough that the row offset fits the database's integers:
# page 99999999999999999999 made an offset no database takes, and a 500.
MAX_PAGE = 1_000_000
# Writing "last used" on every request would make each read a write.
LAST_USED_EVERY = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Prompt or Model? API",
    version="1",
    description=__doc__,
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


class ProjectOut(Schema):
    id: int
    name: str
    team: str
    description: str
    use_case: str
    model_in_use: str
    owner: str | None
    example_count: int
    decision_count: int
    archived: bool
    created_at: datetime
    last_activity_at: datetime

    @staticmethod
    def resolve_team(project) -> str:
        return project.team.name

    @staticmethod
    def resolve_owner(project) -> str | None:
        return project.owner.username if project.owner else None

    @staticmethod
    def resolve_archived(project) -> bool:
        return project.archived_at is not None


class ExampleOut(Schema):
    id: int
    title: str
    input_text: str
    bad_output: str
    expected_output: str
    failure_type: str
    techniques_tried: list[str]
    iterations: int
    severity: str
    notes: str
    in_test_set: bool
    created_at: datetime
    updated_at: datetime


class TrialOut(Schema):
    id: int
    label: str
    model_name: str
    model_version: str
    on_current_model: bool
    run_on: date
    techniques: list[str]
    cases: int
    passed: int
    cost_per_1k_requests: Decimal | None
    p95_latency_ms: int | None
    # The project's test set version it was measured on; null before a test set was chosen.
    test_set_version: int | None
    results: dict[str, bool]  # case id -> passed, for trials imported case by case
    case_groups: dict[str, str]  # case id -> group, where known


class DecisionOut(Schema):
    revision: int
    outcome: str
    verdict: str
    confidence: str
    review_status: str
    flowchart_version: str
    created_at: datetime
    created_by: str | None

    @staticmethod
    def resolve_review_status(decision) -> str:
        review = getattr(decision, "review", None)
        return review.status if review else "draft"

    @staticmethod
    def resolve_created_by(decision) -> str | None:
        return decision.created_by.username if decision.created_by else None


class DecisionDetailOut(DecisionOut):
    answers: dict
    notes: dict
    explanation: dict
    snapshot: dict
    examples: list[dict]


class Pages(PageNumberPagination):
    """Page-number pagination whose page number has a stated upper limit."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


def _count_of(model) -> Coalesce:
    """How many rows of `model` belong to the project, as a subquery: two joined counts would
    multiply each other's rows."""
    rows = model.objects.filter(project=OuterRef("pk")).order_by().values("project")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def _projects(request):
    return (
        Project.objects.for_user(request.auth)
        .select_related("team", "owner")
        .annotate(example_count=_count_of(FailedExample), decision_count=_count_of(Decision))
        .order_by("-last_activity_at", "-pk")
    )


def _project(request, project_id: int) -> Project:
    project = Project.objects.for_user(request.auth).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


@api.get("/projects", response=list[ProjectOut], summary="Projects in the token user's teams")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_projects(request):
    return _projects(request)


@api.get("/projects/{project_id}", response=ProjectOut, summary="One project")
def get_project(request, project_id: int):
    project = _projects(request).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


@api.get(
    "/projects/{project_id}/examples",
    response=list[ExampleOut],
    summary="A project's failed examples, newest first",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_examples(request, project_id: int):
    project = _project(request, project_id)
    return FailedExample.objects.filter(project=project).order_by("-created_at", "-pk")


@api.get(
    "/projects/{project_id}/trials",
    response=list[TrialOut],
    summary="A project's measured prompt trials, oldest first, with their case-by-case results",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_trials(request, project_id: int):
    project = _project(request, project_id)
    return PromptTrial.objects.filter(project=project).order_by("run_on", "created_at", "pk")


@api.get(
    "/projects/{project_id}/decisions",
    response=list[DecisionOut],
    summary="A project's decision revisions, newest first",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_decisions(request, project_id: int):
    project = _project(request, project_id)
    return (
        Decision.objects.filter(project=project)
        .select_related("created_by", "review")
        .defer("examples", "diagram_svg", "explanation", "answers", "notes")
        .order_by("-revision")
    )


@api.get(
    "/projects/{project_id}/decisions/{revision}",
    response=DecisionDetailOut,
    summary="One revision in full: answers, explanation, snapshot and examples as saved",
)
def get_decision(request, project_id: int, revision: int):
    project = _project(request, project_id)
    decision = (
        Decision.objects.filter(project=project, revision=revision)
        .select_related("created_by", "review")
        .first()
    )
    if decision is None:
        raise Http404("No such revision.")
    return decision
