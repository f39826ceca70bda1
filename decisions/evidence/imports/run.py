"""An import's life in the database: upload, preview, then every row saved or none.

The file is checked and stored at upload (`import_create`); the preview maps its columns; the
import itself (`import_run`) checks every row first, with progress written as it goes, then
saves all rows in one transaction. Small files run inside the request, large ones in the task
worker (`imports.tasks.run_example_import`), and the page shows a progress bar.

A run holds a lease on its import, renewed with each progress update. A worker that is killed
stops renewing it; once it has run out, `imports_expire_leases` (called by the next run, the
import's page and /healthz) marks the import failed, and it can be run again. A run saves only
while it still holds its lease, so rows are never saved twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from decisions.evidence import services
from decisions.evidence.imports import parse as imports
from decisions.evidence.models import ExampleImport, ImportStatus
from decisions.projects.models import Project
from decisions.projects.vocabulary import current_vocabulary

# Rows checked between two progress updates, and saved per INSERT.
PROGRESS_EVERY = 250


def import_create(*, project: Project, user, upload) -> ExampleImport:
    """Reads and checks an uploaded file; raises ImportRefused before anything is stored."""
    raw = upload.read(settings.IMPORT_MAX_BYTES + 1)
    parsed = imports.read_upload(
        raw,
        upload.name,
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
    )
    shape, mapping = imports.suggest_mapping(parsed.columns, parsed.source)
    return ExampleImport.objects.create(
        project=project,
        created_by=user,
        filename=upload.name[:255],
        file_format=parsed.file_format,
        content=imports.decode_utf8(raw),
        shape=shape,
        row_count=parsed.row_count,
        mapping=mapping,
        default_failure_type=default_failure_type(),
    )


def default_failure_type() -> str:
    return current_vocabulary().failure_types[0].id


def parsed_file(example_import: ExampleImport) -> imports.ParsedFile:
    return imports.parse_text(example_import.content, example_import.file_format)


def import_settings(example_import: ExampleImport) -> imports.ImportSettings:
    return imports.ImportSettings(
        mapping=example_import.mapping,
        type_mapping=example_import.type_mapping,
        default_failure_type=example_import.default_failure_type or default_failure_type(),
        only_failing=example_import.only_failing,
    )


def import_choose(
    *,
    example_import: ExampleImport,
    mapping: Mapping[str, str],
    type_mapping: Mapping[str, str],
    default_type: str,
    skip_existing: bool = True,
    only_failing: bool = True,
) -> None:
    """Keeps the PM's mapping; refuses it when the import is no longer in its preview."""
    if example_import.status != ImportStatus.PREVIEW:
        raise ValidationError("This import has already started; upload the file again to redo it.")
    example_import.mapping = {name: column for name, column in mapping.items() if column}
    example_import.type_mapping = dict(type_mapping)
    example_import.default_failure_type = default_type
    example_import.skip_existing = skip_existing
    example_import.only_failing = only_failing
    ExampleImport.objects.filter(pk=example_import.pk).update(
        mapping=example_import.mapping,
        type_mapping=example_import.type_mapping,
        default_failure_type=default_type,
        skip_existing=skip_existing,
        only_failing=only_failing,
    )


def import_run(*, example_import_id: int) -> str:
    """Checks every row, then saves all of them or none; returns the final status."""
    imports_expire_leases()  # a worker that starts recovers the imports a stopped one left
    attempt = import_claim(example_import_id=example_import_id)
    if attempt is None:
        return ExampleImport.objects.get(pk=example_import_id).status  # a duplicate run
    example_import = ExampleImport.objects.select_related("project").get(pk=example_import_id)
    parsed = parsed_file(example_import)
    options = import_settings(example_import)
    problems = imports.mapping_problems(parsed, options.mapping)
    try:
        rows = [] if problems else _checked_rows(example_import, parsed, options, attempt)
    except LeaseLost:
        return ExampleImport.objects.get(pk=example_import_id).status
    problems = problems or imports.all_problems(rows)
    if problems:
        _finish(
            example_import, attempt, ImportStatus.FAILED, problems=[p.to_dict() for p in problems]
        )
        return ImportStatus.FAILED
    # Rows the file marks as passing, left out by "Only the failing rows".
    left_out = parsed.row_count - len(rows)
    return _save_rows(example_import, attempt, rows, left_out_passing=left_out)


class LeaseLost(Exception):
    """This run's lease ran out and the import was marked failed (and perhaps run again):
    whatever this run has must not be saved."""


