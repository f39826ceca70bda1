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
    return _table(
        f"## Questions (start at `{definition.start}`)",
        ["node", "question", "option id (label) → next"],
        [
            [f"`{node.id}`", _cell(node.question), _option_cell(definition, node)]
            for node in definition.nodes.values()
        ],
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
