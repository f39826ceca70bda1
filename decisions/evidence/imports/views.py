"""Importing failed examples: upload, preview with the mapping, then the import's progress."""

from __future__ import annotations

from itertools import islice

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from decisions.accounts.access import Need
from decisions.evidence.access import get_import
from decisions.evidence.imports import parse as imports
from decisions.evidence.imports import sources
from decisions.evidence.imports.forms import ImportMappingForm, ImportUploadForm, mapping_initial
from decisions.evidence.imports.run import (
    import_choose,
    import_create,
    import_settings,
    imports_expire_leases,
    parsed_file,
    preview_summary,
)
from decisions.evidence.imports.tasks import import_start
from decisions.evidence.imports.upload import CappedUploadHandler
from decisions.evidence.models import ExampleImport, ImportStatus
from decisions.lib.htmx import HtmxHttpRequest
from decisions.projects.access import get_project
from decisions.projects.vocabulary import current_vocabulary

PREVIEW_ROWS = 10


# The CSRF check reads the request body, and upload handlers can only be set before it is
# read: exempt here, checked by `csrf_protect` on `_import_upload` once the cap is in place.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HtmxHttpRequest, project_id: int) -> HttpResponse:
    capped = CappedUploadHandler(request, max_bytes=settings.IMPORT_MAX_BYTES)
    request.upload_handlers = [capped]
    return _import_upload(request, project_id, capped)


@csrf_protect
def _import_upload(
    request: HtmxHttpRequest, project_id: int, capped: CappedUploadHandler
) -> HttpResponse:
    project, _ = get_project(request.user, project_id, Need.EDIT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    problems: list[imports.Problem] = []
    if capped.refused:
        form = ImportUploadForm()
        problems = [imports.too_large(settings.IMPORT_MAX_BYTES, capped.upload_bytes())]
    elif request.method == "POST" and form.is_valid():
        try:
            example_import = import_create(
                project=project, user=request.user, upload=form.cleaned_data["file"]
            )
        except imports.ImportRefused as refusal:
            problems = refusal.problems
        else:
            return redirect("projects:import_detail", project.pk, example_import.pk)
    context = {
        "project": project,
        "form": form,
        "problem_groups": imports.grouped(problems)[: imports.PROBLEMS_SHOWN],
        "shapes": imports.SHAPE_LABELS,
        "limits": import_limits(),
        "recent": project.imports.only(
            "pk", "filename", "status", "imported_count", "row_count", "created_at"
        )[:5],
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "evidence/import_upload.html", context, status=status)


def import_limits() -> dict:
    return {"megabytes": settings.IMPORT_MAX_BYTES / 1_000_000, "rows": settings.IMPORT_MAX_ROWS}


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HtmxHttpRequest, project_id: int, import_id: int) -> HttpResponse:
    """The preview while the mapping is chosen; afterwards the import's progress or result."""
    example_import, _ = get_import(request.user, project_id, import_id, Need.EDIT)
    if example_import.status == ImportStatus.RUNNING and imports_expire_leases(
        ExampleImport.objects.filter(pk=example_import.pk)
    ):
        example_import.refresh_from_db()  # its worker stopped: failed now, so it can be reopened
    if request.method == "POST" and "reopen" in request.POST:
        return _reopen(request, example_import)
    if example_import.status != ImportStatus.PREVIEW:
        template = "evidence/import_status.html"
        if request.htmx:
            template += "#import-status"
        problems = [imports.Problem(**problem) for problem in example_import.problems]
        context = {
            "import": example_import,
            "project": example_import.project,
            "problem_groups": imports.grouped(problems)[: imports.PROBLEMS_SHOWN],
        }
        return render(request, template, context)
    return _preview(request, example_import)


def _preview(request, example_import: ExampleImport) -> HttpResponse:
    parsed = parsed_file(example_import)
    vocabulary = current_vocabulary()
    posted = request.POST if request.method == "POST" else None
    mapping = example_import.mapping
    if posted:
        mapping = {f.name: posted.get(f"map_{f.name}", "") for f in imports.FIELDS}
    unknown = imports.unknown_failure_types(parsed, mapping, vocabulary)
    known, passing = sources.pass_counts(parsed.records())
    form = ImportMappingForm(
        posted,
        initial=mapping_initial(example_import, unknown),
        columns=parsed.columns,
        unknown_types=unknown,
        allow_variables=example_import.shape == "promptfoo"
        or any(c.startswith("__") for c in parsed.columns),
        passing=(known, passing) if known else None,
    )
    if posted and form.is_valid():
        try:
            import_choose(example_import=example_import, **form.chosen())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:import_detail", example_import.project_id, example_import.pk)
    options = import_settings(example_import)
    summary = preview_summary(example_import, parsed, options, first=PREVIEW_ROWS)
    if posted and form.is_valid() and "run" in posted and not summary.problem_count:
        return _run(request, example_import)
    to_import = summary.to_import
    context = {
        "import": example_import,
        "project": example_import.project,
        "form": form,
        "rows": summary.first_rows,
        "records": [record for _, record in islice(parsed.records(), PREVIEW_ROWS)],
        "left_out_passing": passing if options.only_failing else 0,
        "ready_count": summary.rows,
        "problem_groups": imports.grouped(summary.problems)[: imports.PROBLEMS_SHOWN],
        "problem_count": summary.problem_count,
        "rows_with_problems": summary.rows_with_problems,
        "shape_label": imports.SHAPE_LABELS.get(example_import.shape, example_import.shape),
        "type_labels": dict((t.id, t.label) for t in vocabulary.failure_types),
        "to_import": to_import,
        "already_there": summary.rows - to_import,
        # A few cells of it, enough to recognise the row.
        "header_like_data": parsed.columns[:3] if imports.header_looks_like_data(parsed) else [],
    }
    template = "evidence/import_preview.html"
    if request.htmx and posted:
        template += "#preview-results"
    return render(request, template, context, status=422 if "run" in (posted or {}) else 200)


def _run(request, example_import: ExampleImport) -> HttpResponse:
    try:
        finished = import_start(example_import=example_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:import_detail", example_import.project_id, example_import.pk)
    example_import.refresh_from_db()
    project_id = example_import.project_id
    if finished and example_import.status == ImportStatus.DONE:
        messages.success(request, import_done_message(example_import))
        return redirect("projects:detail", project_id)
    return redirect("projects:import_detail", project_id, example_import.pk)


def import_done_message(example_import: ExampleImport) -> str:
    count, skipped = example_import.imported_count, example_import.skipped_count
    message = f"Imported {count:,} example{pluralize(count)} from “{example_import.filename}”."
    if skipped:
        message += f" Skipped {skipped:,} row{pluralize(skipped)} already in this project."
    passing = example_import.left_out_passing
    if passing:
        message += f" Left out {passing:,} passing row{pluralize(passing)}."
    return message


def _reopen(request, example_import: ExampleImport) -> HttpResponse:
    """After a refusal, or after its worker stopped, back to the preview with the same file
    and mapping."""
    reopened = ExampleImport.objects.filter(
        pk=example_import.pk, status=ImportStatus.FAILED
    ).update(
        status=ImportStatus.PREVIEW,
        problems=[],
        rows_checked=0,
        finished_at=None,
        worker_stopped=False,
        lease_expires_at=None,
    )
    if not reopened:
        messages.error(request, "Only a refused import can go back to its preview.")
    return redirect("projects:import_detail", example_import.project_id, example_import.pk)
