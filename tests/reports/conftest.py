from __future__ import annotations

import pytest

from decisions.records.services import decision_create
from decisions.wizard.models import WizardRun
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME

HOSTILE_TEXTS = {
    "html": "<b>bold</b> & <i>italic</i>",
    "script": "<script>alert('x')</script>",
    "metadata": "<img src=http://169.254.169.254/latest/meta-data/>",
    "attachment": "<link rel=attachment href=file:///etc/passwd>",
    "rtl": "مرحبا بالعالم — שלום עולם",
    "emoji": "Refund please 🙏🚀",
    "cjk": "退货政策是三十天",
}


def save_decision(project, user, outcome="prompt", notes=None):
    answers = ANSWERS_FOR_OUTCOME[outcome]
    run = WizardRun.objects.create(
        project=project,
        created_by=user,
        answers={
            node: {"option": option, "note": (notes or {}).get(node, "")}
            for node, option in answers.items()
        },
    )
    return decision_create(run=run, user=user)


@pytest.fixture
def decision(project, alice):
    make_example(project, title="Too formal for Dana")
    make_example(project, title="Invents a policy", failure_type="facts")
    return save_decision(project, alice, "prompt", notes={"symptom": "Mostly tone"})


@pytest.fixture
def hostile_decision(project, alice):
    long_output = "A" * 19_990 + "END-MARKER"
    for name, text in HOSTILE_TEXTS.items():
        make_example(
            project,
            title=f"{name}: {text}"[:200],
            input_text=text,
            bad_output=text,
            expected_output=text,
        )
    make_example(project, title="Very long output", bad_output=long_output)
    return save_decision(project, alice, "context", notes={"symptom": HOSTILE_TEXTS["script"]})


def render_pending_pdfs() -> None:
    """What the task worker does: render every PDF that was asked for.

    Tests run inside a transaction that never commits, so the enqueue that waits for the
    commit never fires; this stands in for it.
    """
    from decisions.reports.models import PdfStatus, ReportPdf
    from decisions.reports.tasks import render_report_pdf

    for pdf_id in ReportPdf.objects.filter(status=PdfStatus.PENDING).values_list("pk", flat=True):
        render_report_pdf.call(pdf_id)
