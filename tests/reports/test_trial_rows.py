"""The report's trials table says whether each trial meets the pass mark: exactly the mark
meets it, one case fewer does not."""

from __future__ import annotations

from decisions.reports.context import saved_trials


def trial(label: str, passed: int, cases: int = 60) -> dict:
    return {
        "label": label,
        "model": "gpt-x",
        "run_on": "2026-11-01",
        "techniques": [],
        "cases": cases,
        "passed": passed,
        "on_current_model": True,
        "low": 0.0,
        "high": 1.0,
    }


def test_a_trial_at_exactly_the_pass_mark_meets_it_and_one_case_fewer_does_not():
    saved = saved_trials({"trials": [trial("v1", 48), trial("v2", 47)], "pass_mark": 0.8})
    assert [(row["label"], row["meets"]) for row in saved["trials"]] == [
        ("v1", True),
        ("v2", False),
    ]
    assert saved["pass_mark_percent"] == 80
