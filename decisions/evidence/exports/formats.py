"""A project's examples as files for the tools around us: training data and eval datasets.

Each target says which examples it can use (training formats need the expected output, a
preference pair needs the bad output too), how few it accepts and how many its makers
recommend. The project's test set (evidence/test_set.py) decides the parts: a training format
writes only examples outside it, a dataset format writes the test set alone or the training
split, so no example is ever in a training file and a test file of the same project.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from decisions.evidence.exports import chat
from decisions.evidence.exports.promptfoo import write_promptfoo_tests
from decisions.evidence.models import FailedExample
from decisions.lib.spreadsheet import escape_cell

# The columns of our own CSV, in the order the import maps back without asking.
CSV_COLUMNS = (
    "title",
    "failure_type",
    "severity",
    "input",
    "bad_output",
    "expected_output",
    "techniques_tried",
    "iterations",
    "notes",
    # A conversation's turns as JSON, empty for a plain input: the input column holds only
    # their readable text, and the roles must survive the round trip.
    "input_messages",
)


# What a target's files are for, and so which parts of the examples they may hold.
TRAINING = "training"  # what a model learns from: never the test set
DATASET = "dataset"  # what an eval tool runs: the test set alone, or the training split
BACKUP = "backup"  # every example, to edit in a spreadsheet and import back
PARTS = {TRAINING: ("train",), DATASET: ("test", "train"), BACKUP: ("all",)}


# One example as one record of a JSONL format, given the export's system message.
Record = Callable[[FailedExample, str], dict]


def _any(example: FailedExample, system: str) -> bool:
    return True


@dataclass(frozen=True)
class Target:
    slug: str
    label: str
    filename_suffix: str
    content_type: str
    needs: tuple[str, ...]  # example fields that must not be empty
    minimum: int  # below this the tool refuses the file
    recommended: int  # its makers' advice for a useful result
    note: str
    write: Callable[[Sequence[FailedExample], str], str]
    kind: str = TRAINING
    record: Record | None = None  # one example's record, for JSONL formats
    # Which conversations the format can hold (chat.py), and how the page says why not.
    holds: Callable[[FailedExample, str], bool] = _any
    unheld: str = ""
    # The format wants a system message on every record or on none (Bedrock, for Nova).
    system_on_all_or_none: bool = False
    # The vendor facts row (provider, and a word of its offering) this file is for: the export
    # page shows that row's status, minimum and deadline from the definition, as checked.
    vendor: tuple[str, str] | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return PARTS[self.kind]


def has_needs(target: Target, example: FailedExample) -> bool:
    return all(getattr(example, name).strip() for name in target.needs)


def system_mix(target: Target, with_system: int, examples: int) -> str:
    """Why the file cannot be written as it stands, or "": Nova's checker refuses a file where
    some records have a system message and others have none."""
    if not target.system_on_all_or_none or not 0 < with_system < examples:
        return ""
    return (
        f"{with_system} of these {examples} examples carry a system message and the "
        f"others none; {target.label} needs one on every example or on none. Type the "
        "system message your feature sends (System message for chat formats): it goes to "
        "the examples without one."
    )


def _csv(rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape_cell(str(cell)) for cell in row])
    return buffer.getvalue()


def csv_row(e: FailedExample) -> tuple:
    return (
        e.title,
        e.failure_type,
        e.severity,
        e.input_text,
        e.bad_output,
        e.expected_output,
        ",".join(e.techniques_tried),
        e.iterations,
        e.notes,
        json.dumps(e.input_messages, ensure_ascii=False) if e.input_messages else "",
    )


def write_csv(examples: Sequence[FailedExample], system: str) -> str:
    return _csv([CSV_COLUMNS, *(csv_row(e) for e in examples)])


def _metadata(e: FailedExample) -> dict:
    return {
        "title": e.title,
        "failure_type": e.failure_type,
        "severity": e.severity,
        "bad_output": e.bad_output,
        "techniques_tried": list(e.techniques_tried),
        "iterations": e.iterations,
        "notes": e.notes,
    }


def _input(e: FailedExample) -> dict:
    """A dataset item's input: the text, and the turns when the example is a conversation."""
    if e.input_messages:
        return {"input": e.input_text, "messages": chat.conversation(e, "")}
    return {"input": e.input_text}


