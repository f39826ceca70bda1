"""The evidence rules 2027.02 adds or changes: they read the fixed test set, trials measured
case by case (McNemar between the last two revisions, groups below the pass mark), the Wilson
interval of the best trial and the dated vendor facts.

evidence.py applies them to definitions with question kinds (2027.02 on) and keeps the rules of
2026.11 and 2027.01 as they were. Messages use labels, never ids; prefills carry their reason
and never change the path by themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from decisions.flowchart import trials as trials_module
from decisions.flowchart.definition import Definition
from decisions.flowchart.evaluate import Result
from decisions.flowchart.findings import EvidenceWarning, Prefill
from decisions.flowchart.statistics import SIGNIFICANCE, cases_needed, paired_mid_p
from decisions.flowchart.trials import Trial, percent, wilson_interval

if TYPE_CHECKING:
    from decisions.flowchart.evidence import Evidence

READY_TO_TRAIN = 50
MOST_IN_A_SMALL_SET = 500
GROUP_CASES = 10  # a group with fewer cases says too little on its own
FACTS_GO_STALE_DAYS = 180
DATA_OPTIONS = ("50_to_500", "over_500")


def is_measured(definition: Definition | None) -> bool:
    """Whether a definition takes 2027.02's rules: the versions that declare question kinds."""
    return definition is not None and definition.declares_kinds


def _examples(count: int) -> str:
    return f"{count} example{'s' if count != 1 else ''}"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def own_trials(evidence: Evidence) -> list[Trial]:
    return [trial for trial in evidence.trials if trial.on_current_model]


# Prefills ------------------------------------------------------------------------------------


def data_prefill(evidence: Evidence) -> Prefill:
    """`test_split`: `data` from T, the examples with an expected output outside the test set."""
    total, training = evidence.with_expected_output, evidence.training_examples
    held = total - training
    if training < READY_TO_TRAIN:
        option = "under_50"
    elif training <= MOST_IN_A_SMALL_SET:
        option = "50_to_500"
    else:
        option = "over_500"
    reason = (
        f"{_examples(total)} {_have(total)} an expected output; {held} "
        f"{'is' if held == 1 else 'are'} in the test set, leaving {training} to train on."
    )
    return Prefill("data", option, reason, "test_split")


@dataclass(frozen=True)
class PairedGain:
    older: Trial
    newer: Trial
    gained: int  # b: the older failed, the newer passed
    lost: int  # c: the reverse
    mid_p: float

    @property
    def significant(self) -> bool:
        return self.gained > self.lost and self.mid_p < SIGNIFICANCE

    def describe(self) -> str:
        return (
            f"“{self.newer.label}” against “{self.older.label}”: {self.gained} "
            f"case{'s' if self.gained != 1 else ''} fixed and {self.lost} broken "
            f"(McNemar mid-p {self.mid_p:.3f})"
        )


def last_two_compared(own: Sequence[Trial], last_comparison: Mapping | None) -> PairedGain | None:
    """The last two trials on the current model, case by case on their shared ids; else the
    app's saved comparison of the same two (its `fixed` and `broken` counts); else None."""
    if len(own) < 2:
        return None
    older, newer = own[-2], own[-1]
    before, after = older.results_by_case, newer.results_by_case
    shared = before.keys() & after.keys()
    if shared:
        gained = sum(1 for case in shared if after[case] and not before[case])
        lost = sum(1 for case in shared if before[case] and not after[case])
    elif (
        last_comparison
        and last_comparison.get("earlier") == older.label
        and last_comparison.get("later") == newer.label
    ):
        gained, lost = last_comparison["fixed"], last_comparison["broken"]
    else:
        return None
    return PairedGain(older, newer, gained, lost, paired_mid_p(gained, lost))


@dataclass(frozen=True)
class WeakGroup:
    trial: Trial
    group: str
    passed: int
    cases: int

    def describe(self, pass_mark: float) -> str:
        trial = self.trial
        return (
            f"“{trial.label}” passes {trial.passed} of {trial.cases} ({percent(trial.rate)}), "
            f"but {self.group} passes {self.passed} of {self.cases} "
            f"({percent(self.passed / self.cases)}), below the pass mark of {percent(pass_mark)}."
        )


def weakest_group(
    trial: Trial, pass_mark: float, group_results: Sequence[Mapping] = ()
) -> WeakGroup | None:
    """The lowest group (ties: more cases) with 10+ of the trial's cases below the pass mark:
    from the trial's own per-case groups, else from the app's saved groups of that trial."""
    tally: dict[str, list[int]] = {}
    for result in trial.per_case or ():
        if result.group:
            counts = tally.setdefault(result.group, [0, 0])
            counts[0] += result.passed
            counts[1] += 1
    if not tally:
        for row in group_results:
            if row.get("trial") == trial.label:
                tally[row["group"]] = [row["passed"], row["cases"]]
    below = [
        WeakGroup(trial, group, passed, cases)
        for group, (passed, cases) in tally.items()
        if cases >= GROUP_CASES and passed / cases < pass_mark
    ]
    if not below:
        return None
    return min(below, key=lambda weak: (weak.passed / weak.cases, -weak.cases))


