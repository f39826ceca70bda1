"""`manage.py decide FILE.json`: the verdict for a set of answers, from the command line.

Exit 0 when the flowchart is complete, 3 when it needs more answers, 2 on bad input.
From 2027.02 the JSON adds the report rules (deciding, deciding_option, nearest, nearest_answer,
experiment, why) and the evidence takes test_set_size, held_out, preference_pairs, per-trial
per_case, cost_per_request and latency_ms, and decided_on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from decisions.flowchart.definition import DefinitionError
from decisions.flowchart.evaluate import AnswerError
from decisions.flowchart.evidence import Evidence
from decisions.flowchart.explain import Explanation, explain
from decisions.flowchart.management.base import VersionedCommand
from decisions.flowchart.registry import get_definition

EXIT_INCOMPLETE = 3
EXIT_BAD_INPUT = 2


class Command(VersionedCommand):
    help = 'Evaluate {"answers": {node: option}, "evidence": {...}} against the flowchart.'

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="JSON file with answers (and optional evidence)")
        parser.add_argument(
            "--version",
            dest="flowchart_version",
            default=None,
            help="a registered flowchart version (default: the current one)",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON document")

    def handle(self, *args, **options) -> None:
        explanation = self._explain(options["file"], options["flowchart_version"])
        if options["json"]:
            self.stdout.write(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self._as_text(explanation))
        if not explanation.result.is_complete:
            sys.exit(EXIT_INCOMPLETE)

    def _explain(self, file_name: str, version: str) -> Explanation:
        try:
            document = json.loads(Path(file_name).read_text(encoding="utf-8"))
            if not isinstance(document, dict) or not isinstance(document.get("answers"), dict):
                raise ValueError('expected an object with "answers": {node: option}')
            definition = get_definition(version)
            evidence = Evidence.from_dict(document.get("evidence") or {}, definition.vocabulary)
            return explain(definition, document["answers"], evidence)
        except (OSError, ValueError, KeyError, TypeError, DefinitionError, AnswerError) as error:
            # json.JSONDecodeError and AnswerError are ValueErrors too; a trial without its
            # cases or passes is a KeyError, a number given as text a TypeError.
            raise CommandError(f"{file_name}: {error}", returncode=EXIT_BAD_INPUT) from error

    def _as_text(self, explanation: Explanation) -> str:
        result = explanation.result
        lines = [f"Flowchart {result.version}"]
        if explanation.outcome:
            lines.append(f"Verdict: {explanation.outcome.verdict}")
            lines.append(f"Confidence: {explanation.confidence}")
        else:
            next_question = explanation.definition.nodes[result.next_node].question
            lines.append(f"Incomplete: next question {result.next_node}: {next_question}")
        report = explanation.report
        if report and report.deciding:
            node = explanation.definition.nodes[report.deciding]
            lines.append(
                f"Deciding: {node.question} -> {node.option(report.deciding_option).label}"
            )
        if report and report.nearest:
            lines.append(f"Nearest: {explanation.definition.outcomes[report.nearest].verdict}")
        lines += [f"Experiment: {sentence}" for sentence in (report.experiment if report else ())]
        lines.append("Path:")
        lines += [f"  {step.question} -> {step.option_label}" for step in result.path]
        lines += [f"Warning: {warning.message}" for warning in explanation.warnings]
        return "\n".join(lines)
