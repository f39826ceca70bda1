"""What the evidence rules produce: a suggested answer with its reason, or a warning. Shared by
evidence.py (the rules of every version) and measured_rules.py (those 2027.02 adds or changes)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prefill:
    node_id: str
    option_id: str
    reason: str
    # The rule that suggested it (2027.02's prefills; "" before): shown, never compared, so
    # prefills of earlier versions stay equal to what their tests expect.
    code: str = field(default="", compare=False)


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
