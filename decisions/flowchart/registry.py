"""The registered flowchart versions: one TOML file per version in definitions/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from decisions.flowchart.definition import Definition, DefinitionError, load_file

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
CURRENT_VERSION = "2027.02"


def current_version() -> str:
    """The version new wizard runs use."""
    return CURRENT_VERSION


def definition_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(DEFINITIONS_DIR.glob("*.toml"))}


def get_definition(version: str | None = None) -> Definition:
    """The definition of a version (default: the current one); unknown is a DefinitionError."""
    return load_version(version or current_version())


@cache
def load_version(version: str) -> Definition:
    path = definition_files().get(version)
    if path is None:
        known = ", ".join(definition_files()) or "none"
        raise DefinitionError(f"unknown flowchart version {version!r} (known: {known})")
    definition = load_file(path)
    if definition.version != version:
        raise DefinitionError(f"{path.name} declares version {definition.version!r}")
    return definition


def check_all() -> list[Definition]:
    """Load and validate every registered definition; the first bad one raises."""
    return [get_definition(version) for version in definition_files()]
