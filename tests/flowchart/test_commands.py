from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command

from decisions.flowchart.registry import current_version
from tests.flowchart.spec import ANSWERS_FOR_OUTCOME

ROOT = Path(__file__).resolve().parents[2]
JSON_KEYS = {
    "version",
    "status",
    "outcome",
    "path",
    "next_node",
    "confidence",
    "warnings",
    "counterfactuals",
}


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True
    )


def write(tmp_path, document) -> str:
    path = tmp_path / "answers.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def test_decide_complete_prints_verdict_and_exits_0(tmp_path):
    evidence = {"failure_counts": {"facts": 2}, "techniques_tried": ["context"]}
    done = manage(
        "decide", write(tmp_path, {"answers": ANSWERS_FOR_OUTCOME["context"], "evidence": evidence})
    )
    assert done.returncode == 0, done.stderr
    assert "Verdict: Prompting problem: give the model the facts" in done.stdout
    assert "Confidence: low" in done.stdout
    assert "Only 2 failed examples recorded" in done.stdout


def test_decide_json_shape(tmp_path):
    done = manage("decide", write(tmp_path, {"answers": ANSWERS_FOR_OUTCOME["hybrid"]}), "--json")
    document = json.loads(done.stdout)
    assert done.returncode == 0
    assert set(document) >= JSON_KEYS
    assert document["version"] == current_version()
    assert document["status"] == "complete" and document["outcome"] == "hybrid"
    assert [step["node"] for step in document["path"]] == list(ANSWERS_FOR_OUTCOME["hybrid"])
    assert {"node", "option", "outcome", "next_node", "message"} == set(
        document["counterfactuals"][0]
    )
    assert {"code", "message", "lowers_confidence"} == set(document["warnings"][0])


def test_decide_incomplete_exits_3(tmp_path):
    done = manage("decide", write(tmp_path, {"answers": {"symptom": "facts"}}), "--json")
    assert done.returncode == 3
    document = json.loads(done.stdout)
    assert document["status"] == "incomplete" and document["next_node"] == "context_test"
    assert document["outcome"] is None


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "Expecting property name"),
        ({"answers": {"symptom": "colour"}}, "unknown option 'colour' for question 'symptom'"),
        ({"answers": {"mood": "yes"}}, "unknown question 'mood'"),
        ({"answers": []}, 'expected an object with "answers"'),
        ({"answers": {}, "evidence": {"failure_counts": {"x": 1}}}, "unknown failure type"),
    ],
)
def test_decide_bad_input_exits_2_with_error_on_stderr(tmp_path, document, message):
    done = manage("decide", write(tmp_path, document))
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_decide_unknown_version_exits_2(tmp_path):
    done = manage("decide", write(tmp_path, {"answers": {}}), "--version", "1999.01")
    assert done.returncode == 2
    assert "unknown flowchart version '1999.01'" in done.stderr


def test_flowchart_check_and_svg(tmp_path):
    check = manage("flowchart", "--check")
    assert check.returncode == 0
    assert "2026.11: valid (12 questions, 6 outcomes" in check.stdout
    out = tmp_path / "chart.svg"
    answers = write(tmp_path, {"answers": ANSWERS_FOR_OUTCOME["prompt"]})
    drawn = manage("flowchart", "--svg", str(out), "--answers", answers)
    assert drawn.returncode == 0, drawn.stderr
    root = ET.parse(out).getroot()
    marked = [
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-on-path") == "true"
    ]
    assert len(marked) == 2


def test_docs_hold_the_generated_spec_of_every_version(tmp_path):
    """docs/flowchart/ must match the definitions: run `manage.py flowchart --markdown`."""
    call_command("flowchart", "--markdown", str(tmp_path), stdout=io.StringIO())
    docs = Path(__file__).resolve().parents[2] / "docs" / "flowchart"
    generated = sorted(path.name for path in tmp_path.glob("*.md"))
    assert generated == sorted(path.name for path in docs.glob("*.md"))
    assert "2026.11.md" in generated
    for name in generated:
        expected = (tmp_path / name).read_text(encoding="utf-8")
        assert (docs / name).read_text(encoding="utf-8") == expected, (
            f"docs/flowchart/{name} is out of date: run manage.py flowchart --markdown"
        )


def test_markdown_spec_lists_every_edge_and_outcome(tmp_path):
    call_command("flowchart", "--markdown", str(tmp_path), stdout=io.StringIO())
    spec = (tmp_path / "2026.11.md").read_text(encoding="utf-8")
    assert spec.startswith("# Prompt or Model? decision flowchart, version 2026.11\n")
    assert (
        "| `context_test` | When you paste the facts it needs into the prompt, does it get the "
        "answer right? | `not_tried` (Not tried yet) → **prompt**; `yes` (Yes, it answers "
        "correctly) → **context**; `no` (No, it is still wrong) → `prompt_effort` |"
    ) in spec
    assert "| `hybrid` | Model problem: fine-tune" in spec


def test_decide_defaults_to_the_current_version_and_takes_its_vocabulary(tmp_path):
    document = {
        "answers": {"symptom": "tools", "tools_given": "no"},
        "evidence": {
            "failure_counts": {"tools": 6, "format": 1},
            "techniques_tried": ["schema"],
            "with_expected_output": 4,
            "most_iterations": 2,
        },
    }
    done = manage("decide", write(tmp_path, document), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["version"], result["outcome"]) == ("2027.02", "prompt")
    assert result["evidence"]["failure_counts"]["tools"] == 6
    assert result["evidence"]["techniques_tried"] == ["schema"]
    older = manage("decide", write(tmp_path, document), "--version", "2026.11")
    assert older.returncode == 2
    assert "unknown failure type(s): tools" in older.stderr
