"""`manage.py flowchart --check`, `--svg OUT.svg [--answers FILE]` and `--markdown [DIR]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from decisions.flowchart.definition import DefinitionError
from decisions.flowchart.diagram import render_svg
from decisions.flowchart.evaluate import AnswerError, evaluate
from decisions.flowchart.management.base import VersionedCommand
from decisions.flowchart.markdown import to_markdown
from decisions.flowchart.registry import check_all, current_version, get_definition

DOCS_DIR = Path(__file__).resolve().parents[4] / "docs" / "flowchart"


class Command(VersionedCommand):
    help = "Validate the registered flowchart definitions, draw one as SVG, or write the specs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="validate every definition")
        parser.add_argument("--svg", metavar="OUT.svg", help="write the diagram here")
        parser.add_argument("--answers", metavar="FILE.json", help="highlight this path")
        parser.add_argument(
            "--markdown",
            nargs="?",
            const=str(DOCS_DIR),
            metavar="DIR",
            help=f"write every version's spec as DIR/<version>.md (default {DOCS_DIR})",
        )
        parser.add_argument("--version", dest="flowchart_version", default=None)

    def handle(self, *args, **options) -> None:
        if not (options["check"] or options["svg"] or options["markdown"]):
            raise CommandError("give --check, --svg OUT.svg or --markdown [DIR]", returncode=2)
        try:
            if options["check"]:
                for definition in check_all():
                    self.stdout.write(
                        f"{definition.version}: valid ({len(definition.nodes)} questions, "
                        f"{len(definition.outcomes)} outcomes, sha256 {definition.content_hash})"
                    )
            if options["svg"]:
                self._write_svg(options)
            if options["markdown"]:
                self._write_markdown(Path(options["markdown"]))
        except (OSError, ValueError, DefinitionError, AnswerError) as error:
            raise CommandError(str(error), returncode=2) from error

    def _write_svg(self, options) -> None:
        definition = get_definition(options["flowchart_version"] or current_version())
        result = None
        if options["answers"]:
            document = json.loads(Path(options["answers"]).read_text(encoding="utf-8"))
            result = evaluate(definition, document.get("answers", {}))
        Path(options["svg"]).write_text(render_svg(definition, result), encoding="utf-8")
        self.stdout.write(f"Wrote {options['svg']}")

    def _write_markdown(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for definition in check_all():
            target = folder / f"{definition.version}.md"
            target.write_text(to_markdown(definition), encoding="utf-8")
            self.stdout.write(f"Wrote {target}")
