"""axe-core on every page type, as a PM, a viewer, a stranger and a stakeholder see them.

A serious or critical violation fails the test, listed with its rule, its help text and the
elements it found; minor and moderate ones are left to review.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from playwright.sync_api import expect

from decisions.evidence.imports.run import import_create
from decisions.evidence.models import PromptTrial
from decisions.reports.models import ShareLink
from decisions.wizard.models import WizardRun
from tests.conftest import make_example
from tests.e2e.test_import_sources_flow import FIXTURES
from tests.e2e.test_review_flow import logged_in_page
from tests.reports.conftest import save_decision

BLOCKING = {"serious", "critical"}
AXE = Axe()

IMPORT_CSV = (
    b"input,output,expected,category\n"
    b"Write to Dana,Dear Valued Customer,Hi Dana,tone\n"
    b"Summarise the call,A summary,Three bullets,not-a-type\n"
)


def blocking_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def check(page, url: str, found: dict[str, list[str]], *, status_heading: str = "") -> None:
    page.goto(url)
    if status_heading:
        expect(page.get_by_role("heading", name=status_heading)).to_be_visible()
    else:
        expect(page.locator("main, body").first).to_be_visible()
    problems = blocking_violations(page)
    if problems:
        found[url] = problems


@pytest.fixture
def world(alice, bob, project, settings):
    # Queued, not run: the PDF link shows its "being prepared" page, not a download.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for index in range(3):
        make_example(project, title=f"Too formal {index}")
    example = make_example(project, title="Invents a policy", failure_type="facts")
    PromptTrial.objects.create(
        project=project,
        label="Role and three examples",
        model_name="gpt-4o-mini",
        techniques=["role", "examples"],
        cases=40,
        passed=31,
    )
    decision = save_decision(project, alice, "prompt")
    _, token = ShareLink.create(
        decision=decision, label="Steering", expiry="30", scope="full", user=alice
    )
    preview = import_create(
        project=project,
        user=alice,
        upload=SimpleUploadedFile("failures.csv", IMPORT_CSV, content_type="text/csv"),
    )
    # A chat example and a preview that offers only the failing rows (issue 25).
    chat_example = make_example(
        project,
        title="Chat",
        input_messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Can I return it?"},
        ],
    )
    results = FIXTURES / "promptfoo_results.jsonl"
    results_preview = import_create(
        project=project,
        user=alice,
        upload=SimpleUploadedFile(results.name, results.read_bytes()),
    )
    run = WizardRun.objects.create(project=project, created_by=alice)
    return {
        "chat_example": chat_example,
        "results_preview": results_preview,
        "project": project,
        "example": example,
        "decision": decision,
        "token": token,
        "preview": preview,
        "run": run,
    }


def test_no_serious_or_critical_violation_on_any_page_type(chromium_browser, live_server, world):
    project, decision, run = world["project"], world["decision"], world["run"]
    base = f"/projects/{project.pk}"
    report = f"{base}/decisions/{decision.revision}/"
    found: dict[str, list[str]] = {}

    stakeholder = chromium_browser.new_context(base_url=live_server.url).new_page()
    for url in ("/accounts/login/", "/accounts/signup/", f"/s/{world['token']}/"):
        check(stakeholder, url, found)
    check(stakeholder, "/s/not-a-real-token/", found)
    stakeholder.context.close()

    owner = logged_in_page(chromium_browser, live_server.url, "alice")
    for url in (
        "/projects/",
        "/projects/new/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/examples/add/",
        f"{base}/examples/{world['example'].pk}/",
        f"{base}/import/",
        f"{base}/imports/{world['preview'].pk}/",
        f"{base}/imports/{world['results_preview'].pk}/",
        f"{base}/examples/{world['chat_example'].pk}/",
        f"{base}/examples/{world['chat_example'].pk}/edit/",
        f"{base}/export/",
        f"{base}/trials/",
        f"/wizard/runs/{run.pk}/q/symptom/",
        report,
        f"{base}/decisions/",
        f"{report}report.pdf",
        "/decisions/",
        "/accounts/teams/",
        f"/accounts/teams/{project.team_id}/",
        f"/teams/{project.team_id}/portfolio/",
        "/accounts/tokens/",
        "/accounts/password/",
        "/projects/987654/",
    ):
        check(owner, url, found)
    owner.context.close()

    viewer = logged_in_page(chromium_browser, live_server.url, "bob")
    check(viewer, f"{base}/edit/", found)  # 403
    check(viewer, report, found)
    viewer.context.close()

    assert found == {}


def test_the_review_step_has_no_serious_or_critical_violation(
    chromium_browser, live_server, alice, project
):
    make_example(project)
    run = WizardRun.objects.create(
        project=project,
        created_by=alice,
        answers={"symptom": {"option": "tone"}, "spelled_out": {"option": "no"}},
    )
    found: dict[str, list[str]] = {}
    owner = logged_in_page(chromium_browser, live_server.url, "alice")
    check(owner, f"/wizard/runs/{run.pk}/review/", found)
    owner.context.close()
    assert found == {}


def test_the_server_error_page_has_no_serious_or_critical_violation(page, live_server):
    # A 500 cannot be asked for; its template (no context, no database) is loaded on our origin
    # so its stylesheet resolves as it would.
    page.goto("/accounts/login/")
    page.set_content(render_to_string("500.html"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert blocking_violations(page) == []
