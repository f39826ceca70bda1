"""A definition written out as its Markdown spec (docs/flowchart/<version>.md).

The spec is generated, never edited by hand: a test checks that the files in docs/ match
their definitions, so the docs cannot drift from what the app evaluates.
"""

from __future__ import annotations

from decisions.flowchart.definition import Definition, Node


def to_markdown(definition: Definition) -> str:
    sections = [
        _introduction(definition),
        _questions(definition),
        _question_help(definition),
        _outcomes(definition),
        _effort(definition),
        _path_steps(definition),
        _method(definition),
        _experiments(definition),
        _rules(definition),
        _vendor_facts(definition),
        _sources(definition),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _introduction(definition: Definition) -> str:
    return "\n".join(
        [
            f"# {definition.title}, version {definition.version}",
            "",
            f"Generated from `decisions/flowchart/definitions/{definition.version}.toml` by "
            "`manage.py flowchart --markdown`: edit the definition, not this file.",
            "",
            f"{len(definition.nodes)} questions and {len(definition.outcomes)} outcomes; content "
            f"hash `{definition.content_hash[:16]}`. Node, option and outcome ids are a stable "
            "contract: saved decisions, exports, the `decide` command and the tests use them. "
            "Wording may be polished; a change of ids, edges or outcomes is a new version.",
        ]
    )


def _target(definition: Definition, target: str) -> str:
    return f"**{target}**" if target in definition.outcomes else f"`{target}`"


def _option_cell(definition: Definition, node: Node) -> str:
    return "; ".join(
        f"`{option.id}` ({_cell(option.label)}) → {_target(definition, option.next)}"
        for option in node.options
    )


def _table(heading: str, columns: list[str], rows: list[list[str]]) -> str:
    lines = [heading, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _questions(definition: Definition) -> str:
    if definition.declares_kinds:
        return _questions_with_kinds(definition)
    return _table(
        f"## Questions (start at `{definition.start}`)",
        ["node", "question", "option id (label) → next"],
        [
            [f"`{node.id}`", _cell(node.question), _option_cell(definition, node)]
            for node in definition.nodes.values()
        ],
    )


def _questions_with_kinds(definition: Definition) -> str:
    decisive = sum(1 for node in definition.nodes.values() if node.kind == "decisive")
    table = _table(
        f"## Questions (start at `{definition.start}`)",
        [
            "node",
            "kind",
            "question",
            "why we ask (shown on the report)",
            "option id (label) → next",
        ],
        [
            [
                f"`{node.id}`",
                node.kind or "",
                _cell(node.question),
                _cell(node.rationale or ""),
                _option_cell(definition, node),
            ]
            for node in definition.nodes.values()
        ],
    )
    gates = len(definition.nodes) - decisive
    return (
        f"{table}\n\n{decisive} decisive questions choose between verdicts; {gates} gates check "
        "readiness for a verdict already chosen, or the method."
    )


def _question_help(definition: Definition) -> str:
    lines = ["## What each question is for", ""]
    lines += [
        f"- `{node.id}` ({node.label}): {node.help}"
        for node in definition.nodes.values()
        if node.help
    ]
    return "\n".join(lines)


def _outcomes(definition: Definition) -> str:
    table = _table(
        "## Outcomes",
        ["id", "verdict", "kind"],
        [
            [f"`{outcome.id}`", _cell(outcome.verdict), _cell(outcome.kind)]
            for outcome in definition.outcomes.values()
        ],
    )
    lines = [table]
    for outcome in definition.outcomes.values():
        lines += ["", f"### `{outcome.id}`: {outcome.label}", "", outcome.analogy, ""]
        lines += ["Next steps:", ""] + [f"1. {step}" for step in outcome.next_steps]
        lines += ["", "Risks:", ""] + [f"- {risk}" for risk in outcome.risks]
    return "\n".join(lines)


def _effort(definition: Definition) -> str:
    return _table(
        "## Effort, cost, data and people",
        ["outcome", "time", "cost", "data", "people"],
        [
            [f"`{o.id}`", _cell(o.time), _cell(o.cost), _cell(o.data), _cell(o.people)]
            for o in definition.outcomes.values()
        ],
    )


def _path_steps(definition: Definition) -> str:
    if not definition.path_steps:
        return ""
    return _table(
        "## Next steps added by answers on the path",
        ["answer", "next step"],
        [[f"`{key}`", _cell(step)] for key, step in definition.path_steps.items()],
    )


def _method(definition: Definition) -> str:
    if not definition.method:
        return ""
    lines = ["## The method step (rule `training_method`)", ""]
    lines += [f"- `{key}`: {text}" for key, text in definition.method.items()]
    return "\n".join(lines)


def _experiments(definition: Definition) -> str:
    if not definition.experiments:
        return ""
    table = _table(
        "## Report rules: the experiment that would change the verdict",
        ["question", "→ outcome", "template"],
        [
            [f"`{node_id}`", _target(definition, outcome_id), _cell(template)]
            for node_id, templates in definition.experiments.items()
            for outcome_id, template in templates.items()
        ],
    )
    return (
        f"{table}\n\n{{n}} is the test-set size (else the largest trial on the current model), "
        "{p} the pass mark in whole percent, {k} = ⌈p·n/100⌉ and {label} the outcome's label; "
        'with {n} unknown, "your {n} cases" reads "your test set" and the count of passes '
        "reads as the pass mark. The deciding answer is, for `prepare`, the gate answer that led "
        "there, otherwise the last answer to a decisive question; the nearest alternative is the "
        "first other option of that question (else of the decisive questions before it) leading "
        "directly to another outcome."
    )


def _rules(definition: Definition) -> str:
    if not definition.declares_kinds:
        return ""
    lines = ["## Evidence rules, in the order their warnings are listed", ""]
    lines += [f"1. `{code}`" for code in definition.rules]
    return "\n".join(lines)


def _vendor_facts(definition: Definition) -> str:
    if not definition.vendor_facts:
        return ""
    columns = ["provider", "offering", "methods", "minimum examples", "format", "status"]
    columns += ["deadline", "closes on", "answers", "checked on", "source"]
    return _table(
        "## Vendor facts",
        columns,
        [
            [
                _cell(row.provider),
                _cell(row.offering),
                _cell(row.methods),
                _cell(row.minimum_examples),
                _cell(row.format),
                row.status,
                _cell(row.deadline),
                row.closes_on.isoformat() if row.closes_on else "—",
                ", ".join(f"`{key}`" for key in row.answers) or "—",
                row.checked_on.isoformat() if row.checked_on else "—",
                _cell(row.source),
            ]
            for row in definition.vendor_facts
        ],
    )


def _sources(definition: Definition) -> str:
    if not definition.sources:
        return ""
    lines = ["## Sources", ""]
    lines += [
        f"- {source.title}" + (f": {source.note}" if source.note else "")
        for source in definition.sources
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text that cannot break a Markdown table row."""
    return " ".join(text.split()).replace("|", "\\|")
