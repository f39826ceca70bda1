"""PDFs that failed for users and auditors: long user texts, a time budget that a threaded
worker skipped, and failure pages that named an exception class instead of a cause."""

from __future__ import annotations

import contextlib
import threading
import time

from decisions.reports import tasks as tasks_module
from decisions.reports.budget import RenderOverBudget, time_budget
from decisions.reports.models import ReportPdf
from tests.conftest import make_example
from tests.reports.conftest import render_pending_pdfs, save_decision
from tests.reports.test_pdf import pdf_text, squash
from tests.reports.test_share import create_link, token_from

WORDS = "the assistant promised a refund window that the policy does not allow "


def long_text(characters: int) -> str:
    return (WORDS * (characters // len(WORDS) + 1))[: characters - 3] + "END"


def in_a_thread(work) -> dict:
    """Runs `work` as `db_worker --reload` runs a task: off the main thread."""
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            work()
            outcome["result"] = "finished"
        except RenderOverBudget:
            outcome["result"] = "stopped"
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return outcome


def busy(seconds: float) -> None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        time.sleep(0.01)


def test_the_time_budget_holds_off_the_main_thread():
    def work():
        with time_budget(0.3):
            busy(4)

    outcome = in_a_thread(work)
    assert outcome["result"] == "stopped"
    assert outcome["seconds"] < 1.5


def test_the_time_budget_stops_work_that_swallows_its_first_stop():
    def work():
        with time_budget(0.3):
            with contextlib.suppress(BaseException):  # as WeasyPrint does around an SVG
                busy(4)
            busy(4)

    outcome = in_a_thread(work)
    assert outcome["result"] == "stopped"
    assert outcome["seconds"] < 2


def test_work_done_within_the_budget_is_never_stopped_later():
    def work():
        with time_budget(0.3):
            busy(0.1)
        busy(1)  # past the deadline, outside the budget

    assert in_a_thread(work)["result"] == "finished"


def test_a_5000_character_description_is_clipped_and_renders_within_the_budget(
    client, settings, alice, project
):
    settings.PDF_RENDER_SECONDS = 20  # it took 260 s
    project.description = long_text(5_000)
    project.save()
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    create_link(client, decision, scope="summary")
    render_pending_pdfs()
    pdfs = ReportPdf.objects.filter(decision=decision)
    assert sorted(pdfs.values_list("scope", "status")) == [
        ("examples", "ready"),
        ("summary", "ready"),
    ]
    for pdf in pdfs:
        reader, text = pdf_text(bytes(pdf.content))
        assert "Clipped at 400 of 5,000 characters: the full text is in the app." in squash(text)
        assert "END" not in text
        if pdf.scope == "summary":
            assert len(reader.pages) == 1  # the summary still fits its page
    page = client.get(f"/projects/{project.pk}/decisions/1/").content.decode()
    assert project.description in page and "Clipped at" not in page


def test_a_description_at_the_limit_is_whole_in_the_pdf(alice, project):
    project.description = long_text(400)
    project.save()
    decision = save_decision(project, alice, "prompt")
    render_pending_pdfs()
    text = squash(pdf_text(bytes(ReportPdf.objects.get(decision=decision).content))[1])
    assert text.count("END") == 1 and "Clipped at" not in text


def test_a_long_answer_note_is_clipped_in_the_pdf(alice, project):
    decision = save_decision(project, alice, "prompt", notes={"symptom": long_text(2_000)})
    render_pending_pdfs()
    text = squash(pdf_text(bytes(ReportPdf.objects.get(decision=decision).content))[1])
    assert "Clipped at 1,000 of 2,000 characters: the full text is in the app." in text
    assert "END" not in text


def test_a_failure_page_names_the_cause_in_words_never_the_exception(
    client, alice, project, monkeypatch
):
    def weasyprint_gives_up(*args, **kwargs):
        raise AssertionError  # WeasyPrint's `assert not page_is_empty`, with no message

    monkeypatch.setattr(tasks_module, "render_pdf", weasyprint_gives_up)
    make_example(project)
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    token = token_from(create_link(client, decision, scope="examples_no_text"))
    client.logout()
    render_pending_pdfs()
    response = client.get(f"/s/{token}/report.pdf")
    html = response.content.decode()
    assert "The PDF renderer could not lay this report out on pages." in html
    assert "AssertionError" not in html and "Error" not in html.split("<body")[1]


def test_a_render_over_budget_says_how_long_and_how_big_not_why_it_guesses(
    settings, alice, project, monkeypatch
):
    settings.PDF_RENDER_SECONDS = 0.3
    monkeypatch.setattr(tasks_module, "render_pdf", lambda *args, **kwargs: busy(4))
    make_example(project)
    make_example(project, title="Second")
    decision = save_decision(project, alice, "prompt")
    render_pending_pdfs()
    assert ReportPdf.objects.get(decision=decision).error == (
        "Drawing the PDF took longer than 0.3 seconds, so it was stopped. It holds 2 examples. "
        "A copy that carries less (the summary, or the report without examples) is quicker."
    )
