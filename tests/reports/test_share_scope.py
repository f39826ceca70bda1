"""What a share link or a PDF carries: summary only, full report, or full report with examples,
with or without their text. What a copy leaves out must not be anywhere in it."""

from __future__ import annotations

import pytest
from django.utils.html import strip_tags

from decisions.reports.models import ShareLink
from tests.conftest import make_example
from tests.reports.conftest import render_pending_pdfs, save_decision
from tests.reports.test_pdf import pdf_text, squash
from tests.reports.test_share import create_link, token_from

SECRET_INPUT = "Customer 4411 asks about order 998877"
SECRET_OUTPUT = "Your refund of 412 euros is approved"
SECRET_NOTE = "Legal said this is sensitive"


@pytest.fixture
def private_decision(project, alice):
    make_example(
        project, title="Refund promised", input_text=SECRET_INPUT, bad_output=SECRET_OUTPUT
    )
    make_example(project, title="Too stiff", expected_output="")
    return save_decision(project, alice, "prompt", notes={"symptom": SECRET_NOTE})


# scope → (parts the copy shows, parts it must not hold)
QUESTION = "What goes wrong most often?"
EXPECTED = {
    "summary": (["This copy carries: summary only", "2 failed examples, 1 with an expected output"],
                [QUESTION, SECRET_NOTE, "Refund promised", SECRET_INPUT, SECRET_OUTPUT]),
    "full": (["This copy carries: full report, without examples", QUESTION, SECRET_NOTE,
              "The examples themselves are left out of this copy"],
             ["Refund promised", SECRET_INPUT, SECRET_OUTPUT]),
    "examples_no_text": (["Refund promised", "Too stiff", QUESTION,
                          "The examples' inputs and outputs are left out; their counts stay"],
                         [SECRET_INPUT, SECRET_OUTPUT]),
    "examples": (["Refund promised", SECRET_INPUT, SECRET_OUTPUT], ["This copy carries"]),
}  # fmt: skip


def shared_token(client, alice, decision, scope: str) -> str:
    client.force_login(alice)
    token = token_from(create_link(client, decision, scope=scope))
    client.logout()
    return token


@pytest.mark.parametrize("scope", EXPECTED)
def test_shared_page_carries_only_its_scope(client, alice, private_decision, scope):
    token = shared_token(client, alice, private_decision, scope)
    html = client.get(f"/s/{token}/").content.decode()
    text = squash(strip_tags(html))
    shown, left_out = EXPECTED[scope]
    assert "Prompting problem: engineer the prompt" in text  # every copy has the verdict
    for part in shown:
        assert part in text, part
    for part in left_out:
        assert part not in html, part


@pytest.mark.parametrize("scope", EXPECTED)
def test_shared_pdf_carries_only_its_scope(client, alice, private_decision, scope):
    token = shared_token(client, alice, private_decision, scope)
    assert client.get(f"/s/{token}/report.pdf").status_code == 202
    render_pending_pdfs()
    response = client.get(f"/s/{token}/report.pdf")
    assert response.status_code == 200
    _, text = pdf_text(response.content)
    flat = squash(text)
    shown, left_out = EXPECTED[scope]
    assert "Prompting problem: engineer the prompt" in flat
    for part in shown:
        assert squash(part).replace("'", "’") in flat.replace("'", "’"), part
    for part in left_out:
        assert squash(part) not in flat, part


def test_member_chooses_what_the_pdf_carries(client, alice, private_decision):
    client.force_login(alice)
    url = f"/projects/{private_decision.project_id}/decisions/1/report.pdf"
    pending = client.get(f"{url}?scope=summary")
    assert pending.status_code == 202
    # The "being prepared" page checks again for the same scope.
    assert f'hx-get="{url}?scope=summary"' in pending.content.decode()
    render_pending_pdfs()
    summary = client.get(f"{url}?scope=summary")
    assert 'filename="email-drafter-revision-1-summary.pdf"' in summary["Content-Disposition"]
    assert SECRET_INPUT not in squash(pdf_text(summary.content)[1])
    full = client.get(url)  # no choice: everything, as before
    assert 'filename="email-drafter-revision-1.pdf"' in full["Content-Disposition"]
    assert SECRET_INPUT in squash(pdf_text(full.content)[1])


def test_unknown_pdf_scope_is_refused_with_the_choices(client, alice, private_decision):
    client.force_login(alice)
    url = f"/projects/{private_decision.project_id}/decisions/1/report.pdf?scope=everything"
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown PDF scope “everything”: choose one of summary, full, examples_no_text, examples."
    )


def test_the_scope_is_stored_and_shown_on_the_links_row(client, alice, private_decision):
    client.force_login(alice)
    create_link(client, private_decision, label="Board", scope="summary")
    assert ShareLink.objects.get().scope == "summary"
    html = client.get(f"/projects/{private_decision.project_id}/decisions/1/").content.decode()
    assert '<td class="small link-scope">Summary only</td>' in html


def test_a_new_link_offers_no_example_text_unless_chosen(client, alice, private_decision):
    client.force_login(alice)
    html = client.get(f"/projects/{private_decision.project_id}/decisions/1/").content.decode()
    assert 'name="scope" value="full"  id="id_scope_1" required checked>' in html


def test_a_link_without_a_scope_is_refused(client, alice, private_decision):
    client.force_login(alice)
    url = f"/projects/{private_decision.project_id}/decisions/1/share/"
    response = client.post(url, {"label": "Board", "expiry": "7"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_new_links_pdf_is_prepared_at_once(client, alice, private_decision):
    from decisions.reports.models import ReportPdf

    client.force_login(alice)
    create_link(client, private_decision, scope="summary")
    assert list(ReportPdf.objects.order_by("pk").values_list("scope", "status")) == [
        ("examples", "pending"),  # asked for when the decision was saved
        ("summary", "pending"),
    ]


def test_a_retry_with_an_unknown_scope_is_refused(client, alice, private_decision):
    client.force_login(alice)
    url = f"/projects/{private_decision.project_id}/decisions/1/report.pdf/retry/?scope=all"
    response = client.post(url)
    assert response.status_code == 400
    assert response.content.decode().startswith("Unknown PDF scope “all”")


def test_a_summary_link_serves_no_flowchart(client, alice, private_decision):
    token = shared_token(client, alice, private_decision, "summary")
    response = client.get(f"/s/{token}/diagram.svg")
    assert response.status_code == 404
    assert response.content.decode() == (
        "This shared copy carries the summary only: the flowchart is not part of it."
    )
    assert ShareLink.objects.get().view_count == 0  # nothing was served


def test_a_full_link_serves_the_flowchart_its_page_shows(client, alice, private_decision):
    token = shared_token(client, alice, private_decision, "full")
    response = client.get(f"/s/{token}/diagram.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.decode() == private_decision.diagram_svg
