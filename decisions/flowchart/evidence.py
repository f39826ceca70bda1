"""The project's failed examples, summarized, and the spec's evidence rules.

Rules (the flowchart spec, "Evidence rules"): they are shown on the report and never silently
change the path. Each has a code; a definition declares which rules it applies (definition.py
checks that the questions and options a rule relies on exist). Messages name failure types
and techniques by their labels, never by their ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from decisions.flowchart import measured_rules
from decisions.flowchart import trials as trials_module
from decisions.flowchart.definition import FIRST_RULES, FIRST_TRAINING_OUTCOMES, Definition
from decisions.flowchart.evaluate import Result
from decisions.flowchart.findings import EvidenceWarning, Prefill
from decisions.flowchart.trials import Trial
from decisions.flowchart.vocabulary import FIRST_VOCABULARY, Vocabulary

CONFIDENCE_LEVELS = ("low", "medium", "high")
READY_TO_TRAIN_EXAMPLES = 50
RECORDED_EFFORT = 3  # iterations on one example that show prompting was really worked on
DEFAULT_PASS_MARK = 0.8


def _test_set_numbers(data: Mapping, with_expected: int) -> tuple[int | None, int | None]:
    """(test_set_size, training_count) from either the saved shape ("test_set": {"size",
    "training"}) or decide's keys (test_set_size; held_out, giving T = with_expected − held_out)."""
    saved = data.get("test_set") or {}
    size, training = saved.get("size"), saved.get("training")
    if "test_set_size" in data:
        size = data["test_set_size"] or None  # 0 or absent: no test set
    held_out = data.get("held_out")
    if held_out is not None:
        if held_out > with_expected:
            raise ValueError(
                f"held_out ({held_out}) is more than with_expected_output ({with_expected})"
            )
        training = with_expected - held_out
    return size, training


def _preference_pairs(data: Mapping, with_expected: int) -> int | None:
    pairs = data.get("preference_pairs")
    if pairs is None:
        return None
    training = with_expected - (data.get("held_out") or 0)
    if pairs > training:
        raise ValueError(
            f"preference_pairs ({pairs}) is more than the {training} examples to train on"
        )
    return pairs


def _decided_on(text) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise ValueError(f"decided_on {text!r} is not an ISO date (YYYY-MM-DD)") from error


@dataclass(frozen=True)
class ExampleGroup:
    """The examples of one failure type with one set of techniques tried."""

    failure_type: str
    techniques_tried: tuple[str, ...]
    count: int
    with_expected_output: int
    most_iterations: int


