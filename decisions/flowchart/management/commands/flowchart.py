"""`manage.py flowchart --check` and `manage.py flowchart --svg OUT.svg [--answers FILE]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from decisions.flowchart.definition import DefinitionError
from decisions.flowchart.diagram import render_svg
from decisions.flowchart.evaluate import AnswerError, evaluate
from decisions.flowchart.management.base import VersionedCommand
from decisions.flowchart.registry import CURRENT_VERSION, check_all, get_definition


class Command(VersionedCommand):
    help = "Validate the registered flowchart definitions, or draw one as SVG."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="validate every definition")
        parser.add_argument("--svg", metavar="OUT.svg", help="write the diagram here")
        parser.add_argument("--answers", metavar="FILE.json", help="highlight this path")
        parser.add_argument("--version", dest="flowchart_version", default=CURRENT_VERSION)

    def handle(self, *args, **options) -> None:
        if not options["check"] and not options["svg"]:
            raise CommandError("give --check or --svg OUT.svg", returncode=2)
        try:
            if options["check"]:
                for definition in check_all():
                    self.stdout.write(
                        f"{definition.version}: valid ({len(definition.nodes)} questions, "
                        f"{len(definition.outcomes)} outcomes, sha256 {definition.content_hash})"
                    )
            if options["svg"]:
                self._write_svg(options)
        except (OSError, ValueError, DefinitionError, AnswerError) as error:
            raise CommandError(str(error), returncode=2) from error

    def _write_svg(self, options) -> None:
        definition = get_definition(options["flowchart_version"])
        result = None
        if options["answers"]:
            document = json.loads(Path(options["answers"]).read_text(encoding="utf-8"))
            result = evaluate(definition, document.get("answers", {}))
        Path(options["svg"]).write_text(render_svg(definition, result), encoding="utf-8")
        self.stdout.write(f"Wrote {options['svg']}")
