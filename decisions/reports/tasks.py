"""Background work of the reports stage: rendering a decision's PDF.

`manage.py db_worker` runs these; a web request only asks for a render (`pdf_request`) and
answers with the finished file or a "being prepared" page.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from decisions.records.models import Decision
from decisions.reports.budget import RenderOverBudget, time_budget
from decisions.reports.context import report_context
from decisions.reports.models import PdfStatus, ReportPdf, ReportScope
from decisions.reports.pdf import missing_pdf_library, pdf_key, render_pdf

logger = logging.getLogger(__name__)

# A pending render older than this lost its worker (a crash, a restart): ask again.
RENDER_OVERDUE = timedelta(minutes=10)


def pdf_request(*, decision: Decision, scope: str = ReportScope.EXAMPLES) -> ReportPdf:
    """The decision's PDF for its current content and scope; a new or overdue one is queued.

    The "being prepared" page asks every few seconds, and it finds its row: that is a read.
    Only a missing row opens a transaction, which on SQLite (IMMEDIATE) takes the database's
    write lock, for every writer, until it ends."""
    key = pdf_key(decision, scope)
    pdf = ReportPdf.objects.filter(decision=decision, key=key).first()
    if pdf is None:
        pdf, created = ReportPdf.objects.for_key(decision, key, scope)
        if created:
            pdf_prune(decision)  # a new key: the one it replaces can no longer be asked for
            _queue(pdf)
            return pdf
    if pdf.is_overdue(RENDER_OVERDUE):
        _queue(pdf)
    return pdf


def pdf_prune(decision: Decision) -> int:
    """Deletes the decision's PDFs that no request can ask for again: their key names content,
    standing or templates that are no longer the decision's (a review move, a newer revision,
    a new stylesheet). Returns how many went."""
    keys = [pdf_key(decision, scope) for scope in ReportScope.values]
    deleted, _ = decision.pdfs.exclude(key__in=keys).delete()
    return deleted


def pdf_retry(*, pdf: ReportPdf) -> None:
    """Ask once more for a render that failed."""
    if pdf.is_failed:
        _queue(pdf)


def _queue(pdf: ReportPdf) -> None:
    now = timezone.now()
    ReportPdf.objects.filter(pk=pdf.pk).update(status=PdfStatus.PENDING, error="", requested_at=now)
    pdf.status, pdf.error, pdf.requested_at = PdfStatus.PENDING, "", now
    # After the commit: the worker must find the row (and the decision) it is asked about.
    pdf_id = pdf.pk
    transaction.on_commit(lambda: render_report_pdf.enqueue(pdf_id))


@task()
def render_report_pdf(pdf_id: int) -> str:
    """Render one PDF and store it, or record why it failed; returns the final status."""
    pdf = ReportPdf.objects.select_related("decision__project", "decision__created_by").get(
        pk=pdf_id
    )
    if pdf.status != PdfStatus.PENDING:
        return pdf.status  # a second worker or a duplicate request got there first
    missing = missing_pdf_library()
    if missing:
        _finish(pdf, status=PdfStatus.FAILED, error=missing)
        return PdfStatus.FAILED
    started = time.monotonic()
    context = report_context(pdf.decision, for_pdf=True, scope=ReportScope(pdf.scope))
    try:
        with time_budget(settings.PDF_RENDER_SECONDS):
            content = render_pdf(context)
    except RenderOverBudget:
        logger.warning("PDF render %s of decision %s ran over its time", pdf.pk, pdf.decision_id)
        _finish(pdf, status=PdfStatus.FAILED, error=over_budget_message(context))
        return PdfStatus.FAILED
    except Exception:
        # The exception (an AssertionError deep in WeasyPrint, say) is for the log: the
        # stakeholder reading the failure page is told what happened in words.
        logger.exception("PDF render %s of decision %s failed", pdf.pk, pdf.decision_id)
        _finish(pdf, status=PdfStatus.FAILED, error=RENDER_FAILED)
        return PdfStatus.FAILED
    _finish(pdf, status=PdfStatus.READY, content=content, render_seconds=time.monotonic() - started)
    return PdfStatus.READY


RENDER_FAILED = (
    "The PDF renderer could not lay this report out on pages. The team can find the details "
    "in the server's log."
)


def over_budget_message(context: dict) -> str:
    seconds = settings.PDF_RENDER_SECONDS
    examples = len(context["examples"])
    size = f" It holds {examples:,} example{'s' if examples != 1 else ''}." if examples else ""
    return (
        f"Drawing the PDF took longer than {seconds:g} seconds, so it was stopped.{size} "
        "A copy that carries less (the summary, or the report without examples) is quicker."
    )


def _finish(pdf: ReportPdf, **fields) -> None:
    ReportPdf.objects.filter(pk=pdf.pk, status=PdfStatus.PENDING).update(
        finished_at=timezone.now(), **fields
    )
