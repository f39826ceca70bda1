"""The PDF as paper: no heading alone at a page's foot, no table split to leave one row alone,
the footer on one line on every page, for every verdict the flowchart can reach."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from decisions.evidence.models import PromptTrial
from decisions.reports.context import report_context
from decisions.reports.models import ReportScope
from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.reports.conftest import save_decision
from tests.reports.pdf_layout import layout_problems

WORDS = [
    "the",
    "assistant",
    "promised",
    "a",
    "refund",
    "window",
    "that",
    "the",
    "policy",
    "does",
    "not",
    "allow",
]


def words(count: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(count))


def fill_project(project, alice, examples: int) -> None:
    """Examples of uneven length and two trials, so page breaks fall mid-section."""
    project.name = "Customer support bot for returns, refunds and exchanges " * 3
    project.description = words(60)
    project.save()
    for index in range(examples):
        make_example(
            project,
            title=f"Example {index + 1}: {words(3 + index % 7)}",
            input_text=words(10 + (index * 37) % 90),
            bad_output=words(20 + (index * 53) % 160),
            expected_output=words(15 + (index * 29) % 60) if index % 3 else "",
            failure_type=["tone", "facts", "format", "domain"][index % 4],
        )
    for label, passed in (("Baseline", 12), ("With role and examples", 31)):
        PromptTrial.objects.create(
            project=project,
            created_by=alice,
            label=label,
            model_name="gpt-4o-mini",
            cases=40,
            passed=passed,
            run_on="2026-11-20",
        )


@pytest.mark.parametrize("outcome", sorted(ANSWERS_FOR_OUTCOME))
@pytest.mark.parametrize("examples", [3, 14])
def test_every_outcomes_pdf_reads_well_on_paper(project, alice, outcome, examples):
    fill_project(project, alice, examples)
    decision = save_decision(project, alice, outcome, notes={"symptom": words(40)})
    html = render_to_string("reports/pdf.html", report_context(decision, for_pdf=True))
    assert layout_problems(html) == []


@pytest.mark.parametrize("examples", [1, 40])
def test_the_appendix_neither_starts_nor_ends_with_one_example_alone(project, alice, examples):
    fill_project(project, alice, examples)
    decision = save_decision(project, alice, "hybrid")
    html = render_to_string("reports/pdf.html", report_context(decision, for_pdf=True))
    assert layout_problems(html) == []


@pytest.mark.parametrize("scope", ReportScope.values)
@pytest.mark.parametrize("examples", [1, 40, 500])
def test_every_scope_reads_well_on_paper_from_1_to_500_examples(project, alice, scope, examples):
    """One render per case, read once: the 500-example PDF with texts takes about 30 s."""
    fill_project(project, alice, examples)
    decision = save_decision(project, alice, "hybrid", notes={"symptom": words(40)})
    context = report_context(decision, for_pdf=True, scope=ReportScope(scope))
    assert layout_problems(render_to_string("reports/pdf.html", context)) == []


# The reader itself: each fault it looks for, drawn on purpose, must be found.
SMALL_PAGE = "<style>@page { size: 100mm 60mm; margin: 10mm; } h2 { break-after: auto; }</style>"


def test_the_reader_finds_a_heading_alone_at_a_pages_foot():
    html = (
        f"{SMALL_PAGE}<div style='height: 25mm'>Intro</div><h2>Lonely heading</h2>"
        "<div style='height: 20mm; break-inside: avoid'>Its section</div>"
    )
    assert layout_problems(html) == [
        "page 1: the heading “Lonely heading” ends the page",
        "page 2: near-empty, 12% of it filled",  # its one line of text
    ]


def test_the_reader_finds_a_near_empty_page_but_not_a_short_new_section():
    lines = "".join(f"<p>Line {n}</p>" for n in range(1, 5))
    html = (
        f"{SMALL_PAGE}<style>body, p, h2 {{ margin: 0 }}</style>"
        f"<p style='break-after: page'>One line alone</p>{lines}"
        "<p style='break-before: page'>Last</p><h2 style='break-before: page'>A new section</h2>"
    )
    assert layout_problems(html) == [
        "page 1: near-empty, 12% of it filled",
        "page 3: near-empty, 12% of it filled",
    ]  # page 4 is as short, but opens a section


def test_the_reader_finds_one_row_alone_and_a_wrapping_footer():
    rows = "".join(f"<tr><td style='height: 15mm'>Row {n}</td></tr>" for n in range(1, 4))
    footer = "<style>@page { @bottom-left { content: 'A footer long enough to wrap " + (
        "on a page this narrow, and longer still' } }</style>"
    )
    html = f"{SMALL_PAGE}{footer}<table><tbody>{rows}</tbody></table>"
    assert layout_problems(html) == [
        "page 1: the footer wraps onto 2 lines",
        "page 2: the footer wraps onto 2 lines",
        "page 2: one row alone of the table “Row 1Row 2Row 3”",
    ]
