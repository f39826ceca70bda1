"""`manage.py decide` on 2027.02: the report rules in its JSON, the new evidence keys, and the
exit codes as before."""

from __future__ import annotations

import json

from tests.flowchart.test_commands import manage, write

HYBRID = {
    "symptom": "domain",
    "examples_test": "no",
    "test_set": "ready",
    "prompt_effort": "exhausted",
    "optimizer": "no_gain",
    "stronger_model": "all_fail",
    "foundation": "yes",
    "platform": "open_weight",
    "grader": "no",
    "data": "over_500",
    "team": "in_house",
    "budget": "yes",
    "oversight": "yes",
}
REPORT_KEYS = ["deciding", "deciding_option", "nearest", "nearest_answer", "experiment", "why"]


def test_json_adds_the_report_rules(tmp_path):
    evidence = {"test_set_size": 60, "pass_mark": 0.8, "decided_on": "2026-12-10"}
    done = manage(
        "decide",
        write(tmp_path, {"answers": HYBRID, "evidence": evidence}),
        "--json",
        "--version",
        "2027.02",
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert list(document)[-6:] == REPORT_KEYS
    assert (document["deciding"], document["deciding_option"]) == ("stronger_model", "all_fail")
    assert document["nearest"] == "switch_model"
    assert document["nearest_answer"] == {"node": "stronger_model", "option": "not_tried"}
    assert document["experiment"] == [
        "Run your best prompt on the most capable model of another vendor on your 60 cases; if "
        "48 or more pass (80%) at a cost you accept, the verdict becomes Switch models."
    ]
    assert document["why"][-1] == {
        "node": "oversight",
        "option": "yes",
        "rationale": "A tuned model drifts as data and base models change; without an owner "
        "nobody notices.",
    }
    assert document["evidence"]["decided_on"] == "2026-12-10"


def test_text_names_what_decided_it(tmp_path):
    done = manage("decide", write(tmp_path, {"answers": HYBRID}), "--version", "2027.02")
    assert done.returncode == 0, done.stderr
    assert (
        "Deciding: Have you run the same test set on the most capable models available to you, "
        "including another vendor's? -> None meets it"
    ) in done.stdout
    assert "Nearest: Model choice: switch models before training one" in done.stdout


def test_2027_01_json_has_no_report_keys(tmp_path):
    answers = {"symptom": "tone", "spelled_out": "no"}
    done = manage("decide", write(tmp_path, {"answers": answers}), "--json", "--version", "2027.01")
    assert done.returncode == 0
    assert not set(REPORT_KEYS) & set(json.loads(done.stdout))


def test_incomplete_run_has_no_report_keys_and_exits_3(tmp_path):
    answers = {"symptom": "facts", "context_test": "yes"}
    done = manage("decide", write(tmp_path, {"answers": answers}), "--json", "--version", "2027.02")
    assert done.returncode == 3
    document = json.loads(done.stdout)
    assert document["next_node"] == "retrieval_in_place"
    assert not set(REPORT_KEYS) & set(document)


def test_per_case_that_disagrees_with_passed_exits_2_with_the_reason(tmp_path):
    trial = {
        "label": "v1",
        "model": "m",
        "run_on": "2026-11-01",
        "cases": 2,
        "passed": 2,
        "per_case": [{"case": "a", "passed": True}, {"case": "b", "passed": False}],
    }
    document = {"answers": {}, "evidence": {"trials": [trial]}}
    done = manage("decide", write(tmp_path, document), "--version", "2027.02")
    assert done.returncode == 2
    assert "trial 'v1': per_case holds 1 pass, but passed is 2" in done.stderr


def test_trial_without_its_cases_exits_2(tmp_path):
    trial = {"label": "v1", "model": "m", "run_on": "2026-11-01", "passed": 2}
    document = {"answers": {}, "evidence": {"trials": [trial]}}
    done = manage("decide", write(tmp_path, document), "--version", "2027.02")
    assert done.returncode == 2
    assert "'cases'" in done.stderr
