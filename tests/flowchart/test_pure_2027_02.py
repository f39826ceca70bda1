"""2027.02's modules are plain Python too: they import and run with Django unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
sys.modules["django"] = None  # any import of Django now fails
import importlib
for name in ["findings", "measured_rules", "report_rules", "vendor_facts", "statistics"]:
    importlib.import_module("decisions.flowchart." + name)
from decisions.flowchart.explain import explain
from decisions.flowchart.registry import get_definition
explanation = explain(get_definition("2027.02"), {"symptom": "tone", "spelled_out": "no"})
print(explanation.to_dict()["deciding"])
"""


def test_2027_02_modules_import_and_run_with_django_blocked():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["spelled_out"]
