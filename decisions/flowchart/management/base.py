from __future__ import annotations

from django.core.management.base import BaseCommand


class VersionedCommand(BaseCommand):
    """A command whose --version names a flowchart version, not Django's version.

    Django gives every command a --version flag; "resolve" lets ours replace it.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)
