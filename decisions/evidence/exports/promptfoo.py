"""Text that promptfoo passes on exactly as written, and the project's cases as promptfoo tests.

promptfoo reads more into a value than YAML does (its evaluator, version 0.120):
- every var is rendered as a Nunjucks template before it goes into the prompt, so
  `Dear {{name}}` arrives as `Dear `; `{{ other_var }}` is first swapped for that var's value;
- a var that starts with `file://` or `package:` is replaced by what that file or module gives;
- one trailing newline of a var is cut;
- an assertion's value is rendered once as a template, and loads a file when it starts with
  `file://`; in a CSV, `__expected` is read as an assertion (`javascript:`, `python:`,
  `grade:` ...), and a spreadsheet apostrophe stays in the value.

So the tests go as YAML, each value made literal for Nunjucks: every `{{`, `{%`, `{#` and
the closers `%}` `#}` become an expression printing them (`{{ "{{" }}`), which the var
substitution above cannot match either; a value that would start with a loader prefix or end
with a newline gets an empty expression there. Text without any of these is left as it is.
tests/evidence/validators/test_promptfoo.py runs promptfoo itself over the files to hold this.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from decisions.evidence.models import FailedExample

TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[%#]\}")
LOADER_PREFIXES = ("file://", "package:")
EMPTY = '{{ "" }}'


def nunjucks_literal(text: str) -> str:
    """`text` as a Nunjucks template whose output is exactly `text`."""
    literal = TEMPLATE_SYNTAX.sub(lambda match: '{{ "' + match.group(0) + '" }}', text)
    if literal.startswith(LOADER_PREFIXES):
        literal = EMPTY + literal
    if literal.endswith("\n"):
        literal += EMPTY
    return literal


def yaml_text(value: str) -> str:
    """A YAML scalar holding exactly `value`: a JSON string is a YAML double-quoted scalar."""
    return json.dumps(value, ensure_ascii=False)


def promptfoo_test_lines(example: FailedExample) -> list[str]:
    """One test: the input and expected output as vars, and an `equals` check on the
    expected output written out (an assertion's value is rendered once, not its vars')."""
    lines = [
        f"- description: {yaml_text(example.title)}",
        "  vars:",
        f"    input: {yaml_text(nunjucks_literal(example.input_text))}",
        f"    expected: {yaml_text(nunjucks_literal(example.expected_output))}",
    ]
    if example.expected_output:
        lines += [
            "  assert:",
            "    - type: equals",
            f"      value: {yaml_text(nunjucks_literal(example.expected_output))}",
        ]
    return lines


def write_promptfoo_tests(examples: Sequence[FailedExample], system: str) -> str:
    header = [
        "# promptfoo tests: in promptfooconfig.yaml, `tests: file://this-file.yaml`, and write",
        "# {{input}} in your prompt. Values are literal text (see the note on the export page).",
    ]
    lines = [line for example in examples for line in promptfoo_test_lines(example)]
    return "\n".join(header + lines) + "\n"