def langsmith_record(e: FailedExample, system: str) -> dict:
    return {"inputs": _input(e), "outputs": {"output": e.expected_output}, "metadata": _metadata(e)}


def braintrust_record(e: FailedExample, system: str) -> dict:
    return {
        "input": _input(e) if e.input_messages else e.input_text,
        "expected": e.expected_output,
        "metadata": _metadata(e),
        "tags": [e.failure_type],
    }


def jsonl_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def jsonl_writer(record: Record) -> Callable[[Sequence[FailedExample], str], str]:
    def write(examples: Sequence[FailedExample], system: str) -> str:
        return "".join(jsonl_line(record(e, system)) for e in examples)

    return write


JSONL = "application/jsonl; charset=utf-8"
CSV = "text/csv; charset=utf-8"
YAML = "application/yaml; charset=utf-8"
TRAINING_CHAT_UNHELD = "a tool turn, or an input that does not end with the user"
ALTERNATING_UNHELD = "a tool turn, or an input that does not start and end with the user"


def _training(slug, label, minimum, recommended, note, record, holds, unheld, **options):
    return Target(
        slug,
        label,
        "jsonl",
        JSONL,
        options.pop("needs", ("expected_output",)),
        minimum,
        recommended,
        note,
        jsonl_writer(record),
        TRAINING,
        record,
        holds,
        unheld,
        **options,
    )


def _dataset(slug, label, note, record):
    return Target(
        slug, label, "jsonl", JSONL, (), 1, 1, note, jsonl_writer(record), DATASET, record
    )


PAIR = ("expected_output", "bad_output")
TARGETS = {
    target.slug: target
    for target in (
        Target(
            "csv",
            "CSV for spreadsheets (every field; imports back unchanged)",
            "csv",
            CSV,
            (),
            1,
            1,
            "Cells starting with =, +, -, @ or an apostrophe get an apostrophe first, so no "
            "spreadsheet runs them and they import back unchanged.",
            write_csv,
            BACKUP,
        ),
        _training(
            "openai-chat",
            "OpenAI chat fine-tuning (JSONL)",
            10,
            50,
            "One chat per example: its turns, then the expected output as the assistant's.",
            chat.openai_chat_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            vendor=("OpenAI", "fine-tuning"),
        ),
        _training(
            "openai-preference",
            "OpenAI preference pairs, DPO (JSONL)",
            10,
            50,
            "The expected output is preferred over the bad one; both must be recorded.",
            chat.preference_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            needs=PAIR,
            vendor=("OpenAI", "fine-tuning"),
        ),
        _training(
            "vertex-gemini",
            "Vertex AI Gemini supervised tuning (JSONL)",
            1,
            100,
            "Turns of one role in a row are "
            "joined, since Gemini wants user and model to alternate.",
            chat.vertex_record,
            chat.holds_alternating,
            ALTERNATING_UNHELD,
            vendor=("Google", "Agent Platform"),
        ),
        _training(
            "bedrock-conversation",
            "Amazon Bedrock conversation fine-tuning (JSONL)",
            1,
            100,
            "Nova refuses the "
            "words it marks turns with (User:, Assistant:, System:, Bot:, Thought:, [EOS]).",
            chat.bedrock_record,
            chat.holds_nova,
            ALTERNATING_UNHELD + ", or a word Nova reserves",
            system_on_all_or_none=True,
            vendor=("Amazon", "Bedrock"),
        ),
        _training(
            "together-chat",
            "Together chat fine-tuning (JSONL)",
            1,
            1,
            "Conversational format, as OpenAI's.",
            chat.openai_chat_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            vendor=("Together", "fine-tuning"),
        ),
        _training(
            "together-preference",
            "Together preference pairs, DPO (JSONL)",
            1,
            1,
            "The expected output is preferred over the bad one; both must be recorded.",
            chat.preference_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            needs=PAIR,
            vendor=("Together", "fine-tuning"),
        ),
        _training(
            "fireworks-chat",
            "Fireworks supervised fine-tuning (JSONL)",
            3,
            3,
            "Fireworks refuses fewer than 3 examples.",
            chat.openai_chat_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            vendor=("Fireworks", "fine-tuning"),
        ),
        _training(
            "fireworks-preference",
            "Fireworks preference pairs, DPO (JSONL)",
            3,
            3,
            "Fireworks refuses fewer than 3 pairs; the expected output is preferred.",
            chat.preference_record,
            chat.holds_chat,
            TRAINING_CHAT_UNHELD,
            needs=PAIR,
            vendor=("Fireworks", "fine-tuning"),
        ),
        Target(
            "promptfoo",
            "promptfoo test cases (YAML)",
            "yaml",
            YAML,
            (),
            1,
            1,
            "Each example's input is the variable {{input}}, its expected output an equals "
            "check; every value is literal text, never a template, a file to load or an "
            "assertion.",
            write_promptfoo_tests,
            DATASET,
        ),
        _dataset(
            "langsmith",
            "LangSmith dataset (JSONL)",
            "inputs.input (and inputs.messages for a conversation), outputs.output (the "
            "expected output), and the rest in metadata.",
            langsmith_record,
        ),
        _dataset(
            "braintrust",
            "Braintrust dataset (JSONL)",
            "input (with its messages for a conversation), expected, metadata, and the "
            "failure type as a tag.",
            braintrust_record,
        ),
    )
}


