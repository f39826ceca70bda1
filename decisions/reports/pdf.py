"""The report as an A4 PDF: which file a decision needs, and how it is drawn.

Renders run in the task worker (reports/tasks.py), never in a web request. WeasyPrint itself
is imported only by reports/weasy.py, when a render runs.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string

from decisions.records.models import EventKind

# Relative URLs in the PDF template resolve against this origin; it exists nowhere.
PDF_TEMPLATES = ("reports/pdf.html", "reports/_body.html")
PDF_STYLESHEET = "css/report-print.css"
PANGO_HINT = (
    "WeasyPrint needs the Pango library: on Debian or Ubuntu, "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
)


@cache
def template_version() -> str:
    """A hash of the PDF templates and stylesheet: a change to either renders anew."""
    digest = hashlib.sha256()
    for name in PDF_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    digest.update(Path(finders.find(PDF_STYLESHEET)).read_bytes())
    return digest.hexdigest()[:16]


def pdf_key(decision, scope: str) -> str:
    """Names one PDF: the decision's content (its snapshot and all), how much of it the PDF
    carries, what it says of its own standing (superseded or latest, which changes after it is
    saved) and the templates."""
    review = getattr(decision, "review", None)
    # Status moves only: an acceptance short of the number, a dismissal or a reminder leaves
    # what the PDF shows as it was, so it keeps its file.
    moves = decision.review_events.filter(kind=EventKind.MOVE)
    last_event = moves.values_list("pk", flat=True).last()
    standing = (
        f"superseded-by-{decision.superseded_by()}:"
        f"{review.status if review else 'draft'}:{last_event}"
    )
    parts = f"{decision.content_hash()}:{scope}:{standing}:{template_version()}"
    return hashlib.sha256(parts.encode()).hexdigest()


def missing_pdf_library() -> str | None:
    """Why PDFs cannot be made on this machine, or None when they can."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"{PANGO_HINT} ({error})."
    return None


def render_pdf(context: dict, *, fetcher=None) -> bytes:
    from decisions.reports.weasy import write_pdf

    return write_pdf(render_to_string("reports/pdf.html", context), fetcher)
