"""Page one of a 2027.02 report: the deciding answer with why the question is asked, the
nearest alternative and the experiment filled with the project's numbers, all saved with the
revision; the report's "why" gives each answered question's rationale; and the link to the
promptfoo configuration that runs the experiment, for signed-in members only."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from decisions.evidence import services as evidence_services
from decisions.evidence.models import PromptTrial
from decisions.projects.models import Project
from decisions.reports.context import report_context
from decisions.reports.pdf import missing_pdf_library, render_pdf
from tests.conftest import make_example
from tests.reports.conftest import save_decision
from tests.reports.test_share import create_link, token_from

STRONGER = (
    "Have you run the same test set on the most capable models available to you, including "
    "another vendor's?"
)
SWITCH_AT_60 = (
    "Run your best prompt on the most capable model of another vendor on your 60 cases; if 48 "
    "or more pass (80%) at a cost you accept, the verdict becomes Switch models."
)
CONFIG_LINK = "Download the promptfoo configuration that runs this experiment"


def with_test_set(project, cases: int = 60) -> Project:
    for number in range(cases):
        make_example(project, title=f"Clause {number}", failure_type="domain")
    evidence_services.test_set_choose(
        project=project,
        user=project.owner,
        example_ids=project.examples.values_list("pk", flat=True),
    )
    return project


def report_html(client, decision) -> str:
    return client.get(
        f"/projects/{decision.project_id}/decisions/{decision.revision}/"
    ).content.decode()


def summary_of(html: str) -> str:
    start = html.index('<section class="report-summary')
    return html[start : html.index("</section>", start)]


def test_the_snapshot_keeps_the_report_rules_computed_at_save(project, alice):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    rules = decision.snapshot["report_rules"]
    assert rules["rules"]["deciding"] == "stronger_model"
    assert rules["rules"]["deciding_option"] == "all_fail"
    assert rules["rules"]["nearest"] == "switch_model"
    assert rules["rules"]["nearest_answer"] == {"node": "stronger_model", "option": "not_tried"}
    assert rules["rules"]["experiment"] == [SWITCH_AT_60]
    assert [item["node"] for item in rules["rules"]["why"]][:3] == [
        "symptom",
        "examples_test",
        "test_set",
    ]
    assert rules["deciding"]["answer"] == "None meets it"
    assert rules["deciding"]["rationale"] == (
        "Changing the model comes before training one: a stronger model, or another vendor's, "
        "often passes."
    )
    assert rules["nearest"]["label"] == "Switch models"
    assert rules["runs_on_cases"] is True


def test_page_one_shows_the_deciding_answer_why_and_the_experiment(client, alice, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    client.force_login(alice)
    summary = summary_of(report_html(client, decision))
    assert f"you answered “None meets it” to “{STRONGER}”" in summary.replace("&#x27;", "'")
    assert "<strong>Why we ask:</strong> Changing the model comes before training one" in summary
    assert (
        "<strong>Nearest alternative:</strong> Switch models, had you answered “Not tried yet” "
        "instead</p>" in summary  # the deciding question's own option: not repeated
    )
    assert SWITCH_AT_60 in summary
    # The verdict's effort beside the nearest alternative's.
    assert '<th scope="col">Switch models</th>' in summary


def test_the_numbers_are_those_saved_not_todays(client, alice, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    Project.objects.filter(pk=project.pk).update(pass_mark=95)
    client.force_login(alice)
    assert SWITCH_AT_60 in report_html(client, decision)


def test_without_a_test_set_the_largest_trial_on_the_current_model_counts(client, alice, project):
    make_example(project, failure_type="domain")
    for cases, on_current in ((40, True), (30, True), (200, False)):
        PromptTrial.objects.create(
            project=project,
            label=f"v{cases}",
            model_name="gpt-x",
            cases=cases,
            passed=cases // 2,
            on_current_model=on_current,
        )
    decision = save_decision(project, alice, "hybrid")
    assert decision.snapshot["report_rules"]["experiment"] == [
        "Run your best prompt on the most capable model of another vendor on your 40 cases; if "
        "32 or more pass (80%) at a cost you accept, the verdict becomes Switch models."
    ]


def test_with_no_count_at_all_the_sentence_speaks_of_the_pass_mark(project, alice):
    make_example(project, failure_type="domain")
    decision = save_decision(project, alice, "hybrid")
    assert decision.snapshot["report_rules"]["experiment"] == [
        "Run your best prompt on the most capable model of another vendor on your test set; if "
        "it meets the pass mark (80%) at a cost you accept, the verdict becomes Switch models."
    ]


def test_the_why_section_gives_each_answered_questions_rationale(client, alice, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    client.force_login(alice)
    html = report_html(client, decision)
    why = html[html.index('id="why-heading"') : html.index('id="steps-heading"')]
    assert why.count('class="rationale small') == 13
    assert (
        "<strong>Why we ask:</strong> Each kind of failure has its own first fix; output that is "
        "fine but slow or costly is its own path."
    ) in why


def test_no_nearest_alternative_is_said_plainly(client, alice, project):
    make_example(project)
    decision = save_decision(project, alice, "prompt")  # tone → spelled_out.no
    assert decision.snapshot["report_rules"]["nearest"] is None
    client.force_login(alice)
    summary = summary_of(report_html(client, decision))
    assert "No other answer on this path leads straight to another verdict" in summary
    assert CONFIG_LINK not in summary


def test_the_config_link_needs_a_test_set(client, alice, project):
    make_example(project, failure_type="domain")
    decision = save_decision(project, alice, "hybrid")
    client.force_login(alice)
    assert CONFIG_LINK not in report_html(client, decision)


def test_a_member_who_may_export_gets_the_config_link(client, alice, bob, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    for user in (alice, bob):  # every member may export the project's test set
        client.force_login(user)
        html = report_html(client, decision)
        assert (
            f'href="/projects/{project.pk}/export/#experiment" id="experiment-config">{CONFIG_LINK}'
            in html
        )


def test_a_share_link_carries_the_experiment_but_not_the_export(client, alice, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    client.force_login(alice)
    token = token_from(create_link(client, decision))
    client.logout()
    shared = client.get(f"/s/{token}/").content.decode()
    assert SWITCH_AT_60 in shared
    assert CONFIG_LINK not in shared and "/export/" not in shared


@pytest.mark.skipif(bool(missing_pdf_library()), reason="WeasyPrint's libraries are missing")
def test_pdf_page_one_has_the_deciding_answer_and_the_experiment(alice, project):
    decision = save_decision(with_test_set(project), alice, "hybrid")
    reader = PdfReader(io.BytesIO(render_pdf(report_context(decision, for_pdf=True))))
    page_one = " ".join(reader.pages[0].extract_text().split())
    assert "Deciding answer: you answered “None meets it”" in page_one
    assert "Why we ask: Changing the model comes before training one" in page_one
    assert " ".join(SWITCH_AT_60.split()) in page_one
    assert CONFIG_LINK not in page_one


def test_a_nearest_alternative_on_an_earlier_question_names_it(client, alice, project):
    make_example(project, failure_type="domain")
    decision = save_decision(project, alice, "switch_model")  # decided on stronger models
    client.force_login(alice)
    summary = summary_of(report_html(client, decision))
    assert (
        "<strong>Nearest alternative:</strong> Run a prompt optimizer, had you answered “Not "
        "yet” to “Have you run an automated prompt optimizer"
    ) in summary.replace("&#x27;", "'")
