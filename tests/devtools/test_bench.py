"""The benchmark's arithmetic: percentiles, the data set's shape, how targets are judged."""

from __future__ import annotations

import pytest

from devtools.benchmark.cases import targets
from devtools.benchmark.data import Size, examples_per_project
from devtools.benchmark.measure import Table, Timing, percentile, targets_markdown


def test_p95_is_the_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1 … 20
    assert percentile(values, 95) == 19.0
    assert percentile(values, 50) == 10.0
    assert percentile([3.0], 95) == 3.0


def test_examples_are_shared_so_the_total_is_exact():
    counts = examples_per_project(Size(projects=10, examples=100, decisions=0), {0: 50, 1: 0})
    assert counts[:2] == [50, 0]
    assert counts[2:] == [7, 7, 6, 6, 6, 6, 6, 6]
    assert sum(counts) == 100


def timing(name: str, ms: float, queries: int = 3, reference: str = "") -> Timing:
    return Timing(name, [ms / 1000] * 5, [queries] * 5, reference=reference)


@pytest.fixture
def table():
    rows = [
        timing("trivial view", 2),
        timing("formtools wizard step", 5),
        timing("wizard step (htmx POST)", 4.5, reference="trivial view"),
        timing("report, 1 example", 20, 17),
        timing("report, 200 examples", 151, 17),
        timing("dashboard", 90),
        timing("project page, 1 example", 20, 16),
        timing("project page, 200 examples", 30, 18),
        timing("trials page, 2 trials × 50 cases", 12, 9),
        timing("trials page, 2 trials × 5,000 cases", 40, 9),
        timing("trials page, 10 trials × 1,000 cases", 151, 9),
    ]
    for label, raw, ours, cached in (("20", 800, 900, 7), ("200", 4000, 4100, 25)):
        rows += [
            timing(f"raw WeasyPrint, {label} examples", raw),
            timing(f"PDF, {label} examples, cold", ours),
            timing(f"PDF, {label} examples, cached", cached),
        ]
    return Table(rows)


def test_each_target_is_judged_on_its_own_figure(table):
    judged = {target.what: target.met for target in targets(table, {"20": 60, "200": 90})}

    assert judged == {
        "wizard step p95 ≤ 2× trivial view": False,
        "wizard step p95 < formtools step p95": True,
        "report, 200 examples: p95 ≤ 150 ms": False,
        "dashboard p95 ≤ 100 ms": True,
        "PDF of 20 examples ≤ 1.2× raw WeasyPrint": True,
        "PDF of 200 examples ≤ 1.2× raw WeasyPrint": True,
        "PDF of 20 examples ≤ 1 s": True,
        "PDF of 20 examples from the cache ≤ 20 ms": True,
        "PDF of 200 examples from the cache ≤ 20 ms": False,
        "report: same queries for 1 and 200 examples": True,
        "project page: same queries for 1 and 200 examples": False,
        "trials page: same queries for 50 and 5,000 cases": True,
        "trials page, 10 × 1,000 cases: p95 ≤ 150 ms": False,
        "peak memory of a PDF render (no target)": True,
    }


def test_the_tables_state_ratios_and_misses(table):
    assert "| wizard step (htmx POST) | 4.5 | 4.5 | 3 | 2.25× trivial view |" in table.markdown()
    rendered = targets_markdown(targets(table, {"20": 60, "200": 90}))
    assert "| dashboard p95 ≤ 100 ms | 90.0 ms | yes |" in rendered
    assert "| report, 200 examples: p95 ≤ 150 ms | 151.0 ms | **no** |" in rendered
