"""A saved decision keeps the evidence's numbers as they were: the test set, the groups, the
last comparison, cost and latency. Editing a trial afterwards changes none of them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from decisions.evidence import services
from decisions.evidence.models import PromptTrial
from tests.conftest import make_example
from tests.reports.conftest import render_pending_pdfs, save_decision


@pytest.fixture
def measured(project, alice):
    """40 examples, 10 held out; two revisions case by case, the second grouped and priced."""
    examples = [make_example(project, title=f"Case {n}") for n in range(40)]
    services.test_set_choose(project=project, user=alice, example_ids=[e.pk for e in examples[:10]])
    first = {f"c{n}": n < 20 for n in range(40)}
    second = {f"c{n}": n < 34 for n in range(40)}  # 14 fixed, none broken
    for label, results, extra in (
        ("v1", first, {}),
        (
            "v2",
            second,
            {
                "case_groups": {f"c{n}": "en" if n < 24 else "de" for n in range(40)},
                "cost_per_1k_requests": Decimal("3.5000"),
                "p95_latency_ms": 2100,
            },
        ),
    ):
        trial = PromptTrial(
            label=label,
            model_name="gpt-4o",
            cases=40,
            passed=sum(results.values()),
            results=results,
            **extra,
        )
        services.trial_create(project=project, trial=trial, user=alice)
    return save_decision(project, alice, "prompt")


def test_the_snapshot_holds_the_test_set_groups_comparison_and_cost(measured):
    evidence = measured.explanation["evidence"]
    assert evidence["test_set"] == {"size": 10, "training": 30, "version": 1}
    assert [(g["group"], g["passed"], g["cases"], g["below_mark"]) for g in evidence["groups"]] == [
        ("en", 24, 24, False),
        ("de", 10, 16, True),  # 62 % of 16 cases: 10 or more, below the 80 % mark
    ]
    comparison = evidence["last_comparison"]
    assert (comparison["earlier"], comparison["later"], comparison["fixed"]) == ("v1", "v2", 14)
    assert (comparison["broken"], comparison["verdict"]) == (0, "better")
    assert evidence["trials"][1]["cost_per_1k"] == 3.5
    assert evidence["trials"][1]["p95_latency_ms"] == 2100
    assert "cost_per_1k" not in evidence["trials"][0]


def test_the_report_keeps_the_numbers_after_a_trial_is_edited(client, alice, project, measured):
    PromptTrial.objects.filter(label="v2").update(
        passed=1, results={"c0": True}, cost_per_1k_requests=Decimal("99"), p95_latency_ms=1
    )
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    assert '<span id="report-test-set">Test set: 10 held out, 30 for training.</span>' in html
    assert "30 examples with an expected output outside the test set" in html
    assert "$3.50" in html and "2100 ms" in html
    assert "$99.00" not in html
    assert "“v2” against “v1” on gpt-4o: better on the 40 cases both ran (14 fixed, 0 broken" in (
        html
    )
    assert '<td class="text-end">10 of 16</td>' in html


def test_the_pdf_shows_the_same_numbers(client, alice, project, measured):
    render_pending_pdfs()
    client.force_login(alice)
    response = client.get(f"/projects/{project.pk}/decisions/1/report.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Test set: 10 held out, 30 for training." in flat
    assert "McNemar mid-p 0.000" in flat
