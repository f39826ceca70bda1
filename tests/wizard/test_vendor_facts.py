"""The definition's vendor facts table as dated data in the pages: beside the platform
question, under the readiness meter and on the export page, never figures of their own."""

from __future__ import annotations

from tests.conftest import make_example
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME
from tests.wizard.conftest import answer

TO_PLATFORM = [
    (node, option)
    for node, option in ANSWERS_FOR_OUTCOME["hybrid"].items()
    if node not in ("platform", "grader", "data", "team", "budget", "oversight")
]


def test_the_platform_question_shows_the_vendor_rows(client, alice, run):
    client.force_login(alice)
    for node, option in TO_PLATFORM:
        assert answer(client, run, node, option).status_code == 302
    html = client.get(f"/wizard/runs/{run.pk}/q/platform/").content.decode()
    table = html[html.index('id="vendor-facts"') : html.index("</details>")]
    assert "Where fine-tuning can still be done (last checked 1 December 2026)" in table
    assert table.count("<tr class=") == 9
    assert "no new jobs after 2027-01-06" in table
    assert '<span class="badge text-bg-warning">closing</span>' in table
    assert "distillation: 100 pairs recommended (max 15,000)" in table
    assert (
        '<a href="https://developers.openai.com/api/docs/deprecations" rel="noopener noreferrer">'
    ) in table


def test_other_questions_show_no_vendor_rows(client, alice, run):
    client.force_login(alice)
    assert (
        'id="vendor-facts"' not in client.get(f"/wizard/runs/{run.pk}/q/symptom/").content.decode()
    )


def test_the_readiness_meter_reads_the_table_and_ties_distillation_to_100(client, alice, project):
    for _ in range(120):
        make_example(project)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    meter = html[html.index('id="readiness"') : html.index("</ul>", html.index('id="readiness"'))]
    assert "Enough to tune a narrow task" in meter
    assert "of the marks 10, 50, 100 and 500 examples" in meter
    assert "1,000" not in meter and ">1k<" not in meter
    assert "Distillation trains on 100 or more of the strong model" in meter
    assert "<strong>Google</strong>, Gemini Enterprise Agent Platform tuning" in meter
    assert "<strong>OpenAI</strong>, self-serve fine-tuning: 10 (closing)" in meter
    assert "Cohere" not in meter  # closed rows take no job, so they ask for nothing


def test_the_export_page_quotes_the_vendor_rows(client, alice, project):
    make_example(project)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/export/").content.decode()
    openai = html[
        html.index('id="export-openai-chat"') : html.index(
            "</tr>", html.index('id="export-openai-chat"')
        )
    ]
    assert '<span class="badge text-bg-warning">closing</span>' in openai
    assert "minimum examples: 10; no new jobs after 2027-01-06" in openai
    bedrock = html[
        html.index('id="export-bedrock-conversation"') : html.index(
            "</tr>", html.index('id="export-bedrock-conversation"')
        )
    ]
    assert "<strong>Amazon</strong>, Bedrock customization" in bedrock
    assert "refuses fewer than 10" not in html and "recommends at least 100 samples" not in html
