"""The report rules of 2027.02: what decided the verdict, the nearest alternative, the experiment
that would change it, and why each question on the path was asked.

Pure functions on a definition and a complete result. Versions without question kinds (2026.11,
2027.01) have no report rules: report_rules() gives None for them, so their reports stay as
they were.

- Deciding answer: for `prepare`, the gate answer that led there (the last step); otherwise the
  last answer on the path to a decisive question.
- Nearest alternative: among the other options of the deciding question that lead directly to
  an outcome other than the verdict, the first in definition order; if none, the same rule on
  the decisive questions before it on the path, back to the start; None when none has one.
- Experiment: for the question the nearest alternative came from, one sentence per distinct
  outcome (not the verdict) its options lead to directly, in definition order, from the
  definition's templates.
- Why: each answered question on the path, in order, with its rationale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from decisions.flowchart.definition import NOT_READY_OUTCOME, Definition
from decisions.flowchart.evaluate import Result, Step
from decisions.flowchart.trials import Trial

# With the test-set size unknown, the templates' counts read as the pass mark. The first two
# wordings are the spec's; the others are the same rule for the templates that put the count
# of passes another way.
UNKNOWN_SIZE_WORDINGS = (
    ("your {n} cases", "your test set"),
    ("if {k} or more pass ({p}%)", "if it meets the pass mark ({p}%)"),
    ("while {k} or more still pass ({p}%)", "while it still meets the pass mark ({p}%)"),
    ("if one passes {k} or more ({p}%)", "if one meets the pass mark ({p}%)"),
)


@dataclass(frozen=True)
class WhyItem:
    node: str
    option: str
    rationale: str


@dataclass(frozen=True)
class ReportRules:
    deciding: str | None
    deciding_option: str | None
    nearest: str | None
    nearest_answer: dict | None  # {"node": ..., "option": ...}
    experiment: tuple[str, ...]
    why: tuple[WhyItem, ...]

    def to_dict(self) -> dict:
        return {
            "deciding": self.deciding,
            "deciding_option": self.deciding_option,
            "nearest": self.nearest,
            "nearest_answer": dict(self.nearest_answer) if self.nearest_answer else None,
            "experiment": list(self.experiment),
            "why": [
                {"node": item.node, "option": item.option, "rationale": item.rationale}
                for item in self.why
            ],
        }


def report_rules(
    definition: Definition, result: Result, *, test_set_size: int | None, pass_mark: float
) -> ReportRules | None:
    """The report rules for a complete result of a definition with question kinds, else None.

    `test_set_size` is the number of cases the experiment sentences count ({n}): the project's
    fixed test set, or, where it has none, the largest trial on the current model (the caller
    passes it; experiment_size() works it out from the evidence). None or 0 means unknown, and
    the sentences speak of "your test set" and the pass mark instead of counts. `pass_mark` is
    a fraction (0.8), shown in whole percent ({p}); {k} = ⌈p·n/100⌉ passes meet it.
    """
    if not definition.declares_kinds or not result.is_complete or not result.path:
        return None
    deciding_index = _deciding_index(definition, result)
    deciding = result.path[deciding_index] if deciding_index is not None else None
    nearest_step, nearest_option = _nearest(definition, result, deciding_index)
    experiment: tuple[str, ...] = ()
    if nearest_step is not None:
        experiment = _experiment(
            definition, nearest_step.node_id, result.outcome, test_set_size, pass_mark
        )
    return ReportRules(
        deciding=deciding.node_id if deciding else None,
        deciding_option=deciding.option_id if deciding else None,
        nearest=nearest_option.next if nearest_option else None,
        nearest_answer=(
            {"node": nearest_step.node_id, "option": nearest_option.id}
            if nearest_step and nearest_option
            else None
        ),
        experiment=experiment,
        why=tuple(
            WhyItem(step.node_id, step.option_id, definition.nodes[step.node_id].rationale or "")
            for step in result.path
        ),
    )


def experiment_size(test_set_size: int | None, trials: Sequence[Trial]) -> int | None:
    """{n} of the experiment sentences: the fixed test set's size, else the largest trial on
    the current model, else None (unknown)."""
    if test_set_size:
        return test_set_size
    own = [trial.cases for trial in trials if trial.on_current_model and trial.cases]
    return max(own) if own else None


def _deciding_index(definition: Definition, result: Result) -> int | None:
    if result.outcome == NOT_READY_OUTCOME:
        return len(result.path) - 1
    decisive = [i for i, step in enumerate(result.path) if not definition.is_gate(step.node_id)]
    return decisive[-1] if decisive else None


def _nearest(definition: Definition, result: Result, deciding_index: int | None):
    """(step, option) of the nearest alternative, or (None, None)."""
    if deciding_index is None:
        return None, None
    path = result.path
    earlier = [
        step for step in reversed(path[:deciding_index]) if not definition.is_gate(step.node_id)
    ]
    for step in [path[deciding_index], *earlier]:
        option = _other_outcome_option(definition, step, result.outcome)
        if option is not None:
            return step, option
    return None, None


def _other_outcome_option(definition: Definition, step: Step, verdict: str | None):
    for option in definition.nodes[step.node_id].options:
        if option.id == step.option_id:
            continue
        if option.next in definition.outcomes and option.next != verdict:
            return option
    return None


def _experiment(
    definition: Definition,
    node_id: str,
    verdict: str | None,
    test_set_size: int | None,
    pass_mark: float,
) -> tuple[str, ...]:
    outcomes = [
        option.next
        for option in definition.nodes[node_id].options
        if option.next in definition.outcomes and option.next != verdict
    ]
    templates = definition.experiments.get(node_id, {})
    return tuple(
        fill_template(
            templates[outcome_id],
            label=definition.outcomes[outcome_id].label,
            test_set_size=test_set_size,
            pass_mark=pass_mark,
        )
        for outcome_id in dict.fromkeys(outcomes)
        if outcome_id in templates
    )


def fill_template(template: str, *, label: str, test_set_size: int | None, pass_mark: float) -> str:
    """One experiment sentence: {n} cases, {k} passes at {p}%, and the outcome's {label}."""
    percent = round(pass_mark * 100)
    if test_set_size:
        # In integers, so 80% of 60 is 48, never 48.00000001 rounded up to 49.
        needed = (percent * test_set_size + 99) // 100
        text = template.replace("{n}", str(test_set_size)).replace("{k}", str(needed))
    else:
        text = template
        for known, unknown in UNKNOWN_SIZE_WORDINGS:
            text = text.replace(known, unknown)
    return text.replace("{p}", str(percent)).replace("{label}", label)
