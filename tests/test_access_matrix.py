"""Every URL × method × role, with the status each role gets and no database change when one
is refused. The list of URLs comes from the URL conf: a new URL without an entry here fails.

Roles: anonymous, stranger (no membership), viewer, editor, owner. A view that needs a role
answers 302 (to log in) to the anonymous, 404 to a stranger and 403 to a lower role.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from decisions.accounts.models import Invitation, Membership, Role, Team
from decisions.accounts.services import invitation_create, user_signup
from decisions.api.models import ApiToken
from decisions.evidence.imports.run import import_create
from decisions.evidence.models import ExampleImport, FailedExample, PromptTrial
from decisions.projects.models import Project
from decisions.records.models import (
    Acceptance,
    Comment,
    Decision,
    Review,
    ReviewEvent,
    WebhookDelivery,
    WebhookTarget,
)
from decisions.reports.models import ReportPdf, ShareLink
from decisions.wizard.models import WizardRun
from tests.conftest import PASSWORD, make_example
from tests.reports.conftest import save_decision

ROLES = ["anonymous", "stranger", "viewer", "editor", "owner"]
LEVEL = {"viewer": 1, "editor": 2, "owner": 3}
READ, EDIT, MANAGE = 1, 2, 3


@dataclass(frozen=True)
class Scoped:
    """A view of one team's object: needs a role there."""

    method: str
    need: int
    allowed: frozenset[int]
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Open:
    """A view for anyone (or any logged-in user): the status for the anonymous and the rest."""

    method: str
    anonymous: frozenset[int]
    member: frozenset[int]
    data: dict = field(default_factory=dict)


def ok(*codes: int) -> frozenset[int]:
    return frozenset(codes)


