"""Every page type fits a phone: at 390 px nothing makes the page scroll sideways.

Wide content (tables, charts, diagrams) scrolls inside its own box instead. The pages are a
list: a new page type is one more entry in PAGES.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from decisions.evidence.imports.run import import_create
from decisions.projects.models import Project
from decisions.records.models import Decision
from decisions.wizard.models import RunStatus, WizardRun
from devtools.demo.decisions import CONTRACTS, SALES, SUPPORT, demo_share_token
from devtools.demo.projects import DEMO_PASSWORD

PHONE = {"width": 390, "height": 844}
# Layout settles with the load event; this only covers a late font or an htmx swap.
SETTLE_MS = 5_000

IMPORT_CSV = (
    b"input,output,expected,category\n"
    b"Write to Dana about the renewal of the enterprise plan,Dear Valued Customer,Hi Dana,tone\n"
    b"Summarise the call,A summary,Three bullets,not-a-type\n"
)

# The element(s) reaching furthest right, to say what to fix when a page is too wide.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const reach = (el) => {
    const box = el.getBoundingClientRect();
    const spills = getComputedStyle(el).overflowX === "visible";
    return box.left + (spills ? Math.max(el.scrollWidth, box.width) : box.width);
  };
  const scrolled = (el) => el.parentElement &&
    el.parentElement.closest(".table-responsive, .chart-scroll, .diagram-scroll, .scroll-x, svg");
  const wide = [...document.querySelectorAll("body *")].filter(
    (el) => reach(el) > limit + 1 && !scrolled(el));
  const leaves = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  const classes = (el) => typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  return leaves.slice(0, 4).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    classes(el) + " reaches " + Math.round(reach(el)));
}"""


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[dict], str]
    as_user: str | None = "demo"  # None: not logged in


PAGES = [
    PageType("log-in", lambda w: "/accounts/login/", None),
    PageType("sign-up", lambda w: "/accounts/signup/", None),
    PageType("password reset", lambda w: "/accounts/password/reset/", None),
    PageType("password reset sent", lambda w: "/accounts/password/reset/sent/", None),
    PageType("password reset link", lambda w: "/accounts/password/reset/MQ/used-up/", None),
    PageType("share link", lambda w: f"/s/{w['token']}/", None),
    PageType("share link gone", lambda w: "/s/not-a-real-token/", None),
    PageType("project list", lambda w: "/projects/"),
    PageType("new project", lambda w: "/projects/new/"),
    PageType("project page", lambda w: f"/projects/{w['sales'].pk}/"),
    PageType("examples table, filtered", lambda w: f"/projects/{w['support'].pk}/?sort=title"),
    PageType("example page", lambda w: f"/projects/{w['sales'].pk}/examples/{w['example'].pk}/"),
    PageType(
        "example edit", lambda w: f"/projects/{w['sales'].pk}/examples/{w['example'].pk}/edit/"
    ),
    PageType("add example", lambda w: f"/projects/{w['sales'].pk}/examples/add/"),
    PageType("import upload", lambda w: f"/projects/{w['sales'].pk}/import/"),
    PageType("import preview", lambda w: f"/projects/{w['sales'].pk}/imports/{w['preview'].pk}/"),
    PageType("test set", lambda w: f"/projects/{w['contracts'].pk}/test-set/"),
    PageType("trials", lambda w: f"/projects/{w['contracts'].pk}/trials/"),
    PageType("trials, sales", lambda w: f"/projects/{w['sales'].pk}/trials/"),
    PageType("trial comparison", lambda w: f"/projects/{w['contracts'].pk}/trials/compare/"),
    PageType("export", lambda w: f"/projects/{w['contracts'].pk}/export/"),
    PageType("wizard step", lambda w: f"/wizard/runs/{w['run'].pk}/"),
    PageType("report", lambda w: w["report"]),
    PageType("report with trials", lambda w: w["contracts_report"]),
    PageType("stale report", lambda w: w["support_report"]),
    PageType("history", lambda w: f"/projects/{w['sales'].pk}/decisions/"),
    PageType("dashboard", lambda w: "/decisions/"),
    PageType("portfolio", lambda w: f"/teams/{w['sales'].team_id}/portfolio/"),
    PageType("team list", lambda w: "/accounts/teams/"),
    PageType("team page", lambda w: f"/accounts/teams/{w['sales'].team_id}/"),
    PageType("API tokens", lambda w: "/accounts/tokens/"),
    PageType("change password", lambda w: "/accounts/password/"),
    PageType("404", lambda w: "/projetcs/"),
    PageType("report as a viewer", lambda w: w["report"], "sam"),
    PageType("403", lambda w: f"/projects/{w['sales'].pk}/edit/", "sam"),
]