@dataclass
class ExportPlan:
    """What one target gets from a project, counted one example at a time: the page's figures
    and how many each file holds. A file reads the examples again and keeps those `in_part`
    says, so no export holds a project's examples (100,000 of them) in memory at once."""

    target: Target
    system: str = ""  # the system message typed on the export page, for the chat formats
    total: int = 0
    with_needs: int = 0  # how many have the fields the target needs, held or not
    usable: int = 0  # of those, how many the target can hold
    training: int = 0
    held_out: int = 0
    training_with_system: int = 0
    held_out_with_system: int = 0

    def count(self, example: FailedExample) -> None:
        self.total += 1
        if not has_needs(self.target, example):
            return
        self.with_needs += 1
        if not self.target.holds(example, self.system):
            return
        self.usable += 1
        with_system = self.target.system_on_all_or_none and chat.has_system(example, self.system)
        if self._held_out(example):
            self.held_out += 1
            self.held_out_with_system += with_system
        else:
            self.training += 1
            self.training_with_system += with_system

    def _held_out(self, example: FailedExample) -> bool:
        # A backup keeps every example in its one part, test set or not.
        return self.target.kind != BACKUP and example.in_test_set

    def in_part(self, example: FailedExample, part: str) -> bool:
        """Whether the part's file ("all", "test" or "train") holds the example."""
        if not (has_needs(self.target, example) and self.target.holds(example, self.system)):
            return False
        return part == "all" or self._held_out(example) == (part == "test")

    def size(self, part: str) -> int:
        return {"all": self.usable, "test": self.held_out, "train": self.training}[part]

    def system_problem_in(self, part: str) -> str:
        with_system = {
            "all": self.training_with_system + self.held_out_with_system,
            "test": self.held_out_with_system,
            "train": self.training_with_system,
        }[part]
        return system_mix(self.target, with_system, self.size(part))

    @property
    def system_problem(self) -> str:
        """Why the training file cannot be written yet, for the page."""
        return self.system_problem_in("train")

    @property
    def left_out(self) -> int:
        return self.total - self.usable

    @property
    def left_out_reason(self) -> str:
        missing = (
            "no expected or no bad output"
            if "bad_output" in self.target.needs
            else ("no expected output")
        )
        reasons = [missing] if self.with_needs < self.total else []
        if self.usable < self.with_needs:
            reasons.append(self.target.unheld)
        return "; ".join(reasons)

    @property
    def below_minimum(self) -> bool:
        return self.training < self.target.minimum

    @property
    def below_recommended(self) -> bool:
        return self.training < self.target.recommended


def export_plans(
    targets: Iterable[Target], examples: Iterable[FailedExample], system: str = ""
) -> list[ExportPlan]:
    """Each target's plan, counted in one pass over the examples."""
    plans = [ExportPlan(target, system) for target in targets]
    for example in examples:
        for plan in plans:
            plan.count(example)
    return plans


def export_plan(target: Target, examples: Iterable[FailedExample], system: str = "") -> ExportPlan:
    return export_plans([target], examples, system)[0]