@dataclass(frozen=True)
class Evidence:
    failure_counts: Mapping[str, int] = field(default_factory=dict)
    techniques_tried: frozenset[str] = frozenset()
    with_expected_output: int = 0
    most_iterations: int = 0
    vocabulary: Vocabulary = field(default=FIRST_VOCABULARY, compare=False, repr=False)
    # Measured prompt trials, oldest first, and the pass mark they are judged against.
    trials: tuple[Trial, ...] = ()
    pass_mark: float = DEFAULT_PASS_MARK
    # The project's held-out test set, when one is chosen: its size and the examples left to
    # train on (with an expected output, outside it).
    test_set_size: int | None = None
    training_count: int | None = None
    # Measured case by case: the latest grouped trial's rate per group, and the latest
    # revision against the one before it on the same cases (plain dicts, as saved).
    group_results: tuple[Mapping, ...] = ()
    last_comparison: Mapping | None = None
    # 2027.02: of the examples with an expected output, those in the test set (they give
    # training_count when it is not given directly), those of the rest that also record the bad
    # output (None: all of them), and the day the decision is made (None: today).
    held_out: int | None = None
    preference_pairs: int | None = None
    decided_on: date | None = None
    # The test set's version (the app's TestSet.version) when one is chosen and known: a saved
    # decision is stale once the project's test set has another (records/staleness.py).
    test_set_version: int | None = None

    @property
    def training_examples(self) -> int:
        """T: the examples with an expected output outside the test set."""
        if self.training_count is not None:
            return self.training_count
        return self.with_expected_output

    @property
    def preference_count(self) -> int:
        """P: of the T, those that also record the bad output (default: all of them)."""
        if self.preference_pairs is not None:
            return self.preference_pairs
        return self.training_examples

    @property
    def example_count(self) -> int:
        return sum(self.failure_counts.values())

    @classmethod
    def from_groups(
        cls, groups: Iterable[ExampleGroup], vocabulary: Vocabulary = FIRST_VOCABULARY
    ) -> Evidence:
        """From the project's examples grouped by failure type and techniques tried (a few
        rows whatever the number of examples): how the app reads them (evidence/aggregate.py)."""
        counts = dict.fromkeys(vocabulary.failure_type_ids, 0)
        tried: set[str] = set()
        with_expected = most_iterations = 0
        for group in groups:
            counts[group.failure_type] = counts.get(group.failure_type, 0) + group.count
            tried.update(group.techniques_tried)
            with_expected += group.with_expected_output
            most_iterations = max(most_iterations, group.most_iterations)
        return cls(counts, frozenset(tried), with_expected, most_iterations, vocabulary)

    @classmethod
    def from_dict(cls, data: Mapping, vocabulary: Vocabulary = FIRST_VOCABULARY) -> Evidence:
        """From the JSON shape of to_dict(); unknown ids are refused with a clear error."""
        counts = dict(data.get("failure_counts", {}))
        unknown = set(counts) - set(vocabulary.failure_type_ids)
        if unknown:
            raise ValueError(f"unknown failure type(s): {', '.join(sorted(unknown))}")
        tried = frozenset(data.get("techniques_tried", ()))
        unknown = tried - set(vocabulary.technique_ids)
        if unknown:
            raise ValueError(f"unknown technique(s): {', '.join(sorted(unknown))}")
        numbers = [*counts.values(), data.get("with_expected_output", 0)]
        numbers.append(data.get("most_iterations", 0))
        numbers += [data.get(key) or 0 for key in ("test_set_size", "held_out", "preference_pairs")]
        if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in numbers):
            raise ValueError("counts must be whole numbers of 0 or more")
        with_expected = data.get("with_expected_output", 0)
        return cls(
            {type_id: counts.get(type_id, 0) for type_id in vocabulary.failure_type_ids},
            tried,
            with_expected,
            data.get("most_iterations", 0),
            vocabulary,
            tuple(Trial.from_dict(trial) for trial in data.get("trials", ())),
            data.get("pass_mark", DEFAULT_PASS_MARK),
            *_test_set_numbers(data, with_expected),
            tuple(data.get("groups", ())),
            data.get("last_comparison"),
            data.get("held_out"),
            _preference_pairs(data, with_expected),
            _decided_on(data.get("decided_on")),
            (data.get("test_set") or {}).get("version"),
        )

    def to_dict(self) -> dict:
        # The vocabulary's order, then any tag this version does not know (kept, never lost).
        order = self.vocabulary.failure_type_ids
        order += [type_id for type_id in self.failure_counts if type_id not in order]
        return {
            "example_count": self.example_count,
            "failure_counts": {t: self.failure_counts.get(t, 0) for t in order},
            "techniques_tried": [
                t for t in self.vocabulary.technique_ids if t in self.techniques_tried
            ],
            "with_expected_output": self.with_expected_output,
            "most_iterations": self.most_iterations,
            # Only with trials, so evidence without them keeps its earlier shape.
            **(
                {
                    "pass_mark": self.pass_mark,
                    "trials": [trial.to_dict() for trial in self.trials],
                }
                if self.trials
                else {}
            ),
            # Each only when known, so evidence without them keeps its earlier shape.
            **(
                {
                    "test_set": {
                        "size": self.test_set_size,
                        "training": self.training_count,
                        # Only when known, so a test set saved without it keeps its shape.
                        **(
                            {"version": self.test_set_version}
                            if self.test_set_version is not None
                            else {}
                        ),
                    }
                }
                if self.test_set_size is not None
                else {}
            ),
            **({"groups": list(self.group_results)} if self.group_results else {}),
            **({"last_comparison": dict(self.last_comparison)} if self.last_comparison else {}),
            **({"held_out": self.held_out} if self.held_out is not None else {}),
            **(
                {"preference_pairs": self.preference_pairs}
                if self.preference_pairs is not None
                else {}
            ),
            **({"decided_on": self.decided_on.isoformat()} if self.decided_on else {}),
        }

    def untried_techniques(self) -> list[str]:
        """Labels of the techniques no example records as tried, to use mid-sentence."""
        return [
            term.label[0].lower() + term.label[1:]
            for term in self.vocabulary.techniques
            if term.id not in self.techniques_tried
        ]

    def failure_label(self, type_id: str) -> str:
        return self.vocabulary.failure_label(type_id)


def _examples(count: int) -> str:
    return f"{count} example{'s' if count != 1 else ''}"


def symptom_prefill(evidence: Evidence) -> Prefill | None:
    """The most common failure type; a tie goes to the earlier type in the vocabulary."""
    if evidence.example_count == 0:
        return None
    ids = evidence.vocabulary.failure_type_ids
    top = max(ids, key=lambda t: (evidence.failure_counts.get(t, 0), -ids.index(t)))
    count = evidence.failure_counts[top]
    total = evidence.example_count
    verb = "is" if total == 1 else "are"
    reason = f"{count} of {_examples(total)} {verb} tagged {evidence.failure_label(top)}."
    return Prefill("symptom", top, reason)


