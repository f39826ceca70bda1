"""The generated spec of 2027.02 shows what the version adds: kinds and rationales, the
experiment templates, the rules in order and the vendor facts."""

from __future__ import annotations

from decisions.flowchart.markdown import to_markdown
from decisions.flowchart.registry import get_definition

SPEC = to_markdown(get_definition("2027.02"))


def test_questions_carry_kind_and_rationale():
    assert "| node | kind | question | why we ask (shown on the report) |" in SPEC
    assert (
        "| `grader` | gate | Can a program or a rubric judge grade an output as right or wrong? "
        "| It never changes the verdict, only the method: a grader makes reinforcement "
        "fine-tuning possible. |"
    ) in SPEC
    assert "19 decisive questions choose between verdicts; 9 gates check" in SPEC


def test_experiment_templates_and_rules_are_listed():
    assert (
        "| `oversight` | **hybrid** | Name an owner who re-runs the held-out test set on every "
        "model or data update; with one, the verdict becomes {label}. |"
    ) in SPEC
    assert "1. `test_split`\n1. `training_data`\n1. `distill_data`" in SPEC


def test_vendor_facts_table():
    assert (
        "| OpenAI | self-serve fine-tuning | SFT, DPO, RFT | 10 | JSONL chat | closing | no new "
        "jobs after 2027-01-06; GPT-4o/4.1 (and mini) fine-tunes stop 2027-01-14 | 2027-01-06 "
        "| `platform.openai_existing` | 2026-12-01 | developers.openai.com/api/docs/deprecations |"
    ) in SPEC


def test_older_specs_have_none_of_it():
    older = to_markdown(get_definition("2027.01"))
    assert "why we ask" not in older
    assert "## Vendor facts" not in older
    assert "## Report rules" not in older
