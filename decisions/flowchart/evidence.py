"""The project's failed examples, summarized, and the spec's evidence rules.

Rules (the flowchart spec, "Evidence rules"): they are shown on the report and never
silently change the path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from decisions.flowchart.evaluate import Result
from decisions.projects.vocabulary import FAILURE_TYPE_IDS, TECHNIQUES

CONFIDENCE_LEVELS = ("low", "medium", "high")
TRAINING_VERDICTS = ("hybrid", "pretrain")
READY_TO_TRAIN_EXAMPLES = 50


class ExampleFacts(Protocol):
    failure_type: str
    techniques_tried: list[str]
    expected_output: str
    iterations: int


@dataclass(frozen=True)
class Evidence:
    failure_counts: Mapping[str, int] = field(default_factory=dict)
    techniques_tried: frozenset[str] = frozenset()
    with_expected_output: int = 0
    most_iterations: int = 0

    @property
    def example_count(self) -> int:
        return sum(self.failure_counts.values())

    @classmethod
    def from_examples(cls, examples: Iterable[ExampleFacts]) -> Evidence:
        counts = dict.fromkeys(FAILURE_TYPE_IDS, 0)
        tried: set[str] = set()
        with_expected = most_iterations = 0
        for example in examples:
            counts[example.failure_type] = counts.get(example.failure_type, 0) + 1
            tried.update(example.techniques_tried)
            with_expected += bool(example.expected_output.strip())
            most_iterations = max(most_iterations, example.iterations)
        return cls(counts, frozenset(tried), with_expected, most_iterations)

    @classmethod
    def from_dict(cls, data: Mapping) -> Evidence:
        """From the JSON shape of to_dict(); unknown ids are refused with a clear error."""
        counts = dict(data.get("failure_counts", {}))
        unknown = set(counts) - set(FAILURE_TYPE_IDS)
        if unknown:
            raise ValueError(f"unknown failure type(s): {', '.join(sorted(unknown))}")
        tried = frozenset(data.get("techniques_tried", ()))
        unknown = tried - {technique_id for technique_id, _ in TECHNIQUES}
        if unknown:
            raise ValueError(f"unknown technique(s): {', '.join(sorted(unknown))}")
        numbers = [*counts.values(), data.get("with_expected_output", 0)]
        numbers.append(data.get("most_iterations", 0))
        if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in numbers):
            raise ValueError("counts must be whole numbers of 0 or more")
        return cls(
            {type_id: counts.get(type_id, 0) for type_id in FAILURE_TYPE_IDS},
            tried,
            data.get("with_expected_output", 0),
            data.get("most_iterations", 0),
        )

    def to_dict(self) -> dict:
        return {
            "example_count": self.example_count,
            "failure_counts": {t: self.failure_counts.get(t, 0) for t in FAILURE_TYPE_IDS},
            "techniques_tried": [t for t, _ in TECHNIQUES if t in self.techniques_tried],
            "with_expected_output": self.with_expected_output,
            "most_iterations": self.most_iterations,
        }

    def untried_techniques(self) -> list[str]:
        """Labels of the techniques no example records as tried, to use mid-sentence."""
        return [
            label[0].lower() + label[1:]
            for t, label in TECHNIQUES
            if t not in self.techniques_tried
        ]


@dataclass(frozen=True)
class Prefill:
    node_id: str
    option_id: str
    reason: str


@dataclass(frozen=True)
class EvidenceWarning:
    code: str
    message: str
    # Warnings lower confidence one level; notes (thin evidence, training data) do not.
    lowers_confidence: bool

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "lowers_confidence": self.lowers_confidence,
        }


def symptom_prefill(evidence: Evidence) -> Prefill | None:
    """The most common failure type; a tie goes to the earlier type in the spec's table."""
    if evidence.example_count == 0:
        return None
    top = max(FAILURE_TYPE_IDS, key=lambda t: (evidence.failure_counts.get(t, 0), -_rank(t)))
    count = evidence.failure_counts[top]
    total = evidence.example_count
    examples = "example is" if total == 1 else "examples are"
    reason = f"{count} of {total} {examples} tagged {top}."
    return Prefill("symptom", top, reason)


def _rank(type_id: str) -> int:
    return FAILURE_TYPE_IDS.index(type_id)


def evidence_warnings(result: Result, evidence: Evidence) -> list[EvidenceWarning]:
    warnings = []
    total = evidence.example_count
    if total < 3:
        warnings.append(
            EvidenceWarning(
                "thin_evidence",
                f"Only {total} failed example{'s' if total != 1 else ''} recorded: confidence "
                "is at most low. Record at least 10 to support a decision.",
                lowers_confidence=False,
            )
        )
    elif total < 10:
        warnings.append(
            EvidenceWarning(
                "thin_evidence",
                f"Only {total} failed examples recorded: confidence is at most medium. "
                "Record at least 10 for a high-confidence decision.",
                lowers_confidence=False,
            )
        )
    symptom = result.answer_on_path("symptom")
    if symptom and total:
        for type_id in FAILURE_TYPE_IDS:
            count = evidence.failure_counts.get(type_id, 0)
            if type_id != symptom and count * 2 >= total:
                warnings.append(
                    EvidenceWarning(
                        "evidence_disagrees",
                        f"You answered {symptom} as the main symptom, but {count} of {total} "
                        f"examples are tagged {type_id}. Check the tags or the answer.",
                        lowers_confidence=True,
                    )
                )
                break
    if result.answer_on_path("prompt_effort") == "exhausted":
        untried = evidence.untried_techniques()
        if untried:
            warnings.append(
                EvidenceWarning(
                    "untried_techniques",
                    "You say every technique was tried, but no example records these as "
                    f"tried: {', '.join(untried)}.",
                    lowers_confidence=True,
                )
            )
    if result.outcome in TRAINING_VERDICTS and (
        evidence.with_expected_output < READY_TO_TRAIN_EXAMPLES
    ):
        warnings.append(
            EvidenceWarning(
                "training_data",
                f"Only {evidence.with_expected_output} example"
                f"{'s have' if evidence.with_expected_output != 1 else ' has'} an expected "
                "output. Training needs 10 at the minimum, 50–100 to see gains and 100–500 to "
                "change behavior markedly.",
                lowers_confidence=False,
            )
        )
    return warnings


def confidence(evidence: Evidence, warnings: list[EvidenceWarning]) -> str:
    """Starts high, one level lower per warning, capped by thin evidence; never below low."""
    level = len(CONFIDENCE_LEVELS) - 1
    level -= sum(1 for warning in warnings if warning.lowers_confidence)
    if evidence.example_count < 3:
        level = min(level, 0)
    elif evidence.example_count < 10:
        level = min(level, 1)
    return CONFIDENCE_LEVELS[max(level, 0)]
