"""The read-only API: a token reads only its user's teams, a revoked token gets 401, lists are
paginated in a fixed number of queries, and the OpenAPI schema is served."""

from __future__ import annotations

from decimal import Decimal

import pytest

from decisions.accounts.services import team_create
from decisions.api.models import ApiToken
from decisions.evidence import services
from decisions.evidence.models import FailedExample, PromptTrial
from decisions.lib.tokens import hash_token
from decisions.projects.models import Project
from tests.conftest import make_example
from tests.reports.conftest import save_decision


@pytest.fixture
def token(alice):
    _, token = ApiToken.create(user=alice, name="CI")
    return token


def get(client, url, token, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


def test_only_the_hash_is_stored(alice, token):
    stored = ApiToken.objects.get()
    assert token.startswith("pom_")
    assert stored.token_hash == hash_token(token)
    assert token not in str(list(ApiToken.objects.values()))


def test_lists_the_users_projects_only(client, alice, charlie, project, token):
    make_example(project)
    save_decision(project, alice, "prompt")
    Project.objects.create(team=team_create(user=charlie, name="Elsewhere"), name="Not mine")
    response = get(client, "/api/v1/projects", token)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["name"], item["team"], item["owner"]) == ("Email drafter", "Growth team", "alice")
    assert (item["example_count"], item["decision_count"]) == (1, 1)


def test_another_teams_project_is_404(client, charlie, project, example):
    _, token = ApiToken.create(user=charlie, name="Mine")
    for url in (
        f"/api/v1/projects/{project.pk}",
        f"/api/v1/projects/{project.pk}/examples",
        f"/api/v1/projects/{project.pk}/trials",
        f"/api/v1/projects/{project.pk}/decisions",
        f"/api/v1/projects/{project.pk}/decisions/1",
    ):
        assert get(client, url, token).status_code == 404, url


def test_examples_and_decisions(client, alice, project, token):
    make_example(project, title="Too formal")
    decision = save_decision(project, alice, "prompt")
    examples = get(client, f"/api/v1/projects/{project.pk}/examples", token).json()
    assert examples["count"] == 1
    assert examples["items"][0]["title"] == "Too formal"
    assert examples["items"][0]["techniques_tried"] == ["instructions"]
    decisions = get(client, f"/api/v1/projects/{project.pk}/decisions", token).json()
    assert decisions["items"] == [
        {
            "revision": 1,
            "outcome": "prompt",
            "verdict": "Prompting problem: engineer the prompt",
            "confidence": decision.confidence,
            "review_status": "draft",
            "flowchart_version": "2027.02",
            "created_at": decisions["items"][0]["created_at"],
            "created_by": "alice",
        }
    ]
    detail = get(client, f"/api/v1/projects/{project.pk}/decisions/1", token).json()
    assert detail["answers"]["symptom"] == "tone"
    assert detail["snapshot"]["outcome"]["id"] == "prompt"
    assert get(client, f"/api/v1/projects/{project.pk}/decisions/9", token).status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer pom_not-a-token", "Token whatever"],
)
def test_no_or_a_wrong_token_is_401(client, project, header):
    headers = {"Authorization": header} if header else {}
    assert client.get("/api/v1/projects", headers=headers).status_code == 401


