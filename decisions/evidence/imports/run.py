"""An import's life in the database: upload, preview, then every row saved or none.

The file is checked and stored at upload (`import_create`); the preview maps its columns; the
import itself (`import_run`) reads the file a record at a time, so 100,000 rows are never in
memory together. A first pass converts and checks every row (progress: rows checked), keeping
only the problems and writing each checked row to a temporary file of the worker's own
(pickle, a few microseconds a row); if no row has a problem, a second pass reads them back and
saves them in batches inside one transaction (progress: rows saved), so a bad row anywhere,
even the last, leaves nothing saved. Spooling the checked rows spares converting them twice
and keeps the write transaction (on SQLite, the database's one write lock) to the saving
alone. Small files run inside the request, large ones in the task worker
(`imports.tasks.run_example_import`), and the page shows a progress bar.

A run holds a lease on its import, renewed with each progress update. A worker that is killed
stops renewing it; once it has run out, `imports_expire_leases` (called by the next run, the
import's page and /healthz) marks the import failed, and it can be run again. A run saves only
while it still holds its lease, so rows are never saved twice.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from decisions.evidence import services
from decisions.evidence.imports import parse as imports
from decisions.evidence.models import ExampleImport, ImportStatus
from decisions.projects.models import Project
from decisions.projects.vocabulary import current_vocabulary

# Rows checked between two progress updates (each renews the lease): a fraction of a second.
PROGRESS_EVERY = 2_000
# Problems a refused import keeps to show; the rest are counted in one last line.
PROBLEMS_KEPT = 1_000
# On SQLite nothing can write while the rows are saved (one write lock), so the lease cannot
# be renewed then: before saving it is stretched by this much per row, far more than a save
# takes (about 0.1 ms a row on the benchmark's machine).
SAVE_LEASE_SECONDS_PER_ROW = 0.002


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
    del raw  # 50 MB of bytes beside their text while the row is written
    shape, mapping = imports.suggest_mapping(parsed.columns, parsed.source)
    return ExampleImport.objects.create(
        project=project,
        created_by=user,
        filename=upload.name[:255],
        file_format=parsed.file_format,
        content=parsed.text,
        columns=parsed.columns,
        shape=shape,
        row_count=parsed.row_count,
        mapping=mapping,
        default_failure_type=default_failure_type(),
    )


def default_failure_type() -> str:
    return current_vocabulary().failure_types[0].id


def parsed_file(example_import: ExampleImport) -> imports.ParsedFile:
    """The stored file, its records read again on demand."""
    if not example_import.columns:  # uploaded before the columns were kept: read them again
        return imports.parse_text(example_import.content, example_import.file_format)
    return imports.ParsedFile(
        example_import.file_format,
        example_import.columns,
        example_import.row_count,
        example_import.content,
        imports.source_of(example_import.content, example_import.file_format),
    )


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
    try:
        with tempfile.TemporaryFile(prefix="import-") as spool:
            problems = imports.mapping_problems(parsed, options.mapping)
            checked = 0
            if not problems:
                problems, checked = _check_rows(example_import, parsed, options, attempt, spool)
            if problems:
                _finish(
                    example_import,
                    attempt,
                    ImportStatus.FAILED,
                    problems=[p.to_dict() for p in problems],
                )
                return ImportStatus.FAILED
            spool.seek(0)
            # Rows the file marks as passing, left out by "Only the failing rows".
            left_out = parsed.row_count - checked
            return _save_rows(example_import, attempt, spooled(spool), left_out_passing=left_out)
    except LeaseLost:
        return ExampleImport.objects.get(pk=example_import_id).status
    except imports.ImportRefused as refusal:  # the stored file no longer reads as it did
        problems = [p.to_dict() for p in refusal.problems]
        _finish(example_import, attempt, ImportStatus.FAILED, problems=problems)
        return ImportStatus.FAILED


def spooled(spool) -> Iterator[dict]:
    """The checked rows again, in order, as the first pass wrote them."""
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 (our own file, written above)
        except EOFError:
            return


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


def import_heartbeat(
    *, example_import: ExampleImport, attempt: int, rows_checked: int, extra_seconds: float = 0
) -> None:
    """Writes the progress and renews the lease; LeaseLost when this run no longer holds it."""
    renewed = _held(example_import, attempt).update(
        rows_checked=rows_checked, lease_expires_at=_lease_end(extra_seconds)
    )
    if not renewed:
        raise LeaseLost


def _lease_end(extra_seconds: float = 0):
    return timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS + extra_seconds)


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
    expired = running.filter(Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True))
    # A read first: on SQLite an UPDATE waits for the write lock, which a worker saving
    # 100,000 rows holds for seconds, and a page or /healthz must not wait with it.
    if not expired.exists():
        return 0
    return expired.update(
        status=ImportStatus.FAILED,
        worker_stopped=True,
        finished_at=now,
        problems=[WORKER_STOPPED.to_dict()],
    )


def _save_rows(
    example_import: ExampleImport, attempt: int, rows: Iterable[dict], left_out_passing: int = 0
) -> str:
    """Saves the rows and marks the import done in one transaction, only while this run
    holds the lease: a run that lost it (marked failed, perhaps run again since) saves
    nothing, so no row is saved twice."""
    _lease_for_saving(example_import, attempt)
    progress = SaveProgress(example_import, attempt)
    try:
        with transaction.atomic():
            # The project's row first: two imports into one project skip each other's rows
            # in turn.
            project = Project.objects.select_for_update().get(pk=example_import.project_id)
            if not _held(example_import, attempt).exists():
                raise LeaseLost
            existing = existing_keys(project) if example_import.skip_existing else set()
            if existing:  # an empty project has nothing to skip: no row is hashed
                rows = rows_not_in(existing, rows)
            saved = services.examples_import(
                project=project,
                rows=rows,
                created_by_id=example_import.created_by_id,
                progress=progress,
            )
            finished = _finish(
                example_import,
                attempt,
                ImportStatus.DONE,
                imported_count=saved,
                skipped_count=example_import.row_count - left_out_passing - saved,
                left_out_passing=left_out_passing,
                rows_saved=saved,
                content="",
            )
            if not finished:
                raise LeaseLost  # undoes every batch saved
    finally:
        progress.close()
    return ImportStatus.DONE


def _lease_for_saving(example_import: ExampleImport, attempt: int) -> None:
    extra = 0.0
    if connection.vendor == "sqlite":
        extra = example_import.row_count * SAVE_LEASE_SECONDS_PER_ROW
    import_heartbeat(
        example_import=example_import,
        attempt=attempt,
        rows_checked=example_import.row_count,
        extra_seconds=extra,
    )


class SaveProgress:
    """Rows saved, written and the lease renewed after each batch from a connection of its
    own: what the saving transaction writes nobody sees until it commits, and the page must
    see the count grow (and the lease stay alive) meanwhile. PostgreSQL only: SQLite has one
    write lock, which the saving transaction holds, so there the count appears at the end."""

    def __init__(self, example_import: ExampleImport, attempt: int) -> None:
        self.example_import, self.attempt = example_import, attempt
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, saved: int) -> None:
        if self.side is None:
            return
        table = ExampleImport._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_saved = %s, lease_expires_at = %s "  # noqa: S608
                "WHERE id = %s AND status = %s AND attempt = %s",
                [saved, _lease_end(), self.example_import.pk, ImportStatus.RUNNING, self.attempt],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def example_key(values: Mapping) -> bytes:
    """What makes two examples the same for an import: their input and outputs, with line
    endings and surrounding space set aside (a spreadsheet round trip changes those)."""
    texts = (values.get(name) or "" for name in ("input_text", "bad_output", "expected_output"))
    joined = "\x00".join(text.replace("\r\n", "\n").strip() for text in texts)
    return hashlib.sha256(joined.encode()).digest()


def existing_keys(project: Project) -> set[bytes]:
    """The keys of the project's examples: 32 bytes each (about 100 with the set's own
    overhead, so 10 MB at 100,000 examples), the texts read 1,000 rows at a time."""
    texts = project.examples.values_list("input_text", "bad_output", "expected_output")
    return {
        example_key({"input_text": i, "bad_output": b, "expected_output": e})
        for i, b, e in texts.iterator(chunk_size=1000)
    }


def rows_not_in(existing: set[bytes], rows: Iterable[dict]) -> Iterator[dict]:
    return (values for values in rows if example_key(values) not in existing)


def rows_not_in_project(project: Project, rows: Iterable[dict]) -> list[dict]:
    return list(rows_not_in(existing_keys(project), rows))


@dataclass
class PreviewSummary:
    """What the preview shows of the whole file, read once, a row at a time."""

    first_rows: list[imports.ConvertedRow] = field(default_factory=list)
    problems: list[imports.Problem] = field(default_factory=list)  # the first PROBLEMS_KEPT
    problem_count: int = 0
    rows_with_problems: int = 0
    rows: int = 0
    to_import: int = 0


def preview_summary(
    example_import: ExampleImport, parsed: imports.ParsedFile, options, *, first: int
) -> PreviewSummary:
    """Every row checked, its first `first` rows kept whole; how many are new when rows
    already in the project are skipped (counted only for a file without problems)."""
    summary = PreviewSummary(problems=imports.mapping_problems(parsed, options.mapping))
    summary.problem_count = len(summary.problems)
    existing = existing_keys(example_import.project) if example_import.skip_existing else None
    new_rows = 0
    for row in imports.converted(parsed, options, current_vocabulary()):
        summary.rows += 1
        if summary.rows <= first:
            summary.first_rows.append(row)
        if row.problems:
            summary.rows_with_problems += 1
            summary.problem_count += len(row.problems)
            summary.problems.extend(row.problems[: PROBLEMS_KEPT - len(summary.problems)])
        elif existing is None or example_key(row.values) not in existing:
            new_rows += 1
    summary.to_import = summary.rows if summary.problem_count else new_rows
    return summary


def _check_rows(
    example_import: ExampleImport, parsed: imports.ParsedFile, options, attempt: int, spool
) -> tuple[list[imports.Problem], int]:
    """The first pass: every row converted and checked, only its problems kept; the rows
    written to `spool` for the second, until a problem shows nothing will be saved. Returns
    the problems and how many rows were checked (the passing rows left out are not)."""
    kept: list[imports.Problem] = []
    found = 0
    checked = 0
    for checked, row in enumerate(
        imports.converted(parsed, options, current_vocabulary()), start=1
    ):
        if row.problems:
            found += len(row.problems)
            kept.extend(row.problems[: PROBLEMS_KEPT - len(kept)])
        elif not found:
            pickle.dump(row.values, spool, pickle.HIGHEST_PROTOCOL)
        if checked % PROGRESS_EVERY == 0:
            import_heartbeat(example_import=example_import, attempt=attempt, rows_checked=checked)
    if found > len(kept):
        more = found - len(kept)
        kept.append(
            imports.Problem(
                f"…and {more:,} more problem{pluralize(more)} in later rows, not listed: fix "
                "these, then import the file again to see them."
            )
        )
    return kept, checked


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