# route name (or route, for unnamed ones) -> the requests to make
MATRIX: dict[str, list] = {
    "": [Open("get", ok(302), ok(302))],
    "favicon.ico": [Open("get", ok(301), ok(301))],
    "healthz": [Open("get", ok(200), ok(200))],
    "login": [Open("get", ok(200), ok(302))],
    "logout": [Open("post", ok(302), ok(302))],
    "accounts:signup": [Open("get", ok(200), ok(302))],
    "accounts:password_change": [Open("get", ok(302), ok(200))],
    "accounts:password_change_done": [Open("get", ok(302), ok(200))],
    # Reset pages are for anyone: the same answer whether or not the address has an account.
    "accounts:password_reset": [
        Open("get", ok(200), ok(200)),
        Open("post", ok(302), ok(302), {"email": "guest@example.com"}),
    ],
    "accounts:password_reset_done": [Open("get", ok(200), ok(200))],
    "accounts:password_reset_confirm": [Open("get", ok(200), ok(200))],
    "accounts:password_reset_complete": [Open("get", ok(200), ok(200))],
    "accounts:teams": [Open("get", ok(302), ok(200)), Open("post", ok(302), ok(422))],
    "accounts:invitation": [
        Open("get", ok(302), ok(200)),
        Open("post", ok(302), ok(302), {"answer": "decline"}),
    ],
    "accounts:team": [Scoped("get", READ, ok(200))],
    "accounts:team_rename": [Scoped("post", MANAGE, ok(302), {"name": "Renamed"})],
    "accounts:member_invite": [
        Scoped("post", MANAGE, ok(302), {"email": "new@example.com", "role": "viewer"})
    ],
    "accounts:invitation_revoke": [Scoped("post", MANAGE, ok(302))],
    "accounts:member_role": [Scoped("post", MANAGE, ok(302), {"role": "editor"})],
    "accounts:team_review_settings": [
        Scoped(
            "post",
            MANAGE,
            ok(302),
            {"required_acceptances": "1", "review_reminder_days": "7", "version": "1"},
        )
    ],
    "accounts:member_remove": [Scoped("post", MANAGE, ok(302))],
    "overview:projects": [Open("get", ok(302), ok(200))],
    "projects:create": [Open("get", ok(302), ok(200)), Open("post", ok(302), ok(422))],
    "projects:detail": [Scoped("get", READ, ok(200))],
    "projects:edit": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(422))],
    "projects:archive": [Scoped("post", EDIT, ok(302))],
    "projects:restore": [Scoped("post", EDIT, ok(302))],
    "projects:example_add": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(422))],
    "projects:example_row": [Scoped("get", READ, ok(200))],
    "projects:example_edit": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(422))],
    "projects:example_delete": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(302))],
    "projects:examples_bulk": [Scoped("post", EDIT, ok(302), {"action": "retag"})],
    "projects:import": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(422))],
    "projects:import_detail": [Scoped("get", EDIT, ok(200))],
    "projects:export": [Scoped("get", READ, ok(200))],
    "projects:export_download": [Scoped("get", READ, ok(200))],
    # Without a test set the experiment is refused with a message (422) once access is granted.
    "projects:experiment_download": [Scoped("post", READ, ok(422))],
    # A POST without a share is refused with the form (422) once access is granted.
    "projects:test_set": [Scoped("get", READ, ok(200)), Scoped("post", EDIT, ok(422))],
    "projects:trials": [Scoped("get", READ, ok(200))],
    "projects:trial_add": [Scoped("post", EDIT, ok(422))],
    "projects:trial_import": [Scoped("post", EDIT, ok(422))],
    "projects:trial_compare": [
        Scoped("get", READ, ok(200), {"a": "{trial_id}", "b": "{trial_id}"})
    ],
    "projects:pass_mark": [Scoped("post", EDIT, ok(422))],
    "projects:trial_delete": [Scoped("post", EDIT, ok(302))],
    "wizard:start": [Scoped("post", EDIT, ok(302))],
    "wizard:resume": [Scoped("get", EDIT, ok(302))],
    "wizard:review": [Scoped("get", EDIT, ok(200, 302))],
    "wizard:discard": [Scoped("post", EDIT, ok(302))],
    "wizard:step": [Scoped("get", EDIT, ok(200)), Scoped("post", EDIT, ok(422))],
    "records:finish": [Scoped("post", EDIT, ok(422))],
    "overview:dashboard": [Open("get", ok(302), ok(200))],
    "records:history": [Scoped("get", READ, ok(200))],
    "records:review": [Scoped("post", EDIT, ok(302), {"move": "propose"})],
    # Viewers comment; editing or deleting someone else's comment is refused by a message.
    "records:comment_add": [Scoped("post", READ, ok(302), {"body": "Why not retrieval?"})],
    "records:comment_edit": [Scoped("post", READ, ok(302), {"body": "Edited"})],
    "records:comment_delete": [Scoped("post", READ, ok(302))],
    "records:comment_resolve": [Scoped("post", EDIT, ok(302))],
    "records:step_save": [Scoped("post", EDIT, ok(302), {"version": "1", "done": "on"})],
    # Webhooks are owners' business: editors get 403 like viewers. An empty form is a 422.
    "records:webhooks": [Scoped("get", MANAGE, ok(200)), Scoped("post", MANAGE, ok(422))],
    "records:webhook": [Scoped("get", MANAGE, ok(200)), Scoped("post", MANAGE, ok(422))],
    "records:webhook_test": [Scoped("post", MANAGE, ok(302))],
    "records:webhook_delete": [Scoped("post", MANAGE, ok(302))],
    "reports:report": [Scoped("get", READ, ok(200))],
    "overview:portfolio": [Scoped("get", READ, ok(200))],
    "reports:pdf": [Scoped("get", READ, ok(202))],
    "reports:diagram": [Scoped("get", READ, ok(200))],
    "reports:export_json": [Scoped("get", READ, ok(200))],
    "reports:export_madr": [Scoped("get", READ, ok(200))],
    "reports:pdf_retry": [Scoped("post", EDIT, ok(302))],
    "reports:share_create": [
        Scoped("post", EDIT, ok(201), {"label": "Board", "expiry": "7", "scope": "full"})
    ],
    "reports:share_revoke": [Scoped("post", EDIT, ok(200))],
    "reports:shared": [Open("get", ok(200), ok(200))],
    "reports:shared_pdf": [Open("get", ok(202), ok(202))],
    "reports:shared_diagram": [Open("get", ok(200), ok(200))],
    # The API answers to a bearer token only (tests/api); a session or nothing gets 401.
    "api:api-root": [Open("get", ok(404), ok(404))],
    "api:openapi-json": [Open("get", ok(200), ok(200))],
    "api:openapi-view": [Open("get", ok(200), ok(200))],
    "api:list_projects": [Open("get", ok(401), ok(401))],
    "api:get_project": [Open("get", ok(401), ok(401))],
    "api:list_examples": [Open("get", ok(401), ok(401))],
    "api:list_decisions": [Open("get", ok(401), ok(401))],
    "api:list_trials": [Open("get", ok(401), ok(401))],
    "api:get_decision": [Open("get", ok(401), ok(401))],
    "api_tokens:list": [Open("get", ok(302), ok(200)), Open("post", ok(302), ok(422))],
    # Only the owner of the token (olivia) may revoke it; anyone else gets 404.
    "api_tokens:revoke": [Open("post", ok(302), ok(302, 404))],
}