def import_claim(*, example_import_id: int) -> int | None:
    """Takes a queued import for this worker with a fresh lease; the run's attempt number,
    or None when another run has it."""
    claimed = ExampleImport.objects.filter(pk=example_import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, attempt=F("attempt") + 1, lease_expires_at=_lease_end()
    )
    if not claimed:
        return None
    return ExampleImport.objects.values_list("attempt", flat=True).get(pk=example_import_id)


def import_heartbeat(*, example_import: ExampleImport, attempt: int, rows_checked: int) -> None:
    """Writes the progress and renews the lease; LeaseLost when this run no longer holds it."""
    renewed = _held(example_import, attempt).update(
        rows_checked=rows_checked, lease_expires_at=_lease_end()
    )
    if not renewed:
        raise LeaseLost


def _lease_end():
    return timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _held(example_import: ExampleImport, attempt: int):
    return ExampleImport.objects.filter(
        pk=example_import.pk, status=ImportStatus.RUNNING, attempt=attempt
    )


WORKER_STOPPED = imports.Problem(
    "Nothing was saved: the worker stopped before the import finished (it was stopped, "
    "restarted or ran out of memory). Go back to the preview and import the file again."
)


def imports_expire_leases(imports_to_check=None) -> int:
    """Marks failed every running import whose worker stopped renewing its lease; the number
    marked. Imports left running before leases existed have none, and are marked too."""
    now = timezone.now()
    if imports_to_check is None:
        imports_to_check = ExampleImport.objects.all()
    running = imports_to_check.filter(status=ImportStatus.RUNNING)
    return running.filter(Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)).update(
        status=ImportStatus.FAILED,
        worker_stopped=True,
        finished_at=now,
        problems=[WORKER_STOPPED.to_dict()],
    )


def _save_rows(
    example_import: ExampleImport, attempt: int, rows: list, left_out_passing: int = 0
) -> str:
    """Saves the rows and marks the import done in one transaction, only while this run
    holds the lease: a run that lost it (marked failed, perhaps run again since) saves
    nothing, so no row is saved twice."""
    with transaction.atomic():
        # The project's row first: two imports into one project skip each other's rows in turn.
        project = Project.objects.select_for_update().get(pk=example_import.project_id)
        new_rows = [row.values for row in rows]
        skipped = 0
        if example_import.skip_existing:
            new_rows = rows_not_in_project(project, new_rows)
            skipped = len(rows) - len(new_rows)
        finished = _finish(
            example_import,
            attempt,
            ImportStatus.DONE,
            imported_count=len(new_rows),
            skipped_count=skipped,
            left_out_passing=left_out_passing,
            content="",
        )
        if not finished:
            return ExampleImport.objects.get(pk=example_import.pk).status
        services.examples_import(
            project=project, rows=new_rows, created_by_id=example_import.created_by_id
        )
    return ImportStatus.DONE


def example_key(values: Mapping) -> bytes:
    """What makes two examples the same for an import: their input and outputs, with line
    endings and surrounding space set aside (a spreadsheet round trip changes those)."""
    texts = (values.get(name) or "" for name in ("input_text", "bad_output", "expected_output"))
    joined = "\x00".join(text.replace("\r\n", "\n").strip() for text in texts)
    return hashlib.sha256(joined.encode()).digest()


def existing_keys(project: Project) -> set[bytes]:
    texts = project.examples.values_list("input_text", "bad_output", "expected_output")
    return {
        example_key({"input_text": i, "bad_output": b, "expected_output": e})
        for i, b, e in texts.iterator(chunk_size=1000)
    }


def rows_not_in_project(project: Project, rows: list[dict]) -> list[dict]:
    existing = existing_keys(project)
    return [values for values in rows if example_key(values) not in existing]


def _checked_rows(example_import, parsed, options, attempt: int) -> list[imports.ConvertedRow]:
    vocabulary = current_vocabulary()
    rows = []
    for start in range(0, parsed.row_count, PROGRESS_EVERY):
        chunk = imports.ParsedFile(
            parsed.file_format, parsed.columns, parsed.records[start : start + PROGRESS_EVERY]
        )
        rows.extend(imports.convert_rows(chunk, options, vocabulary))
        import_heartbeat(example_import=example_import, attempt=attempt, rows_checked=len(rows))
    return rows


def _finish(example_import: ExampleImport, attempt: int, status: str, **fields) -> bool:
    """Marks the run finished, unless it lost its lease meanwhile (then False)."""
    return bool(
        _held(example_import, attempt).update(
            status=status,
            finished_at=timezone.now(),
            rows_checked=example_import.row_count,
            lease_expires_at=None,
            **fields,
        )
    )
