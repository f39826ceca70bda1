"""The flowchart engine is plain Python: it must import and run with Django unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ENGINE_MODULES = [
    "definition",
    "diagram",
    "evaluate",
    "evidence",
    "explain",
    "markdown",
    "registry",
    "snapshot",
]

SCRIPT = f"""
import sys
sys.modules["django"] = None  # any import of Django now fails
import importlib
for name in {ENGINE_MODULES!r}:
    importlib.import_module("decisions.flowchart." + name)
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import get_definition
print(explain(get_definition(), {{"symptom": "tone", "spelled_out": "no"}}).result.outcome)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(loaded)
"""


def test_engine_imports_and_runs_with_django_blocked():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["prompt", "['django']"]  # only the blocked entry
