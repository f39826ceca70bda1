"""Timing actions: median, p95 and queries per run, and the tables they are printed in."""

from __future__ import annotations

import gc
import math
import multiprocessing
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    name: str
    seconds: list[float]
    queries: list[int]
    reference: str = ""  # the name of the row this one is compared with
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 95) * 1000

    @property
    def queries_per_run(self) -> int:
        return max(self.queries)


def percentile(values: list[float], rank: float) -> float:
    """The nearest-rank percentile: the smallest value with `rank` % of values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def measure(name: str, action: Callable[[], object], runs: int, **labels) -> Timing:
    # A first run warms templates and caches; the second counts the queries (recording them
    # costs time per query, so the timed runs do not).
    action()
    with CaptureQueriesContext(connection) as captured:
        action()
    # Read now: the next request clears the connection's query log.
    queries = len(captured.captured_queries)
    seconds = []
    for _ in range(runs):
        gc.collect()  # a collection inside one run would land on whichever case is unlucky
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return Timing(name, seconds, [queries], **labels)


def peak_memory_mib(action: Callable[[], object]) -> float:
    """How far one run of `action` raises the resident memory's high-water mark, in MiB.

    Measured in a forked child so the parent's own peak (building the data) does not hide it;
    the action must not touch the database (the child shares the parent's connection).
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        before = _status_kib("VmRSS")
        action()
        sender.send((_status_kib("VmHWM") - before) / 1024)

    process = context.Process(target=child)
    process.start()
    growth = receiver.recv()
    process.join()
    return growth


def _status_kib(field_name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field_name}")


@dataclass
class Table:
    timings: list[Timing] = field(default_factory=list)

    def add(self, timing: Timing) -> Timing:
        self.timings.append(timing)
        return timing

    def get(self, name: str) -> Timing:
        return next(timing for timing in self.timings if timing.name == name)

    def ratio(self, timing: Timing) -> str:
        if not timing.reference:
            return "reference"
        return f"{timing.median_ms / self.get(timing.reference).median_ms:.2f}× {timing.reference}"

    def markdown(self) -> str:
        lines = [
            "| case | median ms | p95 ms | queries | median vs reference |",
            "|---|---:|---:|---:|---|",
        ]
        for timing in self.timings:
            lines.append(
                f"| {timing.name}{' (' + timing.note + ')' if timing.note else ''} "
                f"| {timing.median_ms:.1f} | {timing.p95_ms:.1f} | {timing.queries_per_run} "
                f"| {self.ratio(timing)} |"
            )
        return "\n".join(lines)


@dataclass
class Target:
    what: str
    figure: str
    met: bool
    why: str = ""


def targets_markdown(targets: list[Target]) -> str:
    lines = ["| target | measured | met |", "|---|---|---|"]
    for target in targets:
        verdict = "yes" if target.met else f"**no**{': ' + target.why if target.why else ''}"
        lines.append(f"| {target.what} | {target.figure} | {verdict} |")
    return "\n".join(lines)
