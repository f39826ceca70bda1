"""Statistics for prompt trials measured case by case: is a pass rate above the pass mark, is one
revision better than another on the same cases, and how many cases would tell.

Pure functions on counts, with no dependency beyond the standard library, each checked in
tests/flowchart/test_statistics.py against published or hand-computed values.

- A pass rate's uncertainty: the 95 % Wilson score interval (trials.wilson_interval).
- Two trials on the same cases: only the discordant cases carry information, b (passed in the
  first, failed in the second) and c (failed, then passed). The exact McNemar test asks how
  likely a split at least as uneven as b : c is when each discordant case is a fair coin; its
  mid-p version (Fagerland, Lydersen and Laake, BMC Med Res Methodol 2013) counts half the
  probability of the observed split, which keeps the error rate near 5 % without the exact
  test's excess caution.
- The difference in pass rate, second minus first, with the Agresti–Min interval (Stat Med
  2005): the Wald interval for paired proportions after adding ½ to each of the four cells.
- Cases needed: for one trial, the smallest test set on which a Wilson interval at the
  observed rate lies wholly above the pass mark; for a comparison, Connor's (1987) sample size
  for McNemar's test at 5 % two-sided and 80 % power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from decisions.flowchart.trials import Z_95, wilson_interval

Z_80_POWER = 0.841621  # the normal quantile for 80 % power (one-sided 20 %)
SIGNIFICANCE = 0.05
# Beyond this a test set stops being a practical suggestion; the answer is "more than this".
MOST_CASES_SUGGESTED = 100_000


@dataclass(frozen=True)
class PairedCounts:
    """Cases both trials ran, by outcome in the first and in the second."""

    both_passed: int
    first_only: int  # b: passed in the first, failed in the second
    second_only: int  # c: failed in the first, passed in the second
    both_failed: int

    @property
    def cases(self) -> int:
        return self.both_passed + self.first_only + self.second_only + self.both_failed

    @property
    def discordant(self) -> int:
        return self.first_only + self.second_only

    @property
    def difference(self) -> float:
        """Second pass rate minus first, on the shared cases."""
        return (self.second_only - self.first_only) / self.cases if self.cases else 0.0


def paired_counts(first: dict[str, bool], second: dict[str, bool]) -> PairedCounts:
    """Counts over the case ids both trials ran; other cases are left out."""
    shared = first.keys() & second.keys()
    cells = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for case_id in shared:
        cells[(bool(first[case_id]), bool(second[case_id]))] += 1
    return PairedCounts(
        cells[(True, True)], cells[(True, False)], cells[(False, True)], cells[(False, False)]
    )


def _binomial_half(k: int, n: int) -> float:
    """P(X = k) for X ~ Binomial(n, ½)."""
    return math.comb(n, k) / 2**n


def mcnemar_mid_p(first_only: int, second_only: int) -> float:
    """Two-sided mid-p value of the exact conditional McNemar test on the discordant counts."""
    n = first_only + second_only
    if n == 0:
        return 1.0
    smaller = min(first_only, second_only)
    lower_tail = sum(_binomial_half(k, n) for k in range(smaller + 1))
    return min(1.0, 2 * (lower_tail - _binomial_half(smaller, n) / 2))


def paired_mid_p(gained: int, lost: int) -> float:
    """The 2027.02 spec's McNemar mid-p for two revisions on shared cases: b = `gained` (the
    older failed, the newer passed), c = `lost`, n = b + c, k = min(b, c), X ~ Binomial(n, ½):
    2·P(X ≤ k) − P(X = k); 1 − ½·P(X = k) when b = c; 1 when n = 0. It differs from
    mcnemar_mid_p() only when b = c, where neither can show a gain."""
    n = gained + lost
    if n == 0:
        return 1.0
    smaller = min(gained, lost)
    if gained == lost:
        return 1 - _binomial_half(smaller, n) / 2
    lower_tail = sum(_binomial_half(k, n) for k in range(smaller + 1))
    return 2 * lower_tail - _binomial_half(smaller, n)


def cases_needed(rate: float, pass_mark: float, z: float = Z_95) -> int | None:
    """The test-set size at which a Wilson interval at the observed `rate` stops containing the
    pass mark: n = ⌊z²·m(1−m)/(r−m)²⌋ + 1 (the Wilson bounds solve (r−m)² = z²·m(1−m)/n);
    None when r = m (no number of cases tells)."""
    if rate == pass_mark:
        return None
    return math.floor(z * z * pass_mark * (1 - pass_mark) / (rate - pass_mark) ** 2) + 1


def difference_interval(counts: PairedCounts, z: float = Z_95) -> tuple[float, float]:
    """Agresti–Min 95 % interval for the second pass rate minus the first."""
    n = counts.cases + 2
    b = counts.first_only + 0.5
    c = counts.second_only + 0.5
    centre = (c - b) / n
    half = z * math.sqrt((b + c) - (c - b) ** 2 / n) / n
    return max(-1.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Comparison:
    counts: PairedCounts
    p_value: float
    interval: tuple[float, float]

    @property
    def verdict(self) -> str:
        """Better, worse or not distinguishable: the second trial against the first."""
        if self.p_value >= SIGNIFICANCE:
            return "not distinguishable"
        return "better" if self.counts.second_only > self.counts.first_only else "worse"


def compare_paired(first: dict[str, bool], second: dict[str, bool]) -> Comparison:
    counts = paired_counts(first, second)
    return Comparison(
        counts=counts,
        p_value=mcnemar_mid_p(counts.first_only, counts.second_only),
        interval=difference_interval(counts),
    )


def cases_to_clear(rate: float, pass_mark: float) -> int | None:
    """The fewest cases on which a Wilson interval at `rate` lies wholly above `pass_mark`;
    None when the rate is not above the mark (no number of cases would clear it) or when it
    would take more than MOST_CASES_SUGGESTED."""
    if rate <= pass_mark:
        return None

    def clears(n: int) -> bool:
        return wilson_interval(round(rate * n), n)[0] > pass_mark

    if not clears(MOST_CASES_SUGGESTED):
        return None
    low, high = 1, MOST_CASES_SUGGESTED
    while low < high:  # the lower bound grows with n at a fixed rate: bisect for the first n
        middle = (low + high) // 2
        if clears(middle):
            high = middle
        else:
            low = middle + 1
    return low


def cases_to_detect(first_only_rate: float, second_only_rate: float) -> int | None:
    """Connor's sample size for McNemar's test (5 % two-sided, 80 % power), from the share of
    cases that pass only in the first trial and only in the second; None without a difference.

    n = (z_α/2 · √ψ + z_β · √(ψ − δ²))² / δ², with ψ the discordant share and δ the difference.
    """
    delta = second_only_rate - first_only_rate
    psi = first_only_rate + second_only_rate
    if delta == 0:
        return None
    n = (Z_95 * math.sqrt(psi) + Z_80_POWER * math.sqrt(psi - delta**2)) ** 2 / delta**2
    return math.ceil(n)


# A group with this many cases or more, below the pass mark, is called out: fewer cases say
# too little on their own.
GROUP_CASES_TO_FLAG = 10


@dataclass(frozen=True)
class GroupRate:
    group: str
    passed: int
    cases: int
    interval: tuple[float, float]
    flagged: bool  # GROUP_CASES_TO_FLAG or more cases, and a pass rate below the mark

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0


def group_rates(
    results: dict[str, bool], groups: dict[str, str], pass_mark: float
) -> list[GroupRate]:
    """The pass rate of each group of cases (a class, a language, a tier), with its Wilson
    interval, largest group first; cases without a group are left out."""
    tally: dict[str, list[int]] = {}
    for case_id, passed in results.items():
        group = groups.get(case_id)
        if group:
            counts = tally.setdefault(group, [0, 0])
            counts[0] += bool(passed)
            counts[1] += 1
    rates = [
        GroupRate(
            group=group,
            passed=passed,
            cases=cases,
            interval=wilson_interval(passed, cases),
            flagged=cases >= GROUP_CASES_TO_FLAG and passed / cases < pass_mark,
        )
        for group, (passed, cases) in tally.items()
    ]
    return sorted(rates, key=lambda rate: (-rate.cases, rate.group))


def percentile_95(values: list[float]) -> float | None:
    """The 95th percentile by the nearest-rank method (the smallest value at or above 95 % of
    them), as latency dashboards report it; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
