"""100,000 rows: an import against a bare bulk_create of the same rows, the worker's peak
memory, the pages at 100,000 examples and a streamed export's memory.

Memory is measured in a process of its own, started for the purpose, as the task worker is:
its peak resident size (VmHWM) is the figure a container's memory limit would meet, and a
fork of this process would carry the benchmark's own data in it. (Not ru_maxrss: Linux keeps
it across exec, so a child started from this process reports this process's peak.)
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from decisions.evidence.exports.stream import EXPORT_BATCH
from decisions.evidence.imports.parse import title_from
from decisions.evidence.imports.run import import_choose, import_create, import_run
from decisions.evidence.models import ExampleImport, FailedExample, ImportStatus
from decisions.evidence.services import INSERT_BATCH
from devtools.benchmark.live import database_url
from devtools.benchmark.measure import Table, Target, Timing

SCALE_ROWS = 100_000
SCALE_RUNS = 3
# The import and its reference take turns this many times: a shared machine's load swings.
IMPORT_TURNS = 5
IMPORT_MAPPING = {
    "input_text": "input",
    "bad_output": "output",
    "expected_output": "expected",
    "failure_type": "category",
}
HTMX_TABLE = {"HX-Request": "true", "HX-Target": "example-table"}
WORKER_MEMORY_TARGET_MB = 300
# A streamed export holds one batch of examples at a time; the whole file (25 MB at 100,000
# of the benchmark's examples) and its 100,000 model instances never are.
EXPORT_PEAK_TARGET_MB = 10


def row_texts(index: int) -> tuple[str, str, str]:
    return (
        f"Write a follow-up email to customer {index} about the renewal.",
        f"Dear Valued Customer, we are delighted to inform you ({index}).",
        f"Hi, thanks for the call on Tuesday ({index}).",
    )


def scale_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    buffer.write("input,output,expected,category\n")
    for index in range(rows):
        texts = row_texts(index)
        buffer.write(f'"{texts[0]}","{texts[1]}","{texts[2]}",tone\n')
    return buffer.getvalue().encode()


def same_rows(project, rows: int) -> list[FailedExample]:
    """The examples the import saves from `scale_csv(rows)`, field for field."""
    made = []
    for index in range(rows):
        input_text, bad_output, expected_output = row_texts(index)
        made.append(
            FailedExample(
                project=project,
                title=title_from(input_text),
                title_derived=True,
                input_text=input_text,
                bad_output=bad_output,
                expected_output=expected_output,
                failure_type="tone",
            )
        )
    return made


def timed(name: str, action: Callable[[], object], runs: int, reference="") -> Timing:
    """A page: a warm-up run, one that counts the queries, then `runs` timed."""
    action()
    with CaptureQueriesContext(connection) as captured:
        action()
    queries = len(captured.captured_queries)  # now: the next request empties the log
    seconds = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return Timing(name, seconds, [queries], reference=reference)


def interleaved(actions: dict[str, Callable[[], object]], cleanup, runs: int) -> dict:
    """Seconds and queries of each action, taking turns run after run: on a machine whose load
    drifts (ours is shared), each action meets the same drift. The first turn counts the
    queries; `cleanup` runs after every run, untimed (deleting 100,000 rows takes seconds)."""
    found = {name: {"seconds": [], "queries": 0} for name in actions}
    for turn in range(runs + 1):
        for name, action in actions.items():
            gc.collect()
            if turn == 0:
                with CaptureQueriesContext(connection) as captured:
                    action()
                found[name]["queries"] = len(captured.captured_queries)
            else:
                started = time.perf_counter()
                action()
                found[name]["seconds"].append(time.perf_counter() - started)
            cleanup()
    return found


def in_a_process(code: str) -> dict:
    """Runs `code` (which prints one JSON object) in a fresh Python on the throwaway database;
    adds its peak resident memory in MB and how much it had before (`rss_before_kib`)."""
    prelude = (
        "import json, django; django.setup()\n"
        "def status_kib(name):\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith(name + ':'): return int(line.split()[1])\n"
        "before = status_kib('VmRSS')\n"
    )
    epilogue = (
        "\nfound['peak_kib'] = status_kib('VmHWM')\n"
        "found['before_kib'] = before\nprint(json.dumps(found))\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "decisions.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", prelude + code + epilogue],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the measuring process failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["peak_mb"] = found["peak_kib"] * 1024 / 1_000_000
    found["growth_mb"] = (found["peak_kib"] - found["before_kib"]) * 1024 / 1_000_000
    return found


class ScaleCases:
    """Run after the other cases; adds its rows to their table."""

    def __init__(self, data, client, table: Table) -> None:
        self.data, self.client, self.table = data, client, table
        self.project = data.import_project
        self.figures: dict[str, dict] = {}

    def run(self) -> None:
        # The pages first at 200 examples, then at 100,000, in the same project.
        FailedExample.objects.bulk_create(same_rows(self.project, 200))
        self.pages(200)
        self.export_memory("export_200")
        self.clear()
        upload = scale_csv(SCALE_ROWS)
        self.import_against_bulk_create(upload)
        self.worker_memory(upload)  # leaves the project with 100,000 examples
        self.pages(SCALE_ROWS)
        self.export_memory("export")
        self.clear()

    def clear(self) -> None:
        self.project.examples.all().delete()
        self.project.imports.all().delete()

    def queued_import(self, upload: bytes) -> ExampleImport:
        """What the upload and the preview's mapping do, before the worker takes it."""
        example_import = import_create(
            project=self.project,
            user=self.data.lead,
            upload=SimpleUploadedFile("failures.csv", upload, content_type="text/csv"),
        )
        import_choose(
            example_import=example_import,
            mapping=IMPORT_MAPPING,
            type_mapping={},
            default_type="tone",
        )
        ExampleImport.objects.filter(pk=example_import.pk).update(status=ImportStatus.QUEUED)
        return example_import

    def import_against_bulk_create(self, upload: bytes) -> None:
        def import_file() -> None:
            example_import = self.queued_import(upload)
            if import_run(example_import_id=example_import.pk) != "done":
                raise AssertionError("the benchmark import was refused")

        def bulk_create() -> None:
            # The same rows, in the same batches, in one transaction: all an import must do.
            with transaction.atomic():
                FailedExample.objects.bulk_create(
                    same_rows(self.project, SCALE_ROWS), batch_size=INSERT_BATCH
                )

        floor = f"bulk_create of the same {SCALE_ROWS:,} rows"
        name = f"import of {SCALE_ROWS:,} CSV rows (upload, check, save)"
        found = interleaved({floor: bulk_create, name: import_file}, self.clear, IMPORT_TURNS)
        for case, reference in ((floor, ""), (name, floor)):
            runs = found[case]
            self.table.add(Timing(case, runs["seconds"], [runs["queries"]], reference=reference))

    def worker_memory(self, upload: bytes) -> None:
        first = self.queued_import(upload)
        self.figures["worker"] = in_a_process(
            "from decisions.evidence.imports.run import import_run\n"
            f"found = {{'status': import_run(example_import_id={first.pk})}}"
        )
        # The same file again: every row is skipped as already there, which reads the keys
        # of all 100,000 examples.
        again = self.queued_import(upload)
        self.figures["skipping"] = in_a_process(
            "from decisions.evidence.imports.run import import_run\n"
            f"found = {{'status': import_run(example_import_id={again.pk})}}"
        )
        saved = self.project.examples.count()
        if saved != SCALE_ROWS:
            raise AssertionError(f"the worker saved {saved:,} rows, not {SCALE_ROWS:,}")

    def pages(self, examples: int) -> None:
        project, label = self.project.pk, f"{examples:,} examples"
        runs = 10 if examples < SCALE_ROWS else SCALE_RUNS
        self.add_get(f"project page, {label}", f"/projects/{project}/", runs)
        table = f"/projects/{project}/?q=customer&failure_type=tone&page=2"
        self.add_get(f"examples table (htmx), {label}", table, runs, headers=HTMX_TABLE)
        self.add_get(f"export page, {label}", f"/projects/{project}/export/", runs)
        export = f"/projects/{project}/export/csv/all/"
        self.add_get(f"export of {label} (CSV, streamed)", export, runs)

    def add_get(self, name: str, url: str, runs: int, headers=None) -> None:
        def get() -> None:
            response = self.client.get(url, headers=headers or {})
            if response.status_code != 200:
                raise AssertionError(f"{url}: HTTP {response.status_code}")
            if response.streaming:
                self.figures.setdefault("export_bytes", {})[url] = sum(
                    len(chunk) for chunk in response.streaming_content
                )

        self.table.add(timed(name, get, runs, reference="trivial view"))

    def export_memory(self, key: str) -> None:
        """Peak memory while one export is read to its end: the process's resident size, and
        Python's own allocations (tracemalloc), which leave out SQLite's page cache and the
        allocator's slack and so show whether anything grows with the examples."""
        url = f"/projects/{self.project.pk}/export/csv/all/"
        # A first export of one example loads the URLconf, the views and the formats, so
        # the growth measured is the export's own.
        warm_up = f"/projects/{self.data.small.pk}/export/csv/all/"
        self.figures[key] = in_a_process(
            "from django.contrib.auth.models import User\n"
            "from django.test import Client\n"
            "client = Client()\n"
            "client.force_login(User.objects.get(username='lead'))\n"
            f"b''.join(client.get({warm_up!r}).streaming_content)\n"
            "import tracemalloc\n"
            "before = status_kib('VmRSS')\n"
            "tracemalloc.start()\n"
            f"response = client.get({url!r})\n"
            "found = {'bytes': sum(len(chunk) for chunk in response.streaming_content)}\n"
            "found['python_peak_mb'] = tracemalloc.get_traced_memory()[1] / 1_000_000\n"
        )


