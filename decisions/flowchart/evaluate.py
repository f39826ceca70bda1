"""Walk a definition with a set of answers: the path, the next question or the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from decisions.flowchart.definition import Definition

COMPLETE = "complete"
INCOMPLETE = "incomplete"


class AnswerError(ValueError):
    """An answer names a node or an option the definition does not have."""


@dataclass(frozen=True)
class Step:
    node_id: str
    node_label: str
    question: str
    option_id: str
    option_label: str


@dataclass(frozen=True)
class Result:
    version: str
    status: str
    path: tuple[Step, ...]
    next_node: str | None = None
    outcome: str | None = None
    # Answers to questions off the path: kept (the PM may come back to them), never used.
    ignored: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETE

    def answer_on_path(self, node_id: str) -> str | None:
        return next((step.option_id for step in self.path if step.node_id == node_id), None)


def check_answers(definition: Definition, answers: Mapping[str, str]) -> None:
    for node_id, option_id in answers.items():
        node = definition.nodes.get(node_id)
        if node is None:
            raise AnswerError(f"unknown question {node_id!r}")
        if node.option(option_id) is None:
            known = ", ".join(option.id for option in node.options)
            raise AnswerError(
                f"unknown option {option_id!r} for question {node_id!r} (options: {known})"
            )


def evaluate(definition: Definition, answers: Mapping[str, str]) -> Result:
    """Follow the answers from the start node until an outcome or an unanswered question."""
    check_answers(definition, answers)
    path: list[Step] = []
    current = definition.start
    # Validation guarantees no cycle, so the walk ends within len(nodes) steps.
    while current in definition.nodes:
        node = definition.nodes[current]
        option_id = answers.get(current)
        if option_id is None:
            return _result(definition, answers, path, next_node=current)
        option = node.option(option_id)
        path.append(Step(node.id, node.label, node.question, option.id, option.label))
        current = option.next
    return _result(definition, answers, path, outcome=current)


def _result(definition, answers, path, *, next_node=None, outcome=None) -> Result:
    on_path = {step.node_id for step in path}
    ignored = {node_id: option for node_id, option in answers.items() if node_id not in on_path}
    return Result(
        version=definition.version,
        status=COMPLETE if outcome else INCOMPLETE,
        path=tuple(path),
        next_node=next_node,
        outcome=outcome,
        ignored=ignored,
    )