@pytest.fixture
def world(db, settings):
    # Queued, not run: PDFs are not rendered while the demo loads.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "notifications"],
        }
    }
    call_command("load_demo", stdout=io.StringIO())
    projects = {p.name: p for p in Project.objects.all()}
    sales, support, contracts = projects[SALES], projects[SUPPORT], projects[CONTRACTS]

    def report(project):
        decision = Decision.objects.filter(project=project).order_by("-revision").first()
        return f"/projects/{project.pk}/decisions/{decision.revision}/"

    return {
        "sales": sales,
        "support": support,
        "contracts": contracts,
        "example": sales.examples.order_by("pk").first(),
        "token": demo_share_token(),
        "report": report(sales),
        "contracts_report": report(contracts),
        "support_report": report(support),
        "run": WizardRun.objects.filter(status=RunStatus.DRAFT).first(),
        "preview": import_create(
            project=sales,
            user=sales.owner,
            upload=SimpleUploadedFile("failures.csv", IMPORT_CSV, content_type="text/csv"),
        ),
    }


def phone_page(browser, base_url: str, username: str | None, viewport: dict = PHONE):
    page = browser.new_context(base_url=base_url, viewport=viewport).new_page()
    if username:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    return page


def too_wide(page, name: str) -> str | None:
    """None when the page fits (waiting for it to settle); else its width and what sticks out,
    with a screenshot in PHONE_SHOTS when that names a folder."""
    try:
        page.wait_for_function(
            "w => document.documentElement.scrollWidth <= w", arg=PHONE["width"], timeout=SETTLE_MS
        )
    except PlaywrightTimeoutError:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if os.environ.get("PHONE_SHOTS"):
            slug = re.sub(r"\W+", "-", name)
            page.screenshot(path=f"{os.environ['PHONE_SHOTS']}/{slug}.png", full_page=True)
        return f"{width} px wide: {page.evaluate(WIDEST)}"
    return None


def test_no_page_is_wider_than_a_phone(chromium_browser, live_server, world):
    found: dict[str, str] = {}
    pages: dict[str | None, object] = {}
    for page_type in PAGES:
        if page_type.as_user not in pages:
            pages[page_type.as_user] = phone_page(
                chromium_browser, live_server.url, page_type.as_user
            )
        page = pages[page_type.as_user]
        page.goto(page_type.path(world))
        expect(page.get_by_role("heading").first).to_be_visible()
        problem = too_wide(page, page_type.name)
        if problem:
            found[page_type.name] = problem
    for page in pages.values():
        page.context.close()
    assert found == {}


# The page's actions come right after the verdict and its analogy, in the markup as on the screen
# (no CSS moves them, so Tab meets them where they are drawn: test_keyboard_flows.py).
ACTIONS_FOLLOW_THE_VERDICT = """() => {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  return box("report-verdict").bottom <= box("report-actions").top
    && box("report-actions").bottom <= box("stale").top;
}"""


@pytest.mark.parametrize("report", ["report", "support_report", "contracts_report"])
def test_the_verdict_is_on_a_phones_first_screen(chromium_browser, live_server, world, report):
    """The verdict is whole on a phone's first screen; the page's actions come after it."""
    page = phone_page(chromium_browser, live_server.url, "demo")
    page.goto(world[report])
    verdict = page.locator("#report-verdict")
    expect(verdict).to_be_visible()
    expect(verdict).to_be_in_viewport(ratio=1)
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=str)
def test_the_actions_and_the_rerun_notice_follow_the_verdict(
    chromium_browser, live_server, world, viewport
):
    page = phone_page(chromium_browser, live_server.url, "demo", viewport=viewport)
    page.goto(world["support_report"])
    expect(page.locator("#report-verdict")).to_be_in_viewport()
    page.wait_for_function(ACTIONS_FOLLOW_THE_VERDICT)
    page.context.close()


def test_the_actions_are_on_a_desktops_first_screen(chromium_browser, live_server, world):
    desktop = {"width": 1280, "height": 900}
    page = phone_page(chromium_browser, live_server.url, "demo", viewport=desktop)
    page.goto(world["support_report"])
    expect(page.locator("#report-verdict")).to_be_in_viewport(ratio=1)
    expect(page.locator("#report-actions")).to_be_in_viewport(ratio=1)
    expect(page.locator("#stale")).to_be_in_viewport(ratio=1)
    page.context.close()
