"""The experiment that would settle the decision, ready to run: a promptfoo configuration that
runs the PM's best prompt on the models they name, over the project's test set, each case
judged as the PM chooses (a grader model, "contains" or an exact match).

`promptfoo eval -c promptfooconfig.yaml --output results.json` runs it; the results file imports
back as trials, one per model, with each case's group kept (trials/parse.py).

Every value from the project travels as data: each test holds its input and expected output
in `vars`, made literal for promptfoo's Nunjucks (exports/promptfoo.py), and the assertion
carries the expected output written out in the same way, since promptfoo renders an
assertion's value once and does not render the vars it inserts. The only template that is
ours is `{{input}}` in the prompt, so nothing a customer wrote is read as a template, a file
to load or an assertion.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from decisions.evidence.exports.promptfoo import nunjucks_literal, yaml_text
from decisions.evidence.models import FailedExample

INPUT_VARIABLE = "{{input}}"
# Where the expected output goes in an assertion's text; written out there, not as a template.
EXPECTED_VARIABLE = "{{expected}}"
# {{input}} as promptfoo's Nunjucks reads it, spaces allowed; any other tag is refused.
INPUT_TAG = re.compile(r"\{\{\s*input\s*\}\}")
OTHER_TAG = re.compile(r"\{\{|\{%|\{#")
# How each case is judged against its expected output: the wording is ours, and the expected
# output is written into it where {{expected}} stands.
ASSERTIONS = {
    "llm-rubric": (
        "A grader model judges it against the expected output (needs a grader: OpenAI by "
        "default in promptfoo)",
        "The output says what this expected answer says, in any words: {{expected}}",
    ),
    "icontains": ("It contains the expected output, in any case", "{{expected}}"),
    "equals": (
        "It is exactly the expected output (only for fixed labels or codes)",
        "{{expected}}",
    ),
}
MAX_MODELS = 10
# promptfoo provider ids: "openai:gpt-4o", "anthropic:messages:claude-sonnet-4-5",
# "bedrock:us.amazon.nova-pro-v1:0", "ollama:chat:llama3.1:8b".
PROVIDER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,199}$")


@dataclass(frozen=True)
class Experiment:
    project_name: str
    test_set_version: int
    prompt: str
    models: tuple[str, ...]
    assertion: str = "llm-rubric"


def case_id(example: FailedExample) -> str:
    return f"example-{example.pk}"


_text = yaml_text


def config_yaml(experiment: Experiment) -> str:
    description = f"{experiment.project_name}, test set v{experiment.test_set_version}"
    lines = [
        f"# The experiment for {experiment.project_name}: test set version "
        f"{experiment.test_set_version}, made by Prompt or Model?",
        "# Run: promptfoo eval -c promptfooconfig.yaml --output results.json",
        "# Then import results.json on the project's trials page (group cases by: group).",
        f"description: {_text(description)}",
        "prompts:",
        "  - file://prompt.txt",
        "providers:",
        *(f"  - id: {_text(model)}" for model in experiment.models),
        "tests: file://tests.yaml",
        "",
    ]
    return "\n".join(lines)


def tests_yaml(examples: Sequence[FailedExample], assertion: str = "llm-rubric") -> str:
    _, value = ASSERTIONS[assertion]
    lines = []
    for example in examples:
        expected = nunjucks_literal(example.expected_output)
        lines += [
            f"- description: {_text(case_id(example))}",
            "  vars:",
            f"    input: {_text(nunjucks_literal(example.input_text))}",
            f"    expected: {_text(expected)}",
            "  assert:",
            f"    - type: {assertion}",
            f"      value: {_text(value.replace(EXPECTED_VARIABLE, expected))}",
            "  metadata:",
            f"    group: {_text(example.failure_type_short())}",
        ]
    return "\n".join(lines) + "\n"


def experiment_zip(experiment: Experiment, examples: Sequence[FailedExample]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("promptfooconfig.yaml", config_yaml(experiment))
        archive.writestr("prompt.txt", experiment.prompt)
        archive.writestr("tests.yaml", tests_yaml(examples, experiment.assertion))
    return buffer.getvalue()
