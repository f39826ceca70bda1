"""A result explained: confidence, warnings, what would change the verdict, next steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decisions.flowchart import measured_rules
from decisions.flowchart.definition import Definition, Outcome
from decisions.flowchart.evaluate import Result, evaluate
from decisions.flowchart.evidence import (
    Evidence,
    EvidenceWarning,
    Prefill,
    confidence,
    evidence_warnings,
    prefills,
)
from decisions.flowchart.report_rules import ReportRules, experiment_size, report_rules

# Outcomes whose advice is to work on the prompt now: they get the untried-techniques step.
PROMPT_NOW_OUTCOMES = ("prompt", "prepare")


@dataclass(frozen=True)
class Counterfactual:
    node_id: str
    question: str
    option_id: str
    option_label: str
    outcome: str | None
    next_node: str | None
    message: str

    def to_dict(self) -> dict:
        return {
            "node": self.node_id,
            "option": self.option_id,
            "outcome": self.outcome,
            "next_node": self.next_node,
            "message": self.message,
        }


@dataclass(frozen=True)
class Explanation:
    definition: Definition
    result: Result
    evidence: Evidence
    prefills: Mapping[str, Prefill]
    warnings: tuple[EvidenceWarning, ...]
    confidence: str
    counterfactuals: tuple[Counterfactual, ...]
    next_steps: tuple[str, ...]
    # The report rules (2027.02 on, complete runs only): None keeps older documents as they were.
    report: ReportRules | None = None

    @property
    def outcome(self) -> Outcome | None:
        return self.definition.outcomes.get(self.result.outcome)

    def to_dict(self) -> dict:
        """The stable JSON document of `manage.py decide --json` and saved decisions."""
        result = self.result
        return {
            "version": result.version,
            "definition_hash": self.definition.content_hash,
            "status": result.status,
            "outcome": result.outcome,
            "verdict": self.outcome.verdict if self.outcome else None,
            "path": [
                {
                    "node": step.node_id,
                    "question": step.question,
                    "option": step.option_id,
                    "answer": step.option_label,
                }
                for step in result.path
            ],
            "next_node": result.next_node,
            "ignored": dict(result.ignored),
            "confidence": self.confidence,
            "warnings": [warning.to_dict() for warning in self.warnings],
            "counterfactuals": [item.to_dict() for item in self.counterfactuals],
            "next_steps": list(self.next_steps),
            "evidence": self.evidence.to_dict(),
            **(self.report.to_dict() if self.report else {}),
        }


def explain(
    definition: Definition, answers: Mapping[str, str], evidence: Evidence | None = None
) -> Explanation:
    evidence = evidence or Evidence(vocabulary=definition.vocabulary)
    result = evaluate(definition, answers)
    warnings = evidence_warnings(result, evidence, definition)
    return Explanation(
        definition=definition,
        result=result,
        evidence=evidence,
        prefills=prefills(definition, evidence),
        warnings=tuple(warnings),
        confidence=confidence(evidence, warnings),
        counterfactuals=tuple(counterfactuals(definition, answers, result)),
        next_steps=tuple(next_steps(definition, result, evidence)),
        report=report_rules(
            definition,
            result,
            test_set_size=experiment_size(evidence.test_set_size, evidence.trials),
            pass_mark=evidence.pass_mark,
        ),
    )


def counterfactuals(
    definition: Definition, answers: Mapping[str, str], result: Result
) -> list[Counterfactual]:
    """For each question on the path, every other option with all other answers kept."""
    found = []
    for step in result.path:
        node = definition.nodes[step.node_id]
        for option in node.options:
            if option.id == step.option_id:
                continue
            other = evaluate(definition, {**answers, step.node_id: option.id})
            if other.is_complete and other.outcome == result.outcome:
                continue
            had_you = f"Had you answered “{option.label}” to “{node.question}”"
            if other.is_complete:
                verdict = definition.outcomes[other.outcome].verdict
                message = f"{had_you}, the verdict would be: {verdict}."
            else:
                following = definition.nodes[other.next_node].question
                message = f"{had_you}, the flowchart would next ask: “{following}”"
            found.append(
                Counterfactual(
                    node.id,
                    node.question,
                    option.id,
                    option.label,
                    other.outcome,
                    other.next_node,
                    message,
                )
            )
    return found


def next_steps(definition: Definition, result: Result, evidence: Evidence) -> list[str]:
    """The outcome's steps, then the steps the path's answers call for, in path order."""
    if not result.is_complete:
        return []
    steps = []
    if result.outcome in PROMPT_NOW_OUTCOMES and measured_rules.is_measured(definition):
        steps += [step for step in [measured_rules.untried_step(evidence)] if step]
    elif result.outcome in PROMPT_NOW_OUTCOMES:
        untried = evidence.untried_techniques()
        if untried:
            steps.append(
                "Try the techniques your failed examples do not record as tried yet: "
                + ", ".join(untried)
                + "."
            )
    for step in result.path:
        path_step = definition.path_steps.get(f"{step.node_id}.{step.option_id}")
        if path_step:
            steps.append(path_step)
    if "training_method" in definition.rules:
        method = measured_rules.method_step(definition, result, evidence)
        if method is None and result.outcome == "hybrid":
            method = training_method_step(evidence)
        steps.extend([method] if method else [])
    steps.extend(definition.outcomes[result.outcome].next_steps)
    return list(dict.fromkeys(steps))


def training_method_step(evidence: Evidence) -> str:
    """Which fine-tuning method the recorded examples support, with their numbers: never the
    examples held out as the test set, which measure the result."""
    held = evidence.test_set_size
    pairs = evidence.with_expected_output if held is None else evidence.training_count
    if held and not pairs:
        return (
            f"Every example with an expected output is in the test set ({held}): collect "
            "reviewed examples outside it to train on, and keep the test set to measure the "
            "result."
        )
    if not pairs:
        return (
            "No example records an expected output yet: write the right output for each "
            "failed one first. With it, each example serves supervised fine-tuning, and with "
            "its bad output beside it, a preference pair (DPO) as well."
        )
    examples = f"{pairs} example{'s' if pairs != 1 else ''}"
    outside = f" outside the test set (its {held} stay out, to measure the result)" if held else ""
    return (
        f"Method: supervised fine-tuning on the {examples} with an expected output{outside}; "
        f"since each also records the bad output, the same {examples} make preference pairs "
        "(DPO) to train on as well."
    )