def prompt_effort_prefill(evidence: Evidence) -> Prefill:
    """2027.01's prefill from the trials on the current model, with two checks more: a latest
    trial that passes overall with a group below the mark is `slice_below`, and `exhausted`
    also needs no significant gain between the last two revisions (McNemar, case by case)."""
    own, mark = own_trials(evidence), evidence.pass_mark
    techniques = {term.id: term.label for term in evidence.vocabulary.techniques}
    option, reason = trials_module.prompt_effort_from_trials(own, mark, techniques)
    if option == "passes":
        weak = weakest_group(own[-1], mark, evidence.group_results)
        if weak:
            return Prefill("prompt_effort", "slice_below", weak.describe(mark), "slice_below")
    below_after_every_technique = (
        option in ("exhausted", "some_techniques")
        and len(own) >= trials_module.REVISIONS_FOR_EXHAUSTED
        and _every_technique_used(own, techniques)
    )
    if not below_after_every_technique:
        return Prefill("prompt_effort", option, reason, "trial_prefills")
    # Every technique used, 3+ revisions, the latest below the mark: case by case, the last
    # two decide; without shared per-case results 2027.01's interval test stands.
    compared = last_two_compared(own, evidence.last_comparison)
    if compared is None:
        return Prefill("prompt_effort", option, reason, "trial_prefills")
    if compared.significant:
        return Prefill(
            "prompt_effort",
            "some_techniques",
            f"Below the pass mark of {percent(mark)}, but the last two revisions show a "
            f"significant gain, {compared.describe()}: keep revising and measuring.",
            "no_significant_gain",
        )
    return Prefill(
        "prompt_effort",
        "exhausted",
        f"{len(own)} revisions used every technique, the latest is below the pass mark of "
        f"{percent(mark)}, and the last two show no significant gain: {compared.describe()}.",
        "no_significant_gain",
    )


def _every_technique_used(own: Sequence[Trial], techniques: Mapping[str, str]) -> bool:
    used = set().union(*(trial.techniques for trial in own)) if own else set()
    return set(techniques) <= used


def untried_labels(evidence: Evidence) -> list[str]:
    """Labels, to use mid-sentence, of the techniques recorded neither on an example nor in a
    trial on the current model."""
    used = set(evidence.techniques_tried).union(*(t.techniques for t in own_trials(evidence)))
    return [
        term.label[0].lower() + term.label[1:]
        for term in evidence.vocabulary.techniques
        if term.id not in used
    ]


def untried_step(evidence: Evidence) -> str | None:
    untried = untried_labels(evidence)
    if not untried:
        return None
    return (
        "Try the techniques neither your failed examples nor your trials on the current model "
        f"record as tried yet: {', '.join(untried)}."
    )


# Warnings ------------------------------------------------------------------------------------