def scale_targets(table: Table, figures: dict) -> list[Target]:
    label = f"{SCALE_ROWS:,}"
    floor = table.get(f"bulk_create of the same {label} rows").median_ms
    imported = table.get(f"import of {label} CSV rows (upload, check, save)").median_ms
    worker, skipping, export = figures["worker"], figures["skipping"], figures["export"]
    small_export = figures["export_200"]
    found = [
        Target(
            f"import of {label} CSV rows ≤ 1.5× bulk_create of the same rows",
            f"{imported / 1000:.1f} s = {imported / floor:.2f}× {floor / 1000:.1f} s",
            imported <= 1.5 * floor,
        ),
        Target(
            f"peak memory of the worker importing {label} rows ≤ {WORKER_MEMORY_TARGET_MB} MB",
            f"{worker['peak_mb']:.0f} MB (+{worker['growth_mb']:.0f} MB over the idle process)",
            worker["peak_mb"] <= WORKER_MEMORY_TARGET_MB,
        ),
        Target(
            f"… importing them again, every row skipped as already there, ≤ "
            f"{WORKER_MEMORY_TARGET_MB} MB",
            f"{skipping['peak_mb']:.0f} MB (+{skipping['growth_mb']:.0f} MB)",
            skipping["peak_mb"] <= WORKER_MEMORY_TARGET_MB,
        ),
        Target(
            f"export of {label} examples streams: Python's peak ≤ {EXPORT_PEAK_TARGET_MB} MB "
            f"(a batch of {EXPORT_BATCH:,} examples, whatever the file's size)",
            f"{export['python_peak_mb']:.1f} MB sending {export['bytes'] / 1_000_000:.1f} MB; "
            f"{small_export['python_peak_mb']:.1f} MB sending "
            f"{small_export['bytes'] / 1_000:.0f} kB (resident: +{export['growth_mb']:.0f} MB "
            f"and +{small_export['growth_mb']:.0f} MB, peak {export['peak_mb']:.0f} MB)",
            export["python_peak_mb"] <= EXPORT_PEAK_TARGET_MB,
        ),
    ]
    for page in ("project page", "examples table (htmx)", "export page", "export of"):
        suffix = " (CSV, streamed)" if page == "export of" else ""
        separator = " " if page == "export of" else ", "
        small = table.get(f"{page}{separator}200 examples{suffix}").queries_per_run
        large = table.get(f"{page}{separator}{label} examples{suffix}").queries_per_run
        name = "export (CSV, streamed)" if page == "export of" else page
        found.append(
            Target(
                f"{name}: same queries for 200 and {label} examples",
                f"{small} and {large}",
                small == large,
            )
        )
    return found
