"""What the trials page says about a project's trials beyond their pass rates: each trial
against its predecessor on the same cases, the groups of the latest grouped trial, whether the
best trial clears the pass mark (and how many cases would tell), and models side by side on
pass rate, cost and latency. The statistics are the flowchart's (flowchart/statistics.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from decisions.evidence.models import PromptTrial
from decisions.flowchart.statistics import (
    Comparison,
    GroupRate,
    cases_to_clear,
    cases_to_detect,
    compare_paired,
    group_rates,
)
from decisions.flowchart.trials import wilson_interval
from decisions.projects.models import Project


@dataclass(frozen=True)
class PairedRow:
    """A trial against the trial before it on the same model, on the cases both ran."""

    earlier: PromptTrial
    later: PromptTrial
    comparison: Comparison
    cases_to_detect: int | None

    @property
    def sentence(self) -> str:
        counts = self.comparison.counts
        verdict = self.comparison.verdict
        if verdict == "not distinguishable":
            head = f"“{self.later.label}” is not distinguishable from “{self.earlier.label}”"
        else:
            head = f"“{self.later.label}” is {verdict} than “{self.earlier.label}”"
        return (
            f"{head} on the {counts.cases} cases both ran: {counts.second_only} fixed, "
            f"{counts.first_only} broken (McNemar mid-p {self.comparison.p_value:.3f})."
        )


@dataclass(frozen=True)
class BestTrial:
    trial: PromptTrial
    low: float
    high: float
    clears: bool
    cases_needed: int | None  # when it does not clear: cases at which its rate would


@dataclass(frozen=True)
class ModelRow:
    model: str
    trial: PromptTrial  # its best trial
    requests: int | None = None  # the project's monthly volume

    @property
    def rate(self) -> float:
        return self.trial.rate

    @property
    def monthly_cost(self) -> Decimal | None:
        cost = self.trial.cost_per_1k_requests
        if cost is None or not self.requests:
            return None
        return cost * self.requests / 1000


@dataclass(frozen=True)
class MonthlyDifference:
    cheaper: ModelRow
    dearer: ModelRow
    dollars: Decimal
    requests: int

    @property
    def requests_text(self) -> str:
        return f"{self.requests:,}"


def model_key(model: str) -> str:
    """One name per model however a tool spells it: "openai:gpt-4o" and "GPT-4o" are one."""
    return re.sub(r"[^a-z0-9]", "", model.rsplit(":", 1)[-1].lower())


def predecessor_rows(trials: list[PromptTrial]) -> list[PairedRow]:
    """Each trial with per-case results against the latest earlier one on the same model
    that ran some of the same cases (trials on other cases cannot be compared)."""
    rows, earlier_on_model = [], {}
    for trial in trials:
        if not trial.results:
            continue
        earlier_ones = earlier_on_model.setdefault(model_key(trial.model_display), [])
        for earlier in reversed(earlier_ones):
            comparison = compare_paired(earlier.results, trial.results)
            counts = comparison.counts
            if counts.cases:
                needed = cases_to_detect(
                    counts.first_only / counts.cases, counts.second_only / counts.cases
                )
                rows.append(PairedRow(earlier, trial, comparison, needed))
                break
        earlier_ones.append(trial)
    return rows


def latest_groups(
    trials: list[PromptTrial], pass_mark: float
) -> tuple[PromptTrial | None, list[GroupRate]]:
    """The latest trial whose cases carry groups, and its rate per group."""
    for trial in reversed(trials):
        if trial.case_groups and trial.results:
            return trial, group_rates(trial.results, trial.case_groups, pass_mark)
    return None, []


def best_trial(trials: list[PromptTrial], pass_mark: float) -> BestTrial | None:
    if not trials:
        return None
    best = max(trials, key=lambda trial: (trial.rate, trial.cases))
    low, high = wilson_interval(best.passed, best.cases)
    clears = low > pass_mark
    needed = None if clears else cases_to_clear(best.rate, pass_mark)
    return BestTrial(best, low, high, clears, needed)


def model_rows(trials: list[PromptTrial], requests: int | None = None) -> list[ModelRow]:
    """Each model's best trial, best pass rate first, with what it costs a month at the
    project's volume when both are known."""
    best: dict[str, PromptTrial] = {}
    for trial in trials:
        key = model_key(trial.model_display)
        kept = best.get(key)
        if kept is None or (trial.rate, trial.cases) > (kept.rate, kept.cases):
            best[key] = trial
    rows = [ModelRow(trial.model_display, trial, requests) for trial in best.values()]
    return sorted(rows, key=lambda row: -row.rate)


def monthly_difference(rows: list[ModelRow], requests: int | None) -> MonthlyDifference | None:
    """For exactly two models with a cost each: what the dearer one costs more a month."""
    priced = [row for row in rows if row.trial.cost_per_1k_requests is not None]
    if len(rows) != 2 or len(priced) != 2 or not requests:
        return None
    cheaper, dearer = sorted(priced, key=lambda row: row.trial.cost_per_1k_requests)
    gap = dearer.trial.cost_per_1k_requests - cheaper.trial.cost_per_1k_requests
    return MonthlyDifference(cheaper, dearer, gap * requests / 1000, requests)


def trials_analysis(project: Project, trials: list[PromptTrial]) -> dict:
    pass_mark = project.pass_mark / 100
    grouped_trial, groups = latest_groups(trials, pass_mark)
    models = model_rows(trials, project.monthly_requests)
    return {
        "paired_rows": predecessor_rows(trials),
        "grouped_trial": grouped_trial,
        "group_rates": groups,
        "best": best_trial(trials, pass_mark),
        "model_rows": models if len(models) > 1 else [],
        "monthly": monthly_difference(models, project.monthly_requests),
        "monthly_requests_text": f"{project.monthly_requests:,}"
        if project.monthly_requests
        else "",
    }
