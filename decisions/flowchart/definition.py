"""Flowchart definitions: loaded from TOML, validated, immutable.

Validation follows the spec: every option leads to an existing node or outcome, every node is
reachable from the start, there is no cycle, every outcome is reachable, ids are unique. A
definition that fails is refused with a DefinitionError naming the node and the option.

From 2027.02 a definition declares each question's kind (decisive or gate) and rationale, the
experiment templates of its report rules and the vendor facts table; those are checked too
(versions without kinds, 2026.11 and 2027.01, load as before, with kind and rationale None).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from decisions.flowchart.vendor_facts import (
    VendorFact,
    VendorFactError,
    vendor_fact,
    vendor_problem,
)
from decisions.flowchart.vocabulary import FIRST_VOCABULARY, Vocabulary, terms

# The evidence rules a definition may declare, and the question and option ids each relies on:
# a definition that declares a rule must have them (checked when it loads).
RULE_REQUIREMENTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "thin_evidence": {},
    "no_evidence": {},
    "evidence_disagrees": {"symptom": ()},
    "untried_techniques": {"prompt_effort": ("exhausted",)},
    "training_data": {},
    "test_set_prefill": {"test_set": ("none", "small", "ready")},
    "small_test_set": {"test_set": ("small",)},
    "effort_unrecorded": {"prompt_effort": ("exhausted",)},
    "beyond_evidence": {"data": ("50_to_500", "over_500")},
    "training_method": {},
    "trial_prefills": {
        "test_set": ("small", "ready"),
        "prompt_effort": ("untested", "passes", "some_techniques", "exhausted"),
        "stronger_model": ("passes", "all_fail"),
        "smaller_model": ("one_passes", "fall_short"),
    },
    "trials_contradict": {"prompt_effort": ("untested", "passes", "exhausted")},
    "underpowered": {"prompt_effort": ()},
    "test_split": {"data": ("under_50", "50_to_500", "over_500")},
    "distill_data": {},
    "no_significant_gain": {"prompt_effort": ("exhausted",)},
    "slice_below": {"prompt_effort": ("passes", "slice_below")},
    "platform_closing": {"platform": ("openai_existing",)},
    "facts_dated": {},
}
# What a definition without a [rules] table (2026.11) uses.
FIRST_RULES = ("thin_evidence", "evidence_disagrees", "untried_techniques", "training_data")
FIRST_TRAINING_OUTCOMES = ("hybrid", "pretrain")

DECISIVE = "decisive"
GATE = "gate"
# The gates of the spec (2027.02): they check readiness for a verdict already chosen, or the
# method, so they never choose between verdicts. A version that declares kinds must have
# exactly these; changing them is a change of the spec.
GATES = frozenset(
    {
        "distill_data",
        "distill_ready",
        "foundation",
        "platform",
        "grader",
        "data",
        "team",
        "budget",
        "oversight",
    }
)
# The one outcome gates lead to when a team is not ready: it has no experiment template.
NOT_READY_OUTCOME = "prepare"


class DefinitionError(ValueError):
    """A flowchart definition breaks the rules; the message names the node and option."""


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    next: str
    short: str


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    question: str
    help: str
    options: tuple[Option, ...]
    # "decisive" or "gate", and the "why we ask" of the report: None before 2027.02.
    kind: str | None = None
    rationale: str | None = None

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    verdict: str
    kind: str
    analogy: str
    time: str
    cost: str
    data: str
    people: str
    next_steps: tuple[str, ...]
    risks: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    title: str
    note: str


@dataclass(frozen=True)
class Definition:
    version: str
    title: str
    start: str
    nodes: Mapping[str, Node]
    outcomes: Mapping[str, Outcome]
    path_steps: Mapping[str, str]
    sources: tuple[Source, ...]
    content_hash: str = field(compare=False)
    vocabulary: Vocabulary = FIRST_VOCABULARY
    # The evidence rules this version applies, and the outcomes that mean training.
    rules: tuple[str, ...] = FIRST_RULES
    training_outcomes: tuple[str, ...] = FIRST_TRAINING_OUTCOMES
    # From 2027.02: the experiment templates by question and outcome, the method step's texts
    # and the vendor facts table.
    experiments: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    method: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    vendor_facts: tuple[VendorFact, ...] = ()

    @property
    def declares_kinds(self) -> bool:
        """Whether the questions are decisive or gates (2027.02 on): the report rules apply."""
        return any(node.kind is not None for node in self.nodes.values())

    def is_gate(self, node_id: str) -> bool:
        return self.nodes[node_id].kind == GATE

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def most_questions_from(self, node_id: str) -> int:
        """The most questions a route from this one can still ask, this one included."""
        memo: dict[str, int] = {}

        def longest(current: str) -> int:
            if current not in self.nodes:
                return 0
            if current not in memo:
                memo[current] = 1 + max(longest(o.next) for o in self.nodes[current].options)
            return memo[current]

        return longest(node_id)

    def edges(self) -> list[tuple[str, Option]]:
        """Every (node id, option) pair, in definition order."""
        return [(node.id, option) for node in self.nodes.values() for option in node.options]


def load_file(path: Path) -> Definition:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        # A key given twice (a duplicate node or outcome id) is refused by the TOML parser.
        raise DefinitionError(f"{path.name}: not valid TOML: {error}") from error
    # The hash covers the parsed content, so a comment edit keeps the version's identity.
    return from_dict(data)


def from_dict(data: Mapping, *, content_hash: str | None = None) -> Definition:
    if content_hash is None:
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        content_hash = hashlib.sha256(canonical).hexdigest()
    try:
        definition = _build(data, content_hash)
    except (KeyError, TypeError) as error:
        raise DefinitionError(f"missing or malformed field: {error}") from error
    validate(definition)
    return definition


def _build(data: Mapping, content_hash: str) -> Definition:
    nodes = {}
    for node_id, node in data["nodes"].items():
        options = tuple(
            Option(
                id=option["id"],
                label=option["label"],
                next=option["next"],
                short=option.get("short", option["label"]),
            )
            for option in node["options"]
        )
        nodes[node_id] = Node(
            id=node_id,
            label=node["label"],
            question=node["question"],
            help=node.get("help", ""),
            options=options,
            kind=node.get("kind"),
            rationale=node.get("rationale"),
        )
    outcomes = {
        outcome_id: Outcome(
            id=outcome_id,
            label=outcome["label"],
            verdict=outcome["verdict"],
            kind=outcome["kind"],
            analogy=outcome["analogy"],
            time=outcome["time"],
            cost=outcome["cost"],
            data=outcome["data"],
            people=outcome["people"],
            next_steps=tuple(outcome.get("next_steps", ())),
            risks=tuple(outcome.get("risks", ())),
        )
        for outcome_id, outcome in data["outcomes"].items()
    }
    vocabulary = data.get("vocabulary")
    rules = data.get("rules", {})
    return Definition(
        vocabulary=Vocabulary(
            failure_types=terms(vocabulary["failure_types"]),
            techniques=terms(vocabulary["techniques"]),
        )
        if vocabulary
        else FIRST_VOCABULARY,
        rules=tuple(rules.get("evidence", FIRST_RULES)),
        training_outcomes=tuple(rules.get("training_outcomes", FIRST_TRAINING_OUTCOMES)),
        version=str(data["version"]),
        title=data.get("title", ""),
        start=data["start"],
        nodes=MappingProxyType(nodes),
        outcomes=MappingProxyType(outcomes),
        path_steps=MappingProxyType(dict(data.get("path_steps", {}))),
        sources=tuple(Source(s["title"], s.get("note", "")) for s in data.get("sources", ())),
        content_hash=content_hash,
        experiments=MappingProxyType(
            {
                node_id: MappingProxyType(dict(templates))
                for node_id, templates in data.get("experiments", {}).items()
            }
        ),
        method=MappingProxyType(dict(data.get("method", {}))),
        vendor_facts=_vendor_facts(data.get("vendor_facts", ())),
    )


def _vendor_facts(rows) -> tuple[VendorFact, ...]:
    try:
        return tuple(vendor_fact(row) for row in rows)
    except VendorFactError as error:
        raise DefinitionError(f"vendor_facts: {error}") from error


def validate(definition: Definition) -> None:
    _check_unique_ids(definition)
    _check_edges(definition)
    _check_acyclic(definition)
    _check_reachable(definition)
    _check_vocabulary(definition)
    _check_path_steps(definition)
    _check_outcome_content(definition)
    _check_rules(definition)
    if definition.declares_kinds:
        _check_kinds(definition)
        _check_experiments(definition)
        _check_vendor_facts(definition)


def _check_vendor_facts(definition: Definition) -> None:
    answers = {f"{node_id}.{option.id}" for node_id, option in definition.edges()}
    problem = vendor_problem(definition.vendor_facts, answers)
    if problem:
        raise DefinitionError(f"vendor_facts: {problem}")


def _check_kinds(definition: Definition) -> None:
    for node in definition.nodes.values():
        if node.kind not in (DECISIVE, GATE):
            raise DefinitionError(
                f"node {node.id!r}: kind {node.kind!r} is neither 'decisive' nor 'gate'"
            )
        if not node.rationale:
            raise DefinitionError(f"node {node.id!r} has no rationale")
    gates = {node.id for node in definition.nodes.values() if node.kind == GATE}
    if gates != GATES:
        extra, missing = sorted(gates - GATES), sorted(GATES - gates)
        what = f"{extra[0]!r} is a gate" if extra else f"{missing[0]!r} is not a gate"
        raise DefinitionError(f"kinds: {what}; the gates are {', '.join(sorted(GATES))}")
    for node_id, option in definition.edges():
        if option.next == NOT_READY_OUTCOME and definition.nodes[node_id].kind != GATE:
            raise DefinitionError(
                f"node {node_id!r}, option {option.id!r}: leads to {NOT_READY_OUTCOME!r} "
                "but is not a gate"
            )


def _check_experiments(definition: Definition) -> None:
    """A template for every outcome a question leads to directly (prepare aside), and none
    for a question or outcome the definition does not have."""
    for node_id, templates in definition.experiments.items():
        node = definition.nodes.get(node_id)
        for outcome_id in templates:
            if node is None or outcome_id not in {option.next for option in node.options}:
                raise DefinitionError(
                    f"experiments: {node_id}.{outcome_id} names no answer of this definition "
                    "that leads to that outcome"
                )
    for node_id, option in definition.edges():
        if option.next not in definition.outcomes or option.next == NOT_READY_OUTCOME:
            continue
        if option.next not in definition.experiments.get(node_id, {}):
            raise DefinitionError(
                f"experiments: no template for node {node_id!r} leading to {option.next!r}"
            )


def _check_vocabulary(definition: Definition) -> None:
    symptom = definition.nodes.get("symptom")
    options = {option.id for option in symptom.options} if symptom else set()
    for type_id in definition.vocabulary.failure_type_ids:
        if type_id not in options:
            raise DefinitionError(
                f"vocabulary: failure type {type_id!r} is not an option of node 'symptom'"
            )


def _check_path_steps(definition: Definition) -> None:
    for key in definition.path_steps:
        node_id, _, option_id = key.partition(".")
        node = definition.nodes.get(node_id)
        if node is None or node.option(option_id) is None:
            raise DefinitionError(
                f"path_steps: key {key!r} names no question and answer of this definition"
            )


def _check_outcome_content(definition: Definition) -> None:
    for outcome in definition.outcomes.values():
        if not outcome.next_steps:
            raise DefinitionError(f"outcome {outcome.id!r} has no next_steps")
        if not outcome.risks:
            raise DefinitionError(f"outcome {outcome.id!r} has no risks")


def _check_rules(definition: Definition) -> None:
    for code in definition.rules:
        needs = RULE_REQUIREMENTS.get(code)
        if needs is None:
            raise DefinitionError(f"rules.evidence: unknown rule {code!r}")
        for node_id, option_ids in needs.items():
            node = definition.nodes.get(node_id)
            missing = [o for o in option_ids if node and node.option(o) is None]
            if node is None or missing:
                what = f"node {node_id!r}" if node is None else f"option {missing[0]!r}"
                raise DefinitionError(
                    f"rules.evidence: rule {code!r} needs {what} of {node_id!r}, "
                    "which this definition does not have"
                )
    for outcome_id in definition.training_outcomes:
        if outcome_id not in definition.outcomes:
            raise DefinitionError(f"rules.training_outcomes: no outcome {outcome_id!r}")


def _check_unique_ids(definition: Definition) -> None:
    shared = set(definition.nodes) & set(definition.outcomes)
    if shared:
        raise DefinitionError(f"id used by both a node and an outcome: {sorted(shared)[0]!r}")
    if definition.start not in definition.nodes:
        raise DefinitionError(f"start node {definition.start!r} does not exist")
    for node in definition.nodes.values():
        if not node.options:
            raise DefinitionError(f"node {node.id!r} has no options")
        seen: set[str] = set()
        for option in node.options:
            if option.id in seen:
                raise DefinitionError(f"node {node.id!r}: duplicate option id {option.id!r}")
            seen.add(option.id)


def _check_edges(definition: Definition) -> None:
    for node_id, option in definition.edges():
        if option.next not in definition.nodes and option.next not in definition.outcomes:
            raise DefinitionError(
                f"node {node_id!r}, option {option.id!r}: leads to {option.next!r}, "
                "which is neither a node nor an outcome"
            )


def _check_acyclic(definition: Definition) -> None:
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(node_id: str) -> None:
        visiting.add(node_id)
        for option in definition.nodes[node_id].options:
            if option.next in visiting:
                raise DefinitionError(
                    f"node {node_id!r}, option {option.id!r}: leads back to {option.next!r}, "
                    "making a cycle"
                )
            if option.next in definition.nodes and option.next not in done:
                visit(option.next)
        visiting.discard(node_id)
        done.add(node_id)

    for node_id in definition.nodes:
        if node_id not in done:
            visit(node_id)


def _check_reachable(definition: Definition) -> None:
    reached = {definition.start}
    frontier = [definition.start]
    while frontier:
        node = definition.nodes[frontier.pop()]
        for option in node.options:
            if option.next not in reached:
                reached.add(option.next)
                if option.next in definition.nodes:
                    frontier.append(option.next)
    for node_id in definition.nodes:
        if node_id not in reached:
            raise DefinitionError(f"node {node_id!r} is not reachable from {definition.start!r}")
    for outcome_id in definition.outcomes:
        if outcome_id not in reached:
            raise DefinitionError(f"outcome {outcome_id!r} is not reachable: no option leads to it")