def test_a_revoked_token_is_401(client, alice, token):
    assert get(client, "/api/v1/projects", token).status_code == 200
    client.force_login(alice)
    api_token = ApiToken.objects.get()
    response = client.post(f"/accounts/tokens/{api_token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    assert get(client, "/api/v1/projects", token).status_code == 401


def test_a_session_alone_does_not_open_the_api(client, alice, project):
    client.force_login(alice)
    assert client.get("/api/v1/projects").status_code == 401


def test_token_is_shown_once_and_listed_by_prefix(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/tokens/", {"name": "Dashboard"})
    html = response.content.decode()
    stored = ApiToken.objects.get()
    assert response["Cache-Control"] == "no-store"
    assert "copy it now, it is not shown again" in html
    assert f"<code>{stored.shown_prefix}…</code>" in html
    later = client.get("/accounts/tokens/").content.decode()
    assert "copy it now" not in later
    assert f"<code>{stored.shown_prefix}…</code>" in later


def test_someone_elses_token_cannot_be_revoked(client, charlie, token):
    client.force_login(charlie)
    api_token = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{api_token.pk}/revoke/").status_code == 404
    api_token.refresh_from_db()
    assert api_token.revoked_at is None


def test_pagination(client, project, token):
    for n in range(7):
        make_example(project, title=f"Example {n}")
    body = get(client, f"/api/v1/projects/{project.pk}/examples", token, page=2, page_size=3).json()
    assert body["count"] == 7
    assert [item["title"] for item in body["items"]] == ["Example 3", "Example 2", "Example 1"]


@pytest.mark.parametrize("page", ["1000001", "99999999999999999999"])
def test_a_page_past_the_last_possible_is_refused_with_the_limit(client, project, token, page):
    response = get(client, f"/api/v1/projects/{project.pk}/examples", token, page=page)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["msg"]) == (
        ["query", "page"],
        "Input should be less than or equal to 1000000",
    )


def test_the_last_possible_page_answers_empty(client, project, token):
    make_example(project)
    response = get(client, "/api/v1/projects", token, page=1_000_000, page_size=500)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 1}


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Prompt or Model? API"
    assert set(schema["paths"]) == {
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/projects/{project_id}/examples",
        "/api/v1/projects/{project_id}/trials",
        "/api/v1/projects/{project_id}/decisions",
        "/api/v1/projects/{project_id}/decisions/{revision}",
    }


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # token, count, page
        ("/api/v1/projects", 3),
        # token, project, count, page
        ("/api/v1/projects/{pk}/examples", 4),
        ("/api/v1/projects/{pk}/decisions", 4),
    ],
)
def test_queries_are_the_same_for_1_and_200_rows(
    client, alice, project, token, url, queries, django_assert_num_queries
):
    url = url.format(pk=project.pk)
    make_example(project)
    save_decision(project, alice, "prompt")
    get(client, url, token)  # the first use records "last used": one write, then none for 5 min
    with django_assert_num_queries(queries):
        get(client, url, token)
    FailedExample.objects.bulk_create(
        [
            FailedExample(project=project, title=f"{n}", input_text="i", bad_output="o")
            for n in range(199)
        ]
    )
    for _ in range(199):
        Project.objects.create(team=project.team, name="Another")
    for _ in range(3):
        save_decision(project, alice, "prompt")
    with django_assert_num_queries(queries):
        response = get(client, url, token, page_size=200)
    assert len(response.json()["items"]) >= 4


def test_trials_with_their_case_results_and_the_test_set(client, alice, project, token):
    held = make_example(project, title="Held out")
    services.test_set_choose(project=project, user=alice, example_ids=[held.pk])
    services.trial_create(
        project=project,
        trial=PromptTrial(
            label="v2",
            model_name="gpt-4o",
            cases=2,
            passed=1,
            results={"c1": True, "c2": False},
            case_groups={"c1": "en", "c2": "de"},
            cost_per_1k_requests=Decimal("1.2500"),
            p95_latency_ms=900,
        ),
        user=alice,
    )
    examples = get(client, f"/api/v1/projects/{project.pk}/examples", token).json()
    assert examples["items"][0]["in_test_set"] is True
    [trial] = get(client, f"/api/v1/projects/{project.pk}/trials", token).json()["items"]
    assert trial["results"] == {"c1": True, "c2": False}
    assert trial["case_groups"] == {"c1": "en", "c2": "de"}
    assert (trial["cost_per_1k_requests"], trial["p95_latency_ms"]) == ("1.2500", 900)
    assert trial["test_set_version"] == 1
