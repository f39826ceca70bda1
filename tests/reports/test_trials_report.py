"""Trials in a saved decision: the wizard's prefills, the contradiction warning, the report's
trials table and chart, the PDF, and a snapshot that keeps them as they were."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from decisions.evidence.models import PromptTrial
from decisions.records.services import decision_create
from decisions.reports.context import report_context
from decisions.reports.pdf import missing_pdf_library, render_pdf
from decisions.wizard.models import WizardRun
from tests.conftest import make_example

ALL = ["instructions", "role", "examples", "structure", "context", "schema"]
EXHAUSTED_PATH = {
    "symptom": "domain",
    "examples_test": "no",
    "test_set": "ready",
    "prompt_effort": "exhausted",
    "optimizer": "no_gain",
    "stronger_model": "passes",
}


def trial(project, label, passed, cases=60, **fields):
    return PromptTrial.objects.create(
        project=project,
        label=label,
        model_name=fields.pop("model_name", "gpt-x"),
        cases=cases,
        passed=passed,
        techniques=ALL,
        **fields,
    )


def save(project, user, answers):
    run = WizardRun.objects.create(
        project=project,
        created_by=user,
        answers={node: {"option": option, "note": ""} for node, option in answers.items()},
    )
    return decision_create(run=run, user=user)


@pytest.fixture
def measured(project):
    for n in range(12):
        make_example(
            project, title=f"Case {n}", failure_type="domain", iterations=4, techniques_tried=ALL
        )
    trial(project, "v1", 36)
    trial(project, "v2", 90 - 50)
    return project


def test_the_wizard_prefills_from_trials(client, alice, measured):
    answers = {"symptom": "domain", "examples_test": "no", "test_set": "ready"}
    run = WizardRun.objects.create(
        project=measured,
        created_by=alice,
        answers={node: {"option": option, "note": ""} for node, option in answers.items()},
    )
    client.force_login(alice)
    page = client.get(f"/wizard/runs/{run.pk}/q/prompt_effort/").content.decode()
    assert "Below the pass mark of 80%, but 2 measured revisions still show room" in page
    test_set = client.get(f"/wizard/runs/{run.pk}/q/test_set/").content.decode()
    assert "The largest trial, “v1”, ran 60 cases." in test_set


def test_exhausted_against_two_trials_warns_and_lowers_confidence(alice, measured):
    decision = save(measured, alice, EXHAUSTED_PATH)
    codes = [w["code"] for w in decision.explanation["warnings"]]
    assert "trials_contradict" in codes
    message = next(
        w["message"] for w in decision.explanation["warnings"] if w["code"] == "trials_contradict"
    )
    assert message == (
        "You say prompting is exhausted, but only 2 trials are recorded; it takes 3 measured "
        "revisions to show it."
    )
    assert decision.confidence == "medium"


def test_the_report_keeps_the_trials_as_they_were(client, alice, measured):
    decision = save(measured, alice, EXHAUSTED_PATH)
    PromptTrial.objects.filter(label="v1").update(passed=59)
    trial(measured, "v3", 58)
    client.force_login(alice)
    html = client.get(f"/projects/{measured.pk}/decisions/{decision.revision}/").content.decode()
    section = html.split('id="report-trials"', 1)[1].split("</table>", 1)[0]
    assert "Measured prompt trials (pass mark 80%)" in section
    assert '<td class="text-end">36 of 60</td>' in section
    assert "v3" not in section
    assert "<svg" in section


@pytest.mark.skipif(bool(missing_pdf_library()), reason="WeasyPrint's system libraries")
def test_the_chart_is_in_the_pdf(alice, measured):
    decision = save(measured, alice, EXHAUSTED_PATH)
    text = "".join(
        page.extract_text()
        for page in PdfReader(BytesIO(render_pdf(report_context(decision, for_pdf=True)))).pages
    )
    assert "Measured prompt trials (pass mark 80%)" in text
    assert "pass mark 80%" in text
    assert "36/60" in text
