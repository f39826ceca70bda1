"""Decisions saved on 2026.11 and 2027.01 render byte for byte as they did before 2027.02.

The rows in golden/ were saved, and their report, PDF markup and PDF text rendered, by the code
of the last commit before 2027.02 existed. The test loads those rows as they stand in a
database and renders them with today's code: a change to a shared template, the report's
context or the PDF that alters an old report fails here. Never regenerate the golden files to
make this pass; a deliberate change to old reports is a decision of its own.

`GOLDEN_WRITE=1 pytest tests/reports/test_saved_reports_unchanged.py` wrote them.
`GOLDEN_WRITE=renders` rewrites only the renders from the saved rows, for a deliberate change.
The ones made so far, both of issue 26: the review bar and timeline (the team's review of the
revision today, under its verdict and beside its answers) and the "Re-run suggested" notice
(after the summary, so a phone shows the verdict first) now sit inside the article, on old
reports too; the PDF's text did not change. Then the page's buttons and that notice moved up
under the verdict and its analogy, above the review bar, at every width (the order Tab follows
is the order on the screen); the PDF's markup lost a blank line, its text did not change.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from decisions.evidence import services as evidence_services
from decisions.evidence.models import PromptTrial
from decisions.records.models import Decision, Review
from decisions.records.services import decision_create
from decisions.records.steps import steps_track
from decisions.reports.context import report_context
from decisions.reports.pdf import missing_pdf_library, render_pdf
from decisions.reports.views import render_report
from decisions.wizard.models import WizardRun
from tests.conftest import make_example

GOLDEN = Path(__file__).parent / "golden"
WRITING = os.environ.get("GOLDEN_WRITE") == "1"
WRITING_RENDERS = WRITING or os.environ.get("GOLDEN_WRITE") == "renders"
SAVED_AT = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
PROJECT_ID = 9001
ROW_FIELDS = (
    "outcome",
    "confidence",
    "answers",
    "notes",
    "explanation",
    "diagram_svg",
    "snapshot",
    "examples",
    "context",
    "flowchart_version",
    "flowchart_hash",
)
ALL_TECHNIQUES = ["instructions", "role", "examples", "structure", "context", "schema"]
# One decision per old version, each through as many sections of the report as it has: a
# training verdict with examples, a test set, trials case by case with groups, and notes.
SAVED = {
    "2027.01": {
        "symptom": "domain",
        "examples_test": "no",
        "test_set": "ready",
        "prompt_effort": "exhausted",
        "stronger_model": "all_fail",
        "foundation": "yes",
        "platform": "open_weight",
        "data": "50_to_500",
        "team": "in_house",
        "budget": "yes",
        "oversight": "yes",
    },
    "2026.11": {
        "symptom": "domain",
        "examples_test": "no",
        "prompt_effort": "exhausted",
        "foundation": "yes",
        "data": "over_500",
        "team": "in_house",
        "budget": "yes",
        "oversight": "yes",
    },
}


def slug(version: str) -> str:
    return version.replace(".", "_")


def build_evidence(project) -> None:
    """Examples, a test set and three trials with case results and groups."""
    for n in range(14):
        make_example(
            project,
            title=f"Clause {n} <misread> & co",
            failure_type="domain" if n % 4 else "facts",
            input_text=f"Summarise clause {n}.",
            expected_output=f"Clause {n} says …" if n % 5 else "",
            iterations=4,
            techniques_tried=ALL_TECHNIQUES,
        )
    evidence_services.test_set_choose(project=project, user=project.owner, share_percent=50)
    cases = [f"c{n}" for n in range(40)]
    groups = {case: ("German" if n < 12 else "English") for n, case in enumerate(cases)}
    for label, passing in (("v1", 24), ("v2", 27), ("v3", 28)):
        PromptTrial.objects.create(
            project=project,
            label=label,
            model_name="gpt-x",
            run_on=datetime.date(2026, 11, 1 + passing - 24),
            techniques=ALL_TECHNIQUES,
            cases=40,
            passed=passing,
            results={case: n >= 40 - passing for n, case in enumerate(cases)},
            case_groups=groups,
            cost_per_1k_requests=Decimal("1.25"),
            p95_latency_ms=900,
        )


def write_rows(project, alice) -> None:
    """Save one decision per old version with the code of this commit, and keep the rows."""
    rows = {}
    for version, answers in SAVED.items():
        run = WizardRun.objects.create(
            project=project,
            created_by=alice,
            flowchart_version=version,
            answers={
                node: {"option": option, "note": "Checked <b>twice</b>" if node == "data" else ""}
                for node, option in answers.items()
            },
        )
        decision = decision_create(run=run, user=alice)
        rows[version] = {field: getattr(decision, field) for field in ROW_FIELDS}
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / "saved_decisions.json").write_text(
        json.dumps(rows, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    )


def load_rows(project, alice) -> dict[str, Decision]:
    """The saved rows as a database holds them, one revision each, dated SAVED_AT."""
    rows = json.loads((GOLDEN / "saved_decisions.json").read_text())
    decisions = {}
    for revision, version in enumerate(SAVED, start=1):
        decision = Decision.objects.create(
            project=project, revision=revision, created_by=alice, **rows[version]
        )
        Decision.objects.filter(pk=decision.pk).update(created_at=SAVED_AT)
        decision.refresh_from_db()
        Review.objects.create(decision=decision)
        steps_track(decision, previous=None)
        decisions[version] = decision
    return decisions


def report_article(request_factory, alice, decision, membership) -> str:
    """The report as the page shows it, from <article> to </article>: the page around it (the
    review and share panels, the navigation) belongs to other features."""
    request = request_factory.get(f"/projects/{PROJECT_ID}/decisions/{decision.revision}/")
    request.user = alice
    request.htmx = False
    html = render_report(request, decision, membership).content.decode()
    article = html[html.index('<article class="report"') : html.index("</article>") + 10]
    article = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", article)
    # The review bar's reviewers are named by user id, which differs between databases.
    return re.sub(r'<option value="\d+">', '<option value="ID">', article)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def renders(decision, request_factory, alice, membership) -> dict[str, str]:
    context = report_context(decision, for_pdf=True)
    files = {
        "report.html": report_article(request_factory, alice, decision, membership),
        "pdf.html": render_pdf_markup(context),
    }
    if not missing_pdf_library():
        files["pdf.txt"] = pdf_text(render_pdf(context))
    return files


def render_pdf_markup(context: dict) -> str:
    from django.template.loader import render_to_string

    return render_to_string("reports/pdf.html", context)


@pytest.fixture
def old_project(team, alice):
    from decisions.projects.models import Project

    return Project.objects.create(
        pk=PROJECT_ID,
        team=team,
        name="Contract summariser",
        description="Summarises <supplier> contracts for the legal team.",
        owner=alice,
        model_in_use="gpt-x",
    )


@pytest.mark.parametrize("version", list(SAVED))
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the saved rows' JSON goes into jsonb, which keeps no key order: compared on SQLite",
)
def test_an_old_decision_renders_as_it_did(version, old_project, alice, rf, settings):
    settings.TIME_ZONE = "UTC"
    if WRITING and version == next(iter(SAVED)):
        build_evidence(old_project)
        write_rows(old_project, alice)
        old_project.decisions.all().delete()
    decision = load_rows(old_project, alice)[version]
    membership = alice.memberships.get(team=old_project.team)
    files = renders(decision, rf, alice, membership)
    for name, text in files.items():
        path = GOLDEN / f"{slug(version)}.{name}"
        if WRITING_RENDERS:
            path.write_text(text)
        assert text == path.read_text(), f"{path.name} differs from the saved report"
