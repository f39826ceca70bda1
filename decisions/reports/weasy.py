"""The only module that imports WeasyPrint: PDF renders load it, nothing else does.

WeasyPrint needs the Pango library at import time. Keeping the import here, loaded when a
render runs, lets every page but the PDF work on a machine without Pango.

The URL fetcher serves our own static files from disk and refuses everything else (http,
https, file, data, and so redirects too): a report that holds hostile user text can make the
renderer fetch nothing.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The origin the report's relative URLs resolve against: no server answers there, so only
# our fetcher below ever serves it.
PDF_BASE_URL = "https://report.invalid/"


class FetchRefused(ValueError):
    pass


def static_file(url: str) -> Path | None:
    """The file on disk behind one of our static URLs under PDF_BASE_URL, else None."""
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
    if found:
        return Path(found)
    # With STATIC_MANIFEST the page names hashed copies (report-print.3f2a1c.css), which exist
    # only among the collected files.
    collected = Path(settings.STATIC_ROOT, relative)
    return collected if collected.is_file() else None


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves `PDF_BASE_URL + STATIC_URL + path` from our static files; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"the PDF renderer fetches only our static files, not {url!r}")
        self.served.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


def write_pdf(html: str, fetcher: StaticFilesOnlyFetcher | None = None) -> bytes:
    return HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher or StaticFilesOnlyFetcher()
    ).write_pdf()