def suggested_test_set(evidence: Evidence) -> Prefill:
    """How big a test set the project has: the one it holds out once chosen, else the failed
    examples with an expected output, which could make one."""
    chosen = evidence.test_set_size is not None
    count = evidence.test_set_size if chosen else evidence.with_expected_output
    option = "ready" if count >= trials_module.TEST_SET_READY else "small" if count else "none"
    if chosen:
        reason = f"The project's test set holds out {_examples(count)}."
    else:
        reason = f"{_examples(count)} {'has' if count == 1 else 'have'} an expected output."
    return Prefill("test_set", option, reason)


def prefills(definition: Definition, evidence: Evidence) -> dict[str, Prefill]:
    """The answers the evidence suggests, by question: shown with their reason, never forced."""
    found = {"symptom": symptom_prefill(evidence)}
    if "test_set_prefill" in definition.rules:
        found["test_set"] = suggested_test_set(evidence)
        if measured_rules.is_measured(definition):
            found["test_set"] = replace(found["test_set"], code="test_set_prefill")
    if "trial_prefills" in definition.rules:
        from_trials = trial_prefills(evidence)
        if measured_rules.is_measured(definition):
            from_trials = {
                node_id: replace(prefill, code="trial_prefills") if prefill else None
                for node_id, prefill in from_trials.items()
            }
            from_trials["prompt_effort"] = measured_rules.prompt_effort_prefill(evidence)
            if evidence.test_set_size:
                # The fixed test set is the one the pass mark is judged on: it beats a trial.
                from_trials.pop("test_set", None)
        found.update(from_trials)
    if "test_split" in definition.rules:
        found["data"] = measured_rules.data_prefill(evidence)
    return {node_id: prefill for node_id, prefill in found.items() if prefill}


def trial_prefills(evidence: Evidence) -> dict[str, Prefill | None]:
    """What measured trials say; a trial's size beats the count of examples for `test_set`."""
    trials, mark = evidence.trials, evidence.pass_mark
    techniques = {term.id: term.label for term in evidence.vocabulary.techniques}
    found: dict[str, Prefill | None] = {
        "prompt_effort": Prefill(
            "prompt_effort", *trials_module.prompt_effort_from_trials(trials, mark, techniques)
        )
    }
    for node_id, suggest in (
        ("test_set", trials_module.test_set_from_trials(trials)),
        ("stronger_model", trials_module.other_models_from_trials(trials, mark)),
        ("smaller_model", trials_module.smaller_model_from_trials(trials, mark)),
    ):
        if suggest:
            found[node_id] = Prefill(node_id, *suggest)
    return found


def evidence_warnings(
    result: Result, evidence: Evidence, definition: Definition | None = None
) -> list[EvidenceWarning]:
    if measured_rules.is_measured(definition):
        checks = _measured_checks(result, evidence, definition)
        return [warning for warning in checks if warning]
    # Without a definition, the first version's rules (as a definition without [rules] has).
    rules = set(definition.rules if definition else FIRST_RULES)
    training_outcomes = definition.training_outcomes if definition else FIRST_TRAINING_OUTCOMES
    checks = [
        _no_or_thin_evidence(evidence, rules),
        _evidence_disagrees(result, evidence) if "evidence_disagrees" in rules else None,
        _untried(result, evidence) if "untried_techniques" in rules else None,
        _small_test_set(result) if "small_test_set" in rules else None,
        _effort_unrecorded(result, evidence) if "effort_unrecorded" in rules else None,
        _beyond_evidence(result, evidence) if "beyond_evidence" in rules else None,
        _training_data(evidence)
        if "training_data" in rules and result.outcome in training_outcomes
        else None,
        _trials_contradict(result, evidence) if "trials_contradict" in rules else None,
    ]
    return [warning for warning in checks if warning]


def _measured_checks(result: Result, evidence: Evidence, definition: Definition) -> list:
    """2027.02's rules, in the order their warnings are listed."""
    rules = set(definition.rules)
    on = measured_rules
    cost = result.answer_on_path("symptom") == "cost"  # not a failure type: tags may be any
    checks = {
        "no_evidence": _no_or_thin_evidence(evidence, rules),
        "evidence_disagrees": None if cost else _evidence_disagrees(result, evidence),
        "untried_techniques": on.untried_techniques(result, evidence),
        "small_test_set": _small_test_set(result),
        "underpowered": on.underpowered(result, evidence),
        "effort_unrecorded": on.effort_unrecorded(result, evidence),
        "beyond_evidence": _beyond_evidence(result, evidence),
        "test_split": on.split_short(result, evidence),
        "training_data": on.training_data(result, evidence),
        "distill_data": on.distill_data(result),
        "slice_below": on.slice_below(result, evidence),
        "trials_contradict": _trials_contradict(result, evidence)
        or _contradiction(on.significant_gain_contradiction(result, evidence)),
        "platform_closing": on.platform_closing(result),
        "facts_dated": on.facts_dated(result, evidence, definition),
    }
    return [warning for rule, warning in checks.items() if rule in rules]


