"""Background work of the reports stage: rendering a decision's PDF.

`manage.py db_worker` runs these; a web request only asks for a render (`pdf_request`) and
answers with the finished file or a "being prepared" page.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from decisions.records.models import Decision
from decisions.reports.context import report_context
from decisions.reports.models import PdfStatus, ReportPdf, ReportScope
from decisions.reports.pdf import missing_pdf_library, pdf_key, render_pdf

logger = logging.getLogger(__name__)

# A pending render older than this lost its worker (a crash, a restart): ask again.
RENDER_OVERDUE = timedelta(minutes=10)


def pdf_request(*, decision: Decision, scope: str = ReportScope.EXAMPLES) -> ReportPdf:
    """The decision's PDF for its current content and scope; a new or overdue one is queued."""
    pdf, created = ReportPdf.objects.for_key(decision, pdf_key(decision, scope), scope)
    if created or pdf.is_overdue(RENDER_OVERDUE):
        _queue(pdf)
    return pdf


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
    started = time.monotonic()
    try:
        if missing:
            raise RuntimeError(missing)
        with time_budget(settings.PDF_RENDER_SECONDS):
            content = render_pdf(
                report_context(pdf.decision, for_pdf=True, scope=ReportScope(pdf.scope))
            )
    except Exception as error:
        logger.exception("PDF render %s of decision %s failed", pdf.pk, pdf.decision_id)
        _finish(pdf, status=PdfStatus.FAILED, error=str(error) or type(error).__name__)
        return PdfStatus.FAILED
    _finish(pdf, status=PdfStatus.READY, content=content, render_seconds=time.monotonic() - started)
    return PdfStatus.READY


class RenderOverBudget(Exception):
    pass


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Stops the work inside after `seconds` with RenderOverBudget.

    A timer signal interrupts WeasyPrint's Python code wherever it is. Signals reach only the
    main thread, which is where `manage.py db_worker` runs tasks; elsewhere (a test's live
    server thread) the work runs without a budget.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def overrun(signum, frame):
        raise RenderOverBudget(
            f"Drawing the PDF took longer than {seconds:g} seconds, so it was stopped. "
            "Very long example texts are the usual cause."
        )

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _finish(pdf: ReportPdf, **fields) -> None:
    ReportPdf.objects.filter(pk=pdf.pk, status=PdfStatus.PENDING).update(
        finished_at=timezone.now(), **fields
    )