def untried_techniques(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    if result.answer_on_path("prompt_effort") != "exhausted":
        return None
    untried = untried_labels(evidence)
    if not untried:
        return None
    return EvidenceWarning(
        "untried_techniques",
        "You say every technique was tried, but neither an example nor a trial on the current "
        f"model records these: {', '.join(untried)}.",
        lowers_confidence=True,
    )


def underpowered(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    """The best trial on the current model cannot tell its rate from the pass mark."""
    own, mark = own_trials(evidence), evidence.pass_mark
    if result.answer_on_path("prompt_effort") is None or not own:
        return None
    if result.answer_on_path("test_set") == "small":
        return None  # small_test_set already caps and says so: the two do not stack
    # Highest rate; on a tie the later trial.
    best = max(enumerate(own), key=lambda pair: (pair[1].rate, pair[0]))[1]
    low, high = wilson_interval(best.passed, best.cases)
    if not low <= mark <= high:
        return None
    needed = cases_needed(best.rate, mark)
    tell = (
        f"at {percent(best.rate)} it takes about {needed} cases to tell"
        if needed
        else "at exactly the pass mark no number of cases tells"
    )
    return EvidenceWarning(
        "underpowered",
        f"The best trial on the current model, “{best.label}”, passed {best.passed} of "
        f"{best.cases} ({percent(best.rate)}, 95% interval {low * 100:.0f}–{percent(high)}), "
        f"which includes the pass mark of {percent(mark)}: {tell}. Confidence is at most "
        "medium.",
        lowers_confidence=False,
    )


def effort_unrecorded(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    own = own_trials(evidence)
    if result.answer_on_path("prompt_effort") != "exhausted":
        return None
    if evidence.most_iterations >= 3 or len(own) >= trials_module.REVISIONS_FOR_EXHAUSTED:
        return None
    return EvidenceWarning(
        "effort_unrecorded",
        "You say prompting is exhausted, but the most iterations recorded on an example is "
        f"{evidence.most_iterations} and {len(own)} trial{'s' if len(own) != 1 else ''} on "
        "the current model "
        f"{'is' if len(own) == 1 else 'are'} recorded. Record the prompt revisions you measured.",
        lowers_confidence=True,
    )


def split_short(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    total, training = evidence.with_expected_output, evidence.training_examples
    if result.answer_on_path("data") not in DATA_OPTIONS:
        return None
    if total < READY_TO_TRAIN or training >= READY_TO_TRAIN:
        return None  # below 50 in all, beyond_evidence speaks instead
    held = total - training
    return EvidenceWarning(
        "split_short",
        f"{_examples(total)} {_have(total)} an expected output, but {held} "
        f"{'is' if held == 1 else 'are'} in the test set: {training} "
        f"remain{'s' if training == 1 else ''} to train on.",
        lowers_confidence=True,
    )


def training_data(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    """For training verdicts other than distillation, which trains on the strong model's
    outputs (distill_data says so)."""
    training = evidence.training_examples
    if result.outcome not in ("hybrid", "adapt", "pretrain") or training >= READY_TO_TRAIN:
        return None
    return EvidenceWarning(
        "training_data",
        f"Only {_examples(training)} outside the test set {_have(training)} an expected "
        "output. Training needs 10 at the minimum, 50–100 to see gains and 100–500 to change "
        "behavior markedly.",
        lowers_confidence=False,
    )


def distill_data(result: Result) -> EvidenceWarning | None:
    if result.outcome != "distill":
        return None
    return EvidenceWarning(
        "distill_data",
        "Distillation trains on the strong model's outputs that meet the pass mark, not on your "
        "examples: collect 100 or more (Amazon Bedrock recommends at least 100 prompt-response "
        "pairs) and keep the test set out of them.",
        lowers_confidence=False,
    )


def slice_below(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    own = own_trials(evidence)
    if result.answer_on_path("prompt_effort") != "passes" or not own:
        return None
    if not own[-1].meets(evidence.pass_mark):
        return None
    weak = weakest_group(own[-1], evidence.pass_mark, evidence.group_results)
    if weak is None:
        return None
    return EvidenceWarning(
        "slice_below",
        "You say the prompt meets the pass mark, but one group of cases stays below it: "
        + weak.describe(evidence.pass_mark),
        lowers_confidence=True,
    )


def significant_gain_contradiction(result: Result, evidence: Evidence) -> str:
    """trials_contradict's 2027.02 addition: exhausted while the last two show a gain."""
    if result.answer_on_path("prompt_effort") != "exhausted":
        return ""
    compared = last_two_compared(own_trials(evidence), evidence.last_comparison)
    if compared is None or not compared.significant:
        return ""
    return (
        "You say prompting is exhausted, but the last two revisions show a significant gain: "
        f"{compared.describe()}."
    )


def platform_closing(result: Result) -> EvidenceWarning | None:
    if result.answer_on_path("platform") != "openai_existing":
        return None
    return EvidenceWarning(
        "platform_closing",
        "OpenAI takes no new fine-tuning jobs after 6 January 2027; fine-tunes of GPT-4o and "
        "GPT-4.1 snapshots stop serving on 14 January 2027.",
        lowers_confidence=True,
    )


def facts_dated(
    result: Result, evidence: Evidence, definition: Definition
) -> EvidenceWarning | None:
    """On a path where vendor facts are shown, facts checked more than 180 days before the
    decision."""
    on_path = {step.node_id for step in result.path}
    if not on_path & {"platform", "distill_ready"} or not definition.vendor_facts:
        return None
    newest = max(row.checked_on for row in definition.vendor_facts)
    decided = evidence.decided_on or date.today()
    if (decided - newest).days <= FACTS_GO_STALE_DAYS:
        return None
    return EvidenceWarning(
        "facts_dated",
        f"Vendor facts were last checked on {long_date(newest)}: check the platform before "
        "acting on this verdict.",
        lowers_confidence=False,
    )


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


# The method step -----------------------------------------------------------------------------


def method_step(definition: Definition, result: Result, evidence: Evidence) -> str | None:
    """`training_method` for `hybrid` and `distill`, from the definition's [method] texts; None
    for other verdicts, and for `hybrid` with nothing to train on (the caller keeps 2027.01's
    step then)."""
    texts = definition.method
    if not is_measured(definition):
        return None
    if result.outcome == "distill":
        return texts["distill"]
    if result.outcome != "hybrid" or not evidence.training_examples:
        return None
    step = texts["hybrid"].replace("{examples}", _examples(evidence.training_examples))
    if evidence.preference_count > 0:
        step += texts["hybrid_preference"].replace("{preference}", str(evidence.preference_count))
    if result.answer_on_path("grader") == "yes":
        step += texts["hybrid_grader"]
    return step + "."
