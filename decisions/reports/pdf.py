"""The report as an A4 PDF, rendered by WeasyPrint and cached per revision.

The URL fetcher serves our own static files from disk and refuses everything else (http,
https, file, data, and so redirects too): a report that holds hostile user text can make
the renderer fetch nothing.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as shared_cache
from django.template.loader import get_template, render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the PDF template resolve against this origin; it exists nowhere.
PDF_BASE_URL = "https://report.invalid/"
PDF_TEMPLATES = ("reports/pdf.html", "reports/_body.html")
PDF_STYLESHEET = "css/report-print.css"


class FetchRefused(ValueError):
    pass


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves `PDF_BASE_URL + STATIC_URL + path` from our static files; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.static_file(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"the PDF renderer fetches only our static files, not {url!r}")
        self.served.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})

    @staticmethod
    def static_file(url: str) -> Path | None:
        parts = urlsplit(url)
        origin = urlsplit(PDF_BASE_URL)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            return None
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            return None
        relative = posixpath.normpath(path[len(settings.STATIC_URL) :])
        if relative.startswith(("..", "/")):
            return None
        found = finders.find(relative)
        return Path(found) if found else None


@cache
def template_version() -> str:
    """A hash of the PDF templates and stylesheet: a change to either renders anew."""
    digest = hashlib.sha256()
    for name in PDF_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    digest.update(Path(finders.find(PDF_STYLESHEET)).read_bytes())
    return digest.hexdigest()[:16]


def render_pdf(context: dict, *, fetcher: StaticFilesOnlyFetcher | None = None) -> bytes:
    html = render_to_string("reports/pdf.html", context)
    return HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher or StaticFilesOnlyFetcher()
    ).write_pdf()


def cached_pdf(decision, build_context) -> bytes:
    """The decision's PDF; a revision never changes, so it is rendered once per template."""
    key = f"report-pdf:{decision.pk}:{template_version()}"
    pdf = shared_cache.get(key)
    if pdf is None:
        pdf = render_pdf(build_context())
        shared_cache.set(key, pdf, timeout=None)
    return pdf
