"""The executive summary opens the report and its PDF: context, verdict, why, confidence, cost
beside the nearest alternative, first steps, review status; the examples close it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from decisions.projects.models import Project
from decisions.reports.context import report_context
from decisions.reports.pdf import render_pdf
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.reports.conftest import save_decision


@pytest.fixture
def described(project):
    Project.objects.filter(pk=project.pk).update(
        description="Drafts follow-up emails from call notes.",
        model_in_use="GPT-4o mini",
        use_case="task",
    )
    project.refresh_from_db()
    make_example(project)
    return project


def summary_of(client, decision) -> str:
    page = client.get(f"/projects/{decision.project_id}/decisions/{decision.revision}/")
    html = page.content.decode()
    start = html.index('<section class="report-summary')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("outcome", sorted(ANSWERS_FOR_OUTCOME))
def test_the_summary_holds_every_element_for_each_outcome(client, alice, described, outcome):
    decision = save_decision(described, alice, outcome)
    client.force_login(alice)
    summary = summary_of(client, decision)

    assert "Drafts follow-up emails from call notes." in summary
    assert "GPT-4o mini" in summary
    assert "Task-based work (emails, notes, summaries)" in summary
    assert ">alice<" in summary
    assert 'id="report-verdict"' in summary
    assert "Deciding answer:</strong> you answered" in summary
    assert "Confidence: " in summary
    for row in ("Time", "Cost", "Data", "People"):
        assert f'<th scope="row">{row}</th>' in summary
    assert 1 <= summary.count('<li class="keep-together">') <= 3
    assert "<strong>Review:</strong>" in summary and "Draft" in summary


def test_prompt_summary_in_literal_terms(client, alice, described):
    decision = save_decision(described, alice, "prompt")
    client.force_login(alice)
    summary = summary_of(client, decision)

    assert "Prompting problem: engineer the prompt" in summary
    assert (
        "you answered “No” to “Does the prompt spell out the format or tone you want, with at "
        "least one example of a good output?”"
    ) in summary
    assert "<td>hours to days</td>" in summary and "<td>team time only</td>" in summary


def test_the_nearest_alternative_stands_beside_the_verdict(client, alice, described):
    decision = save_decision(described, alice, "switch_model")
    client.force_login(alice)
    summary = summary_of(client, decision)

    assert "beside the nearest alternative" in summary
    headers = re.findall(r'<th scope="col">([^<]+)', summary)
    # The deciding question (stronger models) leads to no other verdict directly; the decisive
    # question before it does: not having run an optimizer yet would say run one.
    assert headers[1].strip() == "Run a prompt optimizer"


def test_the_summary_keeps_the_project_as_it_was_described(client, alice, described):
    decision = save_decision(described, alice, "prompt")
    Project.objects.filter(pk=described.pk).update(model_in_use="Llama 3.1 70B")
    client.force_login(alice)
    summary = summary_of(client, decision)

    assert "GPT-4o mini" in summary
    assert "Llama 3.1 70B" not in summary


def test_the_pdf_opens_with_the_summary_and_ends_with_the_examples(alice, described):
    decision = save_decision(described, alice, "prompt")
    reader = PdfReader(io.BytesIO(render_pdf(report_context(decision, for_pdf=True))))
    first = reader.pages[0].extract_text()
    last = reader.pages[-1].extract_text()

    assert "Prompting problem: engineer the prompt" in first
    assert "First steps" in first
    assert "Review: Draft" in first
    assert "Why: the questions and answers" not in first  # the details start on page 2
    assert "Appendix: the failed examples" in "".join(
        page.extract_text() for page in reader.pages[1:]
    )
    assert "Too formal" in last
