"""`manage.py bench` (`make bench`): our pages against references measured in the same run.

Everything runs in a throwaway database built for the run (devtools/benchmark/), so
it measures our code at a real size and not the data someone happens to have. Absolute times
depend on the machine; the ratios against references timed in the same run are what to
compare between commits. `--live N` drives N concurrent wizard clients against gunicorn.
"""

from __future__ import annotations

import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import setup_test_environment, teardown_test_environment

from devtools.benchmark import data as bench_data
from devtools.benchmark.cases import Cases, targets
from devtools.benchmark.measure import targets_markdown
from devtools.benchmark.scale import scale_targets

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Command(BaseCommand):
    help = "Time the main pages against references, in a throwaway database of a real size."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--repeat", type=int, default=100, help="timed runs per page (a p95 needs many)"
        )
        parser.add_argument(
            "--small", action="store_true", help=f"a small data set ({bench_data.SMALL})"
        )
        parser.add_argument(
            "--scale-only",
            action="store_true",
            help="only the 100,000-row cases (import, worker memory, pages, streamed export)",
        )
        parser.add_argument(
            "--live", type=int, metavar="N", help="drive N concurrent wizard clients instead"
        )
        parser.add_argument("--seconds", type=float, default=60, help="how long --live runs")
        parser.add_argument(
            "--kill-after",
            type=float,
            metavar="S",
            help="with --live: SIGKILL the server after S seconds, then start it again",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("BENCH_LIVE_PORT", "0")) or None,
            help="with --live: gunicorn's port (default: $BENCH_LIVE_PORT, else any free one)",
        )
        parser.add_argument(
            "--also-on",
            metavar="DATABASE_URL",
            help="with --live: run again on this database and compare the two (PostgreSQL's "
            "throughput must reach 90 %% of SQLite's)",
        )
        parser.add_argument(
            "--think",
            type=float,
            default=0.0,
            metavar="S",
            help="with --live: each client pauses S seconds before each request (0: flat out)",
        )

    def handle(self, *args, **options) -> None:
        # One request line per benchmark request would bury the table.
        logging.getLogger("decisions.requests").setLevel(logging.WARNING)
        # WhiteNoise warns that collectstatic has not run; these pages need no static files.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        size = bench_data.SMALL if options["small"] else bench_data.FULL
        setup_test_environment()
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            connection.settings_dict.setdefault("TEST", {})["NAME"] = throwaway_name(folder)
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                with override_settings(
                    PASSWORD_HASHERS=FAST_HASHER,
                    ROOT_URLCONF="devtools.benchmark.references",
                ):
                    if options["live"]:
                        self.live(size, options)
                    else:
                        self.table(size, options["repeat"], scale_only=options["scale_only"])
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
                teardown_test_environment()

    def table(self, size, repeat: int, *, scale_only: bool = False) -> None:
        started = time.perf_counter()
        data = bench_data.build(size)
        self.stdout.write(f"Built {size} in {time.perf_counter() - started:.0f} s.")
        cases = Cases(data, repeat)
        table = cases.run_all(scale_only=scale_only)
        self.stdout.write(f"\n{machine()}\n\n{table.markdown()}\n\n")
        found = [] if scale_only else targets(table, cases.memory)
        found += scale_targets(table, cases.scale_figures)
        self.stdout.write(targets_markdown(found) + "\n")

    def live(self, size, options) -> None:
        from devtools.benchmark.live import LiveOptions, run_live

        live = LiveOptions(
            clients=options["live"],
            seconds=options["seconds"],
            kill_after=options["kill_after"],
            think=options["think"],
            port=options["port"],
        )
        report = run_live(size=size, options=live, out=self.stdout)
        self.last_live = report.markdown()
        self.stdout.write(f"\n{machine()}\n\n{report.markdown()}")
        other = self.live_elsewhere(options) if options["also_on"] else None
        if not report.passed:
            raise CommandError(report.failure())
        if other is not None and other.returncode != 0:
            raise CommandError(f"the run on the other database failed (exit {other.returncode})")

    def live_elsewhere(self, options) -> subprocess.CompletedProcess:
        """The same live run on another database, in a process of its own (settings are read
        once per process), then both throughputs side by side."""
        from devtools.benchmark.live import compare_throughput

        command = [sys.executable, "manage.py", "bench", "--live", str(options["live"])]
        command += ["--seconds", str(options["seconds"]), "--think", str(options["think"])]
        if options["kill_after"] is not None:
            command += ["--kill-after", str(options["kill_after"])]
        if options["small"]:
            command.append("--small")
        if options["port"]:
            command += ["--port", str(options["port"])]
        env = {**os.environ, "DATABASE_URL": options["also_on"]}
        self.stdout.write(f"\nThe same run on {options['also_on'].split('://')[0]}:\n")
        self.stdout.flush()
        other = subprocess.run(
            command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
        )
        self.stdout.write(other.stdout + other.stderr)
        here = connection.vendor
        self.stdout.write(compare_throughput({here: self.last_live}, other.stdout) + "\n")
        return other


def throwaway_name(folder: str) -> str:
    if connection.vendor == "sqlite":
        # A file, not SQLite's in-memory test database: a forked child and gunicorn's
        # workers must open it too.
        return str(Path(folder, "bench.sqlite3"))
    # A name of its own: test_<name> may be the test suite's, which runs this command.
    return f"{settings.DATABASES['default']['NAME']}_bench_{os.getpid()}"[:63]


def machine() -> str:
    return (
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor} "
        f"{connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".rstrip()
    )
