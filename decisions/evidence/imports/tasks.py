"""Background work of the projects stage: importing a large file of failed examples.

A request asks with `import_start`; a file of up to IMPORT_INLINE_ROWS rows is imported right
there, a larger one by `manage.py db_worker` while the page shows its progress.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task

from decisions.evidence.imports.run import import_run
from decisions.evidence.models import ExampleImport, ImportStatus


def import_start(*, example_import: ExampleImport) -> bool:
    """Runs the import now (True) or queues it for the worker (False)."""
    claimed = ExampleImport.objects.filter(
        pk=example_import.pk, status=ImportStatus.PREVIEW
    ).update(status=ImportStatus.QUEUED)
    if not claimed:
        raise ValidationError("This import has already started.")
    example_import.status = ImportStatus.QUEUED
    if example_import.row_count <= settings.IMPORT_INLINE_ROWS:
        import_run(example_import_id=example_import.pk)
        return True
    import_id = example_import.pk
    transaction.on_commit(lambda: run_example_import.enqueue(import_id))
    return False


@task()
def run_example_import(example_import_id: int) -> str:
    return import_run(example_import_id=example_import_id)