def routes(patterns=None, prefix="", namespace=None):
    """(key, route) for every URL of ours; the admin is Django's and checks its own access."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from routes(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route


def test_every_url_has_an_entry_in_the_matrix():
    keys = [key for key, _ in routes()]
    assert sorted(set(keys) - set(MATRIX)) == [], "add these URLs to MATRIX"
    assert sorted(set(MATRIX) - set(keys)) == [], "these MATRIX entries name no URL"


@pytest.fixture
def world(db, client):
    """One team with a member of each role, and one of everything in it."""
    owner = user_signup(username="olivia", email="olivia@example.com", password=PASSWORD)
    team = Team.objects.get(memberships__user=owner)
    users = {"owner": owner}
    for role in ("viewer", "editor"):
        users[role] = user_signup(username=role, email=f"{role}@example.com", password=PASSWORD)
        Membership.objects.create(team=team, user=users[role], role=role)
    users["stranger"] = user_signup(username="stan", email="stan@example.com", password=PASSWORD)
    target = user_signup(username="tess", email="tess@example.com", password=PASSWORD)
    member = Membership.objects.create(team=team, user=target, role=Role.VIEWER)
    project = Project.objects.create(team=team, name="Support bot", owner=owner)
    example = make_example(project)
    example_import = import_create(
        project=project,
        user=owner,
        upload=SimpleUploadedFile("failures.csv", b"input,bad_output\nHi,Dear Sir\n"),
    )
    decision = save_decision(project, owner, "prompt")
    link, share_token = ShareLink.create(
        decision=decision, label="Board", expiry="30", scope="examples", user=owner
    )
    run = WizardRun.objects.create(project=project, created_by=owner)
    comment = Comment.objects.create(decision=decision, author=owner, body="Looks right")
    invitation, invitation_token = invitation_create(
        team=team, email="guest@example.com", role="viewer", invited_by=owner
    )
    kwargs = {
        "team_id": team.pk,
        "member_id": member.pk,
        "invitation_id": invitation.pk,
        "project_id": project.pk,
        "example_id": example.pk,
        "revision": decision.revision,
        "link_id": link.pk,
        "run_id": run.pk,
        "node_id": "symptom",
        "comment_id": comment.pk,
        "index": 0,
        "import_id": example_import.pk,
        "token_id": ApiToken.create(user=owner, name="CI")[0].pk,
        "trial_id": PromptTrial.objects.create(
            project=project, label="v1", model_name="gpt-x", cases=10, passed=8
        ).pk,
        "target_id": WebhookTarget.objects.create(
            team=team,
            name="Chat",
            url="https://hooks.example.com/services/T0",
            format="slack",
            secret="s" * 20,
            events=["comment.added"],
        ).pk,
        "target": "csv",
        "part": "all",
        # A password-reset link that was never sent: its page says it does not work.
        "uidb64": "MQ",
        "token": "not-a-reset-token",
    }
    tokens = {"accounts:invitation": invitation_token, "reports:": share_token}
    return users, kwargs, tokens


def url_for(route: str, key: str, kwargs: dict, tokens: dict) -> str:
    path = "/" + route
    for name, value in kwargs.items():
        for converter in ("id:", "slug:", "int:", ""):
            path = path.replace(f"<{converter}{name}>", str(value))
    if "<str:token>" in path:
        token = (
            tokens["accounts:invitation"] if key == "accounts:invitation" else tokens["reports:"]
        )
        path = path.replace("<str:token>", token)
    return path


def database_fingerprint() -> str:
    """A hash of every row of ours: equal before and after means nothing changed."""
    rows = []
    for model in (
        Team,
        Membership,
        Invitation,
        Project,
        FailedExample,
        ExampleImport,
        PromptTrial,
        ApiToken,
        WizardRun,
        Decision,
        Review,
        ReviewEvent,
        Acceptance,
        Comment,
        ReportPdf,
        ShareLink,
        WebhookTarget,
        WebhookDelivery,
    ):
        rows.append(list(model.objects.order_by("pk").values()))
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


CASES = [
    pytest.param(key, index, role, id=f"{key or 'root'}-{entry.method}-{role}")
    for key, entries in MATRIX.items()
    for index, entry in enumerate(entries)
    for role in ROLES
]


def expected_statuses(entry, role: str) -> tuple[frozenset[int], bool]:
    """(statuses this role may get, whether it is a refusal)."""
    if isinstance(entry, Open):
        return (entry.anonymous if role == "anonymous" else entry.member), False
    if role == "anonymous":
        return ok(302), True
    if role == "stranger":
        return ok(404), True
    if LEVEL[role] < entry.need:
        return ok(403), True
    return entry.allowed, False


@pytest.mark.parametrize(("key", "index", "role"), CASES)
def test_matrix(client, world, key, index, role):
    users, kwargs, tokens = world
    route = dict(routes())[key]
    entry = MATRIX[key][index]
    if role != "anonymous":
        client.force_login(users[role])
    before = database_fingerprint()
    data = {
        name: value.format(**kwargs) if isinstance(value, str) else value
        for name, value in entry.data.items()
    }
    response = getattr(client, entry.method)(url_for(route, key, kwargs, tokens), data)
    statuses, refused = expected_statuses(entry, role)
    assert response.status_code in statuses, (key, entry.method, role, response.status_code)
    if refused:
        assert database_fingerprint() == before, "a refused request changed the database"
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/?next=")
