"""An import's life in the database: upload, preview, then every row saved or none.

The file is checked and stored at upload (`import_create`); the preview maps its columns; the
import itself (`import_run`) checks every row first, with progress written as it goes, then
saves all rows in one transaction. Small files run inside the request, large ones in the task
worker (`projects.tasks.run_example_import`), and the page shows a progress bar.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
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
    if len(raw) > settings.IMPORT_MAX_BYTES:
        raw += upload.read()  # to state the real size in the refusal
    parsed = imports.read_upload(
        raw,
        upload.name,
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
    )
    shape, mapping = imports.suggest_mapping(parsed.columns)
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
    )


def import_choose(
    *,
    example_import: ExampleImport,
    mapping: Mapping[str, str],
    type_mapping: Mapping[str, str],
    default_type: str,
) -> None:
    """Keeps the PM's mapping; refuses it when the import is no longer in its preview."""
    if example_import.status != ImportStatus.PREVIEW:
        raise ValidationError("This import has already started; upload the file again to redo it.")
    example_import.mapping = {name: column for name, column in mapping.items() if column}
    example_import.type_mapping = dict(type_mapping)
    example_import.default_failure_type = default_type
    ExampleImport.objects.filter(pk=example_import.pk).update(
        mapping=example_import.mapping,
        type_mapping=example_import.type_mapping,
        default_failure_type=default_type,
    )


def import_run(*, example_import_id: int) -> str:
    """Checks every row, then saves all of them or none; returns the final status."""
    claimed = ExampleImport.objects.filter(pk=example_import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return ExampleImport.objects.get(pk=example_import_id).status  # a duplicate run
    example_import = ExampleImport.objects.select_related("project").get(pk=example_import_id)
    parsed = parsed_file(example_import)
    options = import_settings(example_import)
    problems = imports.mapping_problems(parsed, options.mapping)
    rows = [] if problems else _checked_rows(example_import, parsed, options)
    problems = problems or imports.all_problems(rows)
    if problems:
        _finish(example_import, ImportStatus.FAILED, problems=[p.to_dict() for p in problems])
        return ImportStatus.FAILED
    with transaction.atomic():
        services.examples_import(
            project=example_import.project,
            rows=(row.values for row in rows),
            created_by_id=example_import.created_by_id,
        )
        _finish(example_import, ImportStatus.DONE, imported_count=len(rows), content="")
    return ImportStatus.DONE


def _checked_rows(example_import, parsed, options) -> list[imports.ConvertedRow]:
    vocabulary = current_vocabulary()
    rows = []
    for start in range(0, parsed.row_count, PROGRESS_EVERY):
        chunk = imports.ParsedFile(
            parsed.file_format, parsed.columns, parsed.records[start : start + PROGRESS_EVERY]
        )
        rows.extend(imports.convert_rows(chunk, options, vocabulary))
        ExampleImport.objects.filter(pk=example_import.pk).update(rows_checked=len(rows))
    return rows


def _finish(example_import: ExampleImport, status: str, **fields) -> None:
    ExampleImport.objects.filter(pk=example_import.pk).update(
        status=status, finished_at=timezone.now(), rows_checked=example_import.row_count, **fields
    )
