"""The trial statistics against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from decisions.flowchart.statistics import (
    PairedCounts,
    cases_to_clear,
    cases_to_detect,
    compare_paired,
    difference_interval,
    group_rates,
    mcnemar_mid_p,
    paired_counts,
    percentile_95,
)
from decisions.flowchart.trials import wilson_interval


def test_wilson_17_of_20_is_64_0_to_94_8_percent():
    low, high = wilson_interval(17, 20)
    assert (round(low * 100, 1), round(high * 100, 1)) == (64.0, 94.8)


def test_mcnemar_mid_p_matches_fagerland_2013_worked_example():
    """Fagerland, Lydersen & Laake (2013), airway hyper-responsiveness before and after
    stem-cell transplantation: 1 and 7 discordant pairs; exact conditional p = 0.070,
    mid-p = 0.039."""
    assert round(mcnemar_mid_p(1, 7), 4) == 0.0391
    assert round(mcnemar_mid_p(7, 1), 4) == 0.0391
    # The exact conditional test on the same counts, for comparison: 2 · 9/256.
    assert round(2 * (1 + 8) / 256, 4) == 0.0703


@pytest.mark.parametrize(
    ("first_only", "second_only", "p_value"),
    [
        (0, 0, 1.0),
        (3, 3, 1.0),
        # n = 5, smaller = 0: 2 · (P(X ≤ 0) − ½ P(X = 0)) = 2 · ½ · 1/32
        (0, 5, 2 * (0.5 / 32)),
        # n = 12, smaller = 2: 2 · ((1 + 12 + 66)/4096 − ½ · 66/4096)
        (2, 10, 2 * ((1 + 12 + 66) / 4096 - 33 / 4096)),
    ],
)
def test_mcnemar_mid_p_by_hand(first_only, second_only, p_value):
    assert mcnemar_mid_p(first_only, second_only) == pytest.approx(p_value)


def test_agresti_min_interval_by_hand():
    # 21 pairs: 1 both passed, 1 only first, 7 only second, 12 both failed. With ½ added to
    # each cell: n = 23, b = 1.5, c = 7.5; centre 6/23; half-width 1.96 · √(9 − 36/23) / 23.
    low, high = difference_interval(PairedCounts(1, 1, 7, 12))
    half = 1.959964 * math.sqrt(9 - 36 / 23) / 23
    assert (low, high) == pytest.approx((6 / 23 - half, 6 / 23 + half))
    assert (round(low, 3), round(high, 3)) == (0.029, 0.493)


def test_paired_counts_use_only_the_cases_both_trials_ran():
    first = {"a": True, "b": True, "c": False, "d": False, "only-first": True}
    second = {"a": True, "b": False, "c": True, "d": False, "only-second": False}
    assert paired_counts(first, second) == PairedCounts(1, 1, 1, 1)


def test_a_clear_gain_on_the_same_cases_is_better_and_a_split_is_not_distinguishable():
    first = {f"case-{n}": n < 20 for n in range(60)}  # 20 of 60
    second = {f"case-{n}": n < 40 for n in range(60)}  # the same 20, and 20 more
    assert compare_paired(first, second).verdict == "better"
    assert compare_paired(second, first).verdict == "worse"
    mixed = {f"case-{n}": n < 18 or 20 <= n < 22 for n in range(60)}  # 2 lost, 2 gained
    assert compare_paired(first, mixed).verdict == "not distinguishable"


def test_cases_to_clear_90_percent_over_an_80_percent_mark():
    # At 61 cases, 55 passed: Wilson's lower bound is 80.2 %, above the mark; at 60 cases
    # (54 passed) it is 79.9 %, not yet.
    assert cases_to_clear(0.9, 0.8) == 61
    assert wilson_interval(55, 61)[0] > 0.8
    assert wilson_interval(54, 60)[0] < 0.8


@pytest.mark.parametrize("rate", [0.8, 0.79, 0.801])
def test_no_number_of_cases_clears_a_mark_the_rate_does_not_beat_in_practice(rate):
    assert cases_to_clear(rate, 0.8) is None


def test_cases_to_detect_by_connors_formula():
    # 10 % of cases pass only in the first trial, 25 % only in the second: ψ = 0.35, δ = 0.15.
    # n = (1.959964 · √0.35 + 0.841621 · √(0.35 − 0.0225))² / 0.0225
    #   = (1.159530 + 0.481640)² / 0.0225 = 2.693439 / 0.0225 = 119.7 → 120 cases.
    assert cases_to_detect(0.10, 0.25) == 120
    assert cases_to_detect(0.2, 0.2) is None


def test_group_rates_with_intervals_flag_large_groups_below_the_mark():
    results = {f"en-{n}": n < 18 for n in range(20)}  # 18 of 20
    results |= {f"de-{n}": n < 6 for n in range(12)}  # 6 of 12
    results |= {f"fr-{n}": n < 3 for n in range(9)}  # 3 of 9: too few to flag
    results["untagged"] = False
    groups = {case: case.split("-")[0] for case in results if "-" in case}
    rates = group_rates(results, groups, pass_mark=0.8)
    assert [(r.group, r.passed, r.cases, r.flagged) for r in rates] == [
        ("en", 18, 20, False),
        ("de", 6, 12, True),
        ("fr", 3, 9, False),
    ]
    low, high = rates[0].interval
    assert (round(low * 100, 1), round(high * 100, 1)) == (69.9, 97.2)


def test_a_group_of_exactly_ten_below_the_mark_is_flagged_and_nine_is_not():
    ten = {f"c{n}": n < 7 for n in range(10)}
    nine = {f"c{n}": n < 6 for n in range(9)}
    assert group_rates(ten, dict.fromkeys(ten, "x"), 0.8)[0].flagged is True
    assert group_rates(nine, dict.fromkeys(nine, "x"), 0.8)[0].flagged is False


def test_a_group_at_the_mark_is_not_flagged():
    cases = {f"c{n}": n < 8 for n in range(10)}  # exactly 80 %
    assert group_rates(cases, dict.fromkeys(cases, "x"), 0.8)[0].flagged is False


def test_p95_by_nearest_rank():
    assert percentile_95([]) is None
    assert percentile_95([120.0]) == 120.0
    # 20 values 1..20: the 19th (ceil(0.95 · 20) = 19) is 19.
    assert percentile_95([float(n) for n in range(20, 0, -1)]) == 19.0
    # 21 values: ceil(19.95) = 20th.
    assert percentile_95([float(n) for n in range(1, 22)]) == 20.0
