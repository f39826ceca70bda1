"""Measured prompt trials: pass rates with their uncertainty, and what they say about the
questions on prompting, the test set and other models.

A trial is one prompt revision run on a test set: so many cases, so many passed. A pass rate on
few cases is uncertain, so every comparison uses the 95% Wilson score interval: 8 of 10 passing
is consistent with anything from about 49% to 94%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z_95 = 1.959964  # the normal quantile for a two-sided 95% interval
REVISIONS_FOR_EXHAUSTED = 3
# Cases in a test set (examples with an expected output, or a trial's cases) that make it
# large enough to measure a prompt on: the one threshold for both.
TEST_SET_READY = 50


def wilson_interval(passed: int, cases: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a pass rate, as (low, high) between 0 and 1."""
    if cases <= 0:
        return 0.0, 1.0
    rate = passed / cases
    denominator = 1 + z * z / cases
    centre = (rate + z * z / (2 * cases)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / cases + z * z / (4 * cases * cases)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class CaseResult:
    """One test case of a trial: its id in the test set (so trials compare on shared ids),
    whether it passed, and its group (a class, a language, a tier), if any."""

    case: str
    passed: bool
    group: str | None = None

    def to_dict(self) -> dict:
        return {
            "case": self.case,
            "passed": self.passed,
            **({"group": self.group} if self.group is not None else {}),
        }


@dataclass(frozen=True)
class Trial:
    label: str
    model: str
    run_on: str  # ISO date
    techniques: frozenset[str]
    cases: int
    passed: int
    # The model the feature uses today (False for a trial on another model).
    on_current_model: bool = True
    # Dollars per 1,000 requests and the 95th percentile latency, where measured.
    cost_per_1k: float | None = None
    p95_latency_ms: int | None = None
    # Case by case, where recorded (2027.02's `per_case`), and the median latency.
    per_case: tuple[CaseResult, ...] | None = None
    latency_ms: float | None = None

    @property
    def results_by_case(self) -> dict[str, bool]:
        return {result.case: result.passed for result in self.per_case or ()}

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.passed, self.cases)

    def meets(self, pass_mark: float) -> bool:
        return self.cases > 0 and self.rate >= pass_mark

    def to_dict(self) -> dict:
        low, high = self.interval
        return {
            "label": self.label,
            "model": self.model,
            "run_on": self.run_on,
            "techniques": sorted(self.techniques),
            "cases": self.cases,
            "passed": self.passed,
            "on_current_model": self.on_current_model,
            "low": round(low, 4),
            "high": round(high, 4),
            # Only when measured, so trials without them keep their earlier shape.
            **({"cost_per_1k": self.cost_per_1k} if self.cost_per_1k is not None else {}),
            **({"p95_latency_ms": self.p95_latency_ms} if self.p95_latency_ms is not None else {}),
            **({"latency_ms": self.latency_ms} if self.latency_ms is not None else {}),
            **(
                {"per_case": [result.to_dict() for result in self.per_case]}
                if self.per_case is not None
                else {}
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Trial:
        """From the JSON shape; `cost_per_request` (USD) is kept as `cost_per_1k`, and
        `per_case` must hold one result per case and as many passes as `passed`."""
        cost_per_1k = data.get("cost_per_1k")
        if cost_per_1k is None and data.get("cost_per_request") is not None:
            cost_per_1k = round(data["cost_per_request"] * 1000, 4)
        per_case = _per_case(data)
        return cls(
            label=data["label"],
            model=data["model"],
            run_on=data["run_on"],
            techniques=frozenset(data.get("techniques", ())),
            cases=data["cases"],
            passed=data["passed"],
            on_current_model=data.get("on_current_model", True),
            cost_per_1k=cost_per_1k,
            p95_latency_ms=data.get("p95_latency_ms"),
            per_case=per_case,
            latency_ms=data.get("latency_ms"),
        )


def _per_case(data: Mapping) -> tuple[CaseResult, ...] | None:
    rows = data.get("per_case")
    if rows is None:
        return None
    label = data.get("label", "?")
    try:
        results = tuple(
            CaseResult(str(row["case"]), row["passed"], row.get("group")) for row in rows
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(
            f"trial {label!r}: per_case rows need a case id and passed true or false"
        ) from error
    if any(not isinstance(result.passed, bool) for result in results):
        raise ValueError(f"trial {label!r}: per_case passed must be true or false")
    if len(results) != data["cases"]:
        raise ValueError(
            f"trial {label!r}: per_case holds {len(results)} results for {data['cases']} cases"
        )
    if len({result.case for result in results}) != len(results):
        raise ValueError(f"trial {label!r}: per_case names a case twice")
    passes = sum(result.passed for result in results)
    if passes != data["passed"]:
        raise ValueError(
            f"trial {label!r}: per_case holds {passes} pass{'es' if passes != 1 else ''}, but "
            f"passed is {data['passed']}"
        )
    return results


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def test_set_from_trials(trials: Sequence[Trial]) -> tuple[str, str] | None:
    """(option, reason) for `test_set` from the largest trial, or None without trials."""
    if not trials:
        return None
    largest = max(trials, key=lambda t: t.cases)
    option = "ready" if largest.cases >= TEST_SET_READY else "small"
    return option, f"The largest trial, “{largest.label}”, ran {largest.cases} cases."


def prompt_effort_from_trials(
    trials: Sequence[Trial], pass_mark: float, techniques: Mapping[str, str]
) -> tuple[str, str]:
    """(option, reason) for `prompt_effort` from the trials on the current model;
    `techniques` maps every technique id of the vocabulary to its label."""
    own = [t for t in trials if t.on_current_model]
    mark = percent(pass_mark)
    if not own:
        return "untested", "No trial on the current model is recorded yet."
    latest = own[-1]
    if latest.meets(pass_mark):
        return "passes", (
            f"The latest trial, “{latest.label}”, passed {latest.passed} of {latest.cases} "
            f"({percent(latest.rate)}), at or above the pass mark of {mark}."
        )
    used = set().union(*(t.techniques for t in own))
    unused = [label for technique_id, label in techniques.items() if technique_id not in used]
    if unused:
        return "some_techniques", (
            f"Below the pass mark of {mark}, and no trial used "
            f"{'this technique' if len(unused) == 1 else 'these techniques'} yet: "
            f"{', '.join(label[0].lower() + label[1:] for label in unused)}."
        )
    if len(own) >= REVISIONS_FOR_EXHAUSTED and not significant_gain(own):
        return "exhausted", (
            f"{len(own)} revisions used every technique, none reached {mark}, and the best of "
            f"the last three ({percent(best_of_last(own).rate)}) is inside the first one's "
            f"95% interval ({_interval_text(own[0])})."
        )
    return "some_techniques", (
        f"Below the pass mark of {mark}, but {len(own)} measured revision"
        f"{'s' if len(own) != 1 else ''} still show room: keep revising and measuring."
    )


def best_of_last(trials: Sequence[Trial]) -> Trial:
    return max(trials[-REVISIONS_FOR_EXHAUSTED:], key=lambda t: t.rate)


def significant_gain(trials: Sequence[Trial]) -> bool:
    """Whether the best of the last three revisions lies above the first one's interval."""
    _, first_high = trials[0].interval
    return best_of_last(trials).rate > first_high


def other_models_from_trials(trials: Sequence[Trial], pass_mark: float) -> tuple[str, str] | None:
    """(option, reason) for `stronger_model` from trials on other models, or None."""
    others = [t for t in trials if not t.on_current_model]
    if not others:
        return None
    passing = [t for t in others if t.meets(pass_mark)]
    if passing:
        best = max(passing, key=lambda t: t.rate)
        return "passes", (
            f"“{best.label}” on {best.model} passed {percent(best.rate)}, at or above the "
            f"pass mark of {percent(pass_mark)}."
        )
    models = sorted({t.model for t in others})
    return "all_fail", (
        f"Trials on {', '.join(models)} stayed below the pass mark of {percent(pass_mark)}."
    )


def smaller_model_from_trials(trials: Sequence[Trial], pass_mark: float) -> tuple[str, str] | None:
    """(option, reason) for `smaller_model` from trials on other models, or None."""
    found = other_models_from_trials(trials, pass_mark)
    if found is None:
        return None
    option, reason = found
    return ("one_passes" if option == "passes" else "fall_short"), reason


def contradiction(answer: str | None, trials: Sequence[Trial], pass_mark: float) -> str:
    """Why the PM's `prompt_effort` answer disagrees with the trials, or ""."""
    own = [t for t in trials if t.on_current_model]
    if not own or answer is None:
        return ""
    latest = own[-1]
    if answer == "exhausted" and latest.meets(pass_mark):
        return (
            f"You say prompting is exhausted, but the latest trial, “{latest.label}”, passed "
            f"{percent(latest.rate)}, at or above the pass mark of {percent(pass_mark)}."
        )
    if answer == "exhausted" and len(own) < REVISIONS_FOR_EXHAUSTED:
        return (
            f"You say prompting is exhausted, but only {_count(len(own), 'trial')} "
            f"{'is' if len(own) == 1 else 'are'} recorded; it takes "
            f"{REVISIONS_FOR_EXHAUSTED} measured revisions to show it."
        )
    if answer == "passes" and not latest.meets(pass_mark):
        return (
            f"You say the prompt meets the pass mark, but the latest trial, “{latest.label}”, "
            f"passed {percent(latest.rate)}, below {percent(pass_mark)}."
        )
    if answer == "untested":
        verb = "is" if len(own) == 1 else "are"
        return f"You say the prompt is untested, but {_count(len(own), 'trial')} {verb} recorded."
    return ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _interval_text(trial: Trial) -> str:
    low, high = trial.interval
    return f"{percent(low)}–{percent(high)}"
