"""The acceptance cases of 2027.02 (cases_2027_02.json, one or more per outcome) through
`manage.py decide --json`: the verdict, what decided it, the nearest alternative, the
experiment, the warnings and the confidence. The wizard-agreement test reuses the file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.flowchart.spec_2027_02 import SPEC_OUTCOMES

CASES_FILE = Path(__file__).with_name("cases_2027_02.json")
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def decide(tmp_path, case) -> dict:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"answers": case["answers"], "evidence": case["evidence"]}))
    out = io.StringIO()
    call_command("decide", str(path), "--json", "--version", "2027.02", stdout=out)
    return json.loads(out.getvalue())


def test_every_outcome_has_a_case():
    assert sorted({case["expected"]["outcome"] for case in CASES}) == sorted(SPEC_OUTCOMES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_decide_gives_the_expected_report(tmp_path, case):
    document = decide(tmp_path, case)
    expected = case["expected"]
    assert document["status"] == "complete"
    assert document["outcome"] == expected["outcome"]
    assert document["deciding"] == expected["deciding"]
    assert document["deciding_option"] == expected["deciding_option"]
    assert document["nearest"] == expected["nearest"]
    assert document["nearest_answer"] == expected["nearest_answer"]
    assert document["experiment"] == expected["experiment"]
    assert [warning["code"] for warning in document["warnings"]] == expected["warnings"]
    assert document["confidence"] == expected["confidence"]
    assert [item["node"] for item in document["why"]] == list(case["answers"])
