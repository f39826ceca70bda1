from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from decisions.accounts.access import Need
from decisions.accounts.ratelimit import over_limit
from decisions.evidence.models import TestSet
from decisions.lib.htmx import HtmxHttpRequest
from decisions.lib.tokens import hash_token
from decisions.records.access import get_decision
from decisions.records.staleness import staleness
from decisions.records.steps import step_rows
from decisions.reports.context import report_context
from decisions.reports.forms import ShareLinkForm
from decisions.reports.models import ReportScope, ShareLink
from decisions.reports.pdf import missing_pdf_library
from decisions.reports.records_export import decision_json, decision_madr
from decisions.reports.review_bar import review_context
from decisions.reports.tasks import pdf_request, pdf_retry

# Every request to a share link, whatever its headers, counts here: a "being prepared" page
# checking every PDF_POLL_SECONDS (20 a minute) fits, with the page and the download beside it.
SHARE_REQUESTS_PER_MINUTE = 30
PDF_POLL_SECONDS = 3


def pdf_response(
    request,
    decision,
    *,
    scope: ReportScope,
    report_url: str,
    retry_url: str = "",
    shared: bool = False,
    on_download=None,
) -> HttpResponse:
    """The finished PDF, or a page that says where it stands; never a render in the request.

    An htmx request is the "being prepared" page checking again: it gets the status panel.
    `on_download` is called when the file itself is served.
    """
    missing = missing_pdf_library()
    if missing:
        return _pdf_status_page(
            request, decision, "unavailable", report_url, error=missing, shared=shared
        )
    pdf = pdf_request(decision=decision, scope=scope)
    if pdf.is_ready and not request.htmx:
        name = f"{slugify(decision.project.name)[:60] or 'decision'}-revision-{decision.revision}"
        if scope != ReportScope.EXAMPLES:
            name += f"-{scope.replace('_', '-')}"
        response = HttpResponse(bytes(pdf.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        if on_download:
            on_download()
        return response
    return _pdf_status_page(
        request,
        decision,
        pdf.status,
        report_url,
        error=pdf.error,
        retry_url=retry_url,
        shared=shared,
    )


PDF_STATUS_CODES = {"pending": 202, "ready": 200, "failed": 500, "unavailable": 503}


def _pdf_status_page(request, decision, state, report_url, *, error, retry_url="", shared):
    context = {
        "decision": decision,
        "project": decision.project,
        "state": state,
        "error": error,
        # With its query: the page checks again for the same scope.
        "pdf_url": request.get_full_path(),
        "report_url": report_url,
        "retry_url": retry_url,
        "poll_seconds": PDF_POLL_SECONDS,
        "shared": shared,
    }
    template = "reports/pdf_status.html#pdf-status" if request.htmx else "reports/pdf_status.html"
    # A poll that finds the PDF ready answers 200 so htmx swaps in the download button.
    status = 200 if request.htmx else PDF_STATUS_CODES[state]
    return render(request, template, context, status=status)


@login_required
@require_GET
def report(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.READ)
    return render_report(request, decision, membership)


@login_required
@require_GET
def report_pdf(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.READ)
    scope = requested_scope(request)
    if scope is None:
        return unknown_scope(request)
    kwargs = {"project_id": project_id, "revision": revision}
    retry_url = with_scope(reverse("reports:pdf_retry", kwargs=kwargs), scope)
    return pdf_response(
        request,
        decision,
        scope=scope,
        report_url=reverse("reports:report", kwargs=kwargs),
        retry_url=retry_url if membership.can_edit else "",
    )


@login_required
@require_POST
def report_pdf_retry(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, _ = get_decision(request.user, project_id, revision, Need.EDIT)
    scope = requested_scope(request)
    if scope is None:
        return unknown_scope(request)
    pdf_retry(pdf=pdf_request(decision=decision, scope=scope))
    pdf_url = reverse("reports:pdf", kwargs={"project_id": project_id, "revision": revision})
    return redirect(with_scope(pdf_url, scope))


def requested_scope(request) -> ReportScope | None:
    """The PDF's scope from `?scope=`: everything when not given, None when unknown."""
    value = request.GET.get("scope", ReportScope.EXAMPLES)
    return ReportScope(value) if value in ReportScope.values else None


def unknown_scope(request) -> HttpResponse:
    choices = ", ".join(ReportScope.values)
    return HttpResponse(
        f"Unknown PDF scope “{request.GET['scope']}”: choose one of {choices}.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def with_scope(url: str, scope: str) -> str:
    """The URL asking for `scope`; the full report with examples is the plain URL."""
    return url if scope == ReportScope.EXAMPLES else f"{url}?scope={scope}"


def diagram_response(decision) -> HttpResponse:
    """The saved flowchart alone, as SVG, for a browser tab of its own at full size."""
    response = HttpResponse(decision.diagram_svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def report_diagram(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, _ = get_decision(request.user, project_id, revision, Need.READ)
    return diagram_response(decision)


def render_report(
    request, decision, membership, *, form=None, new_link=None, status=200, share_action=False
):
    """The report page; after a share action by htmx, only the share panel.

    The fragment is chosen by the action, never by the request alone: a viewer's htmx GET of
    the report must not get the editors' share panel.
    """
    context = report_context(decision)
    context.update(review_context(decision, membership, request.user))
    # Only the latest revision can be re-run; older ones are history.
    context["staleness"] = staleness(decision) if context["superseded_by"] is None else None
    context["steps"] = [
        {**step, "thread": context["threads"].get(step["node"], [])} for step in context["steps"]
    ]
    context.update(
        {
            "membership": membership,
            "tracked_steps": step_rows(
                decision, membership, is_latest=context["superseded_by"] is None
            ),
            "pdf_url": reverse(
                "reports:pdf",
                kwargs={"project_id": decision.project_id, "revision": decision.revision},
            ),
            "diagram_url": reverse(
                "reports:diagram",
                kwargs={"project_id": decision.project_id, "revision": decision.revision},
            ),
            "experiment_url": experiment_url(decision, context["summary"]["rules"]),
            "pdf_scopes": list(ReportScope),
            "share_form": form or ShareLinkForm(),
            "share_links": decision.share_links.select_related("created_by")
            if membership.can_edit
            else [],
            "new_link": new_link,
        }
    )
    fragment = share_action and request.htmx and membership.can_edit
    template = "reports/report.html#share-panel" if fragment else "reports/report.html"
    return render(request, template, context, status=status)


def experiment_url(decision, rules: dict | None) -> str:
    """Where the promptfoo configuration of the report's experiment is made: the project's
    experiment export, when the experiment runs over test cases and the project has a test
    set to run it on. Only the signed-in report gets it (every member may export); a share
    link carries the report alone."""
    if not rules or not rules.get("runs_on_cases"):
        return ""
    if not TestSet.objects.filter(project_id=decision.project_id).exists():
        return ""
    export = reverse("projects:export", kwargs={"project_id": decision.project_id})
    return f"{export}#experiment"


@login_required
@require_POST
def share_create(request: HtmxHttpRequest, project_id: int, revision: int) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.EDIT)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return render_report(
            request, decision, membership, form=form, status=422, share_action=True
        )
    link, token = ShareLink.create(
        decision=decision,
        label=form.cleaned_data["label"],
        expiry=form.cleaned_data["expiry"],
        scope=form.cleaned_data["scope"],
        user=request.user,
    )
    # Rendered now, as a decision's full PDF is when it is saved: the stakeholder's first
    # download finds it ready.
    pdf_request(decision=decision, scope=ReportScope(link.scope))
    # The token is shown in this one response and never again: only its hash is stored.
    new_link = request.build_absolute_uri(reverse("reports:shared", kwargs={"token": token}))
    return render_report(
        request, decision, membership, new_link=new_link, status=201, share_action=True
    )


@login_required
@require_POST
def share_revoke(
    request: HtmxHttpRequest, project_id: int, revision: int, link_id: int
) -> HttpResponse:
    decision, membership = get_decision(request.user, project_id, revision, Need.EDIT)
    link = get_object_or_404(decision.share_links, pk=link_id)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return render_report(request, decision, membership, share_action=True)


# Shared pages: no login, one revision only, and nothing that tells a stranger whether a
# token ever existed: unknown, expired and revoked tokens get the same 404.

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def shared_view(view):
    @functools.wraps(view)
    def wrapper(request, token: str):
        # One bucket for every request: a header anyone can send buys no extra requests.
        if over_limit(request, scope="share", limit=SHARE_REQUESTS_PER_MINUTE, window_seconds=60):
            response = HttpResponse(
                "Too many requests for shared reports from your address; wait a minute.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
        else:
            try:
                response = view(request, _usable_link(token))
            except Http404:
                # Rendered without the request: no CSRF token or cookie can tell two 404s apart.
                response = HttpResponse(render_to_string("reports/shared_404.html"), status=404)
        for header, value in SHARE_HEADERS.items():
            response[header] = value
        return response

    return require_GET(wrapper)


def _usable_link(token: str) -> ShareLink:
    link = (
        ShareLink.objects.usable()
        .select_related("decision__project", "decision__created_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise Http404
    return link


# A view is counted when the link serves what it carries (the page, the flowchart, the PDF
# file), never from a request header: the "being prepared" page's checks serve none of it.


@shared_view
def shared_report(request, link: ShareLink) -> HttpResponse:
    link.record_view()
    context = report_context(link.decision, scope=ReportScope(link.scope))
    context["pdf_url"] = request.path.rstrip("/") + "/report.pdf"
    context["diagram_url"] = request.path.rstrip("/") + "/diagram.svg"
    context["shared"] = True
    return render(request, "reports/shared.html", context)


@shared_view
def shared_diagram(request, link: ShareLink) -> HttpResponse:
    # A copy serves only what its page shows: a summary carries no flowchart.
    if not ReportScope(link.scope).has_details:
        return HttpResponse(
            "This shared copy carries the summary only: the flowchart is not part of it.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    link.record_view()
    return diagram_response(link.decision)


@shared_view
def shared_pdf(request, link: ShareLink) -> HttpResponse:
    report_url = request.path.removesuffix("report.pdf")
    return pdf_response(
        request,
        link.decision,
        scope=ReportScope(link.scope),
        report_url=report_url,
        shared=True,
        on_download=link.record_view,
    )


@login_required
@require_GET
def decision_export(
    request: HtmxHttpRequest, project_id: int, revision: int, file_format: str
) -> HttpResponse:
    """The revision as JSON or as a MADR Markdown record (log4brains reads its status and
    deciders), to keep beside the code."""
    decision, _ = get_decision(request.user, project_id, revision, Need.READ)
    url = request.build_absolute_uri(
        reverse("reports:report", kwargs={"project_id": project_id, "revision": revision})
    )
    if file_format == "json":
        body, content_type = decision_json(decision, url=url), "application/json"
    else:
        body, content_type = decision_madr(decision, url=url), "text/markdown; charset=utf-8"
    name = f"{slugify(decision.project.name) or 'project'}-decision-{decision.revision}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