def _contradiction(message: str) -> EvidenceWarning | None:
    return (
        EvidenceWarning("trials_contradict", message, lowers_confidence=True) if message else None
    )


def _no_or_thin_evidence(evidence: Evidence, rules: set[str]) -> EvidenceWarning | None:
    total = evidence.example_count
    if total == 0 and "no_evidence" in rules:
        return EvidenceWarning(
            "no_evidence",
            "No failed example is recorded for this project, so nothing here checks the "
            "answers: confidence is low. Add or import the outputs that went wrong.",
            lowers_confidence=False,
        )
    if "thin_evidence" not in rules or total >= 10:
        return None
    cap = "low" if total < 3 else "medium"
    wanted = "10 to support a decision" if total < 3 else "10 for a high-confidence decision"
    return EvidenceWarning(
        "thin_evidence",
        f"Only {total} failed example{'s' if total != 1 else ''} recorded: confidence is at "
        f"most {cap}. Record at least {wanted}.",
        lowers_confidence=False,
    )


def _evidence_disagrees(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    symptom, total = result.answer_on_path("symptom"), evidence.example_count
    if not symptom or not total:
        return None
    for type_id in evidence.vocabulary.failure_type_ids:
        count = evidence.failure_counts.get(type_id, 0)
        if type_id != symptom and count * 2 >= total:
            return EvidenceWarning(
                "evidence_disagrees",
                f"You answered “{evidence.failure_label(symptom)}” as the main symptom, but "
                f"{count} of {total} examples are tagged {evidence.failure_label(type_id)}. "
                "Check the tags or the answer.",
                lowers_confidence=True,
            )
    return None


def _untried(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    untried = evidence.untried_techniques()
    if result.answer_on_path("prompt_effort") != "exhausted" or not untried:
        return None
    return EvidenceWarning(
        "untried_techniques",
        "You say every technique was tried, but no example records these as "
        f"tried: {', '.join(untried)}.",
        lowers_confidence=True,
    )


def _small_test_set(result: Result) -> EvidenceWarning | None:
    if result.answer_on_path("test_set") != "small":
        return None
    return EvidenceWarning(
        "small_test_set",
        "Your test set has fewer than 50 cases, so its pass rate is uncertain: 8 of 10 "
        "passing has a 95% Wilson interval of about 49–94%. Confidence is at most medium.",
        lowers_confidence=False,
    )


def _effort_unrecorded(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    if result.answer_on_path("prompt_effort") != "exhausted":
        return None
    if evidence.most_iterations >= RECORDED_EFFORT:
        return None
    return EvidenceWarning(
        "effort_unrecorded",
        "You say prompting is exhausted, but the most iterations recorded on an example is "
        f"{evidence.most_iterations}. Record the prompt revisions you measured.",
        lowers_confidence=True,
    )


def _beyond_evidence(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    expected = evidence.with_expected_output
    if result.answer_on_path("data") not in ("50_to_500", "over_500"):
        return None
    if expected >= READY_TO_TRAIN_EXAMPLES:
        return None
    return EvidenceWarning(
        "beyond_evidence",
        f"You expect 50 or more reviewed examples to train on; this project records {expected} "
        f"with an expected output. Record them here, so the decision shows the data it "
        "relies on.",
        lowers_confidence=False,
    )


def _training_data(evidence: Evidence) -> EvidenceWarning | None:
    count = evidence.with_expected_output
    if count >= READY_TO_TRAIN_EXAMPLES:
        return None
    return EvidenceWarning(
        "training_data",
        f"Only {count} example{'s have' if count != 1 else ' has'} an expected output. "
        "Training needs 10 at the minimum, 50–100 to see gains and 100–500 to change "
        "behavior markedly.",
        lowers_confidence=False,
    )


def _trials_contradict(result: Result, evidence: Evidence) -> EvidenceWarning | None:
    message = trials_module.contradiction(
        result.answer_on_path("prompt_effort"), evidence.trials, evidence.pass_mark
    )
    if not message:
        return None
    return EvidenceWarning("trials_contradict", message, lowers_confidence=True)


def confidence(evidence: Evidence, warnings: list[EvidenceWarning]) -> str:
    """Starts high, one level lower per warning, capped by thin evidence and a small test
    set; never below low."""
    codes = {warning.code for warning in warnings}
    level = len(CONFIDENCE_LEVELS) - 1
    level -= sum(1 for warning in warnings if warning.lowers_confidence)
    if evidence.example_count < 3:
        level = min(level, 0)
    elif evidence.example_count < 10 or codes & {"small_test_set", "underpowered"}:
        level = min(level, 1)
    return CONFIDENCE_LEVELS[max(level, 0)]
