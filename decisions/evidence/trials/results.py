"""What one trial file holds for one prompt on one model, whatever tool wrote it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TrialResults:
    results: dict[str, bool]  # case id -> passed
    model: str = ""  # what the file says ran, when it says
    label: str = ""
    groups: dict[str, str] = field(default_factory=dict)  # case id -> group, where known
    # From the tool's per-result cost (dollars) and latency, when the file has them.
    cost_per_1k: Decimal | None = None
    p95_latency_ms: int | None = None
    source: str = "csv"  # TrialSource's value
    # case id -> (runs passed, runs): only when the file ran cases more than once.
    case_runs: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(self.results.values())

    @property
    def repeats(self) -> int:
        """The most runs any case had: 1 for a file without repeats."""
        return max((runs for _, runs in self.case_runs.values()), default=1)

    def repeat_counts(self) -> dict[str, list[int]]:
        """Each case's [passed, runs], kept only when the file repeated its cases."""
        if self.repeats == 1:
            return {}
        return {case: [passed, runs] for case, (passed, runs) in self.case_runs.items()}


def one_line(text: str) -> str:
    return " ".join(text.split())
