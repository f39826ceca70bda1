"""Trials from the files the real tools write: promptfoo's --output as JSONL and YAML and its
--repeat runs, Braintrust experiment exports, LangSmith experiment CSVs with a feedback chosen
as the pass; and a file of another kind refused with a message about what it is."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence.models import PromptTrial

TRIAL_FILES = Path(__file__).parent / "files" / "trials"
FILES = Path(__file__).parent / "files"


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def upload(client, project, name, content, **file_fields):
    data = {
        "import-label": "",
        "import-model_name": "",
        "import-on_current_model": "on",
        "import-run_on": "2026-11-30",
        "file": SimpleUploadedFile(name, content),
        **file_fields,
    }
    return client.post(f"/projects/{project.pk}/trials/import/", data)


def refused_with(response, message: str) -> None:
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: the file was refused." in html
    assert message in html
    assert PromptTrial.objects.count() == 0


def test_promptfoo_jsonl_output_is_one_trial(logged_in, project):
    content = (TRIAL_FILES / "promptfoo_results.jsonl").read_bytes()
    assert upload(logged_in, project, "results.jsonl", content).status_code == 302
    trial = PromptTrial.objects.get()
    assert (trial.label, trial.model_name, trial.cases, trial.passed) == (
        "support-v4",
        "openai:gpt-4.1-mini",
        4,
        2,
    )
    assert trial.results == {
        "refund window": True,
        "late delivery": False,
        "Rückgabe": True,
        "Lieferzeit": False,
    }
    assert trial.source == "promptfoo"
    assert trial.repeats == 1
    assert trial.repeat_counts == {}
    # 0.00042 dollars a request; latencies 800, 900, 1000, 1100 ms (nearest rank: the 4th).
    assert trial.cost_per_1k_requests == Decimal("0.4200")
    assert trial.p95_latency_ms == 1100


def test_promptfoo_jsonl_groups_by_a_var(logged_in, project):
    content = (TRIAL_FILES / "promptfoo_results.jsonl").read_bytes()
    upload(logged_in, project, "results.jsonl", content, group_by="language")
    assert PromptTrial.objects.get().case_groups == {
        "refund window": "en",
        "late delivery": "en",
        "Rückgabe": "de",
        "Lieferzeit": "de",
    }


def test_promptfoo_yaml_output_is_one_trial(logged_in, project):
    content = (TRIAL_FILES / "promptfoo_results.yaml").read_bytes()
    assert upload(logged_in, project, "results.yaml", content).status_code == 302
    trial = PromptTrial.objects.get()
    assert trial.results == {"refund window": True, "late delivery": False}
    assert trial.source == "promptfoo"


def test_promptfoo_repeat_runs_make_one_trial_with_each_case_passing_in_most_runs(
    logged_in, project
):
    content = (TRIAL_FILES / "promptfoo_repeat.json").read_bytes()
    response = upload(logged_in, project, "results.json", content)
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    # refund window passed 3 of 3, late delivery 2 of 3, damaged item 1 of 3.
    assert trial.results == {"refund window": True, "late delivery": True, "damaged item": False}
    assert (trial.cases, trial.passed, trial.repeats) == (3, 2, 3)
    assert trial.repeat_counts == {
        "refund window": [3, 3],
        "late delivery": [2, 3],
        "damaged item": [1, 3],
    }
    assert trial.flaky_cases() == ["damaged item", "late delivery"]
    page = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert "3 runs a case" in page
    assert "<span data-flaky-cases>2 cases flipped</span>" in page


def test_a_case_passing_in_exactly_half_its_runs_fails(logged_in, project):
    rows = [
        {"testIdx": 0, "success": passed, "provider": "p", "prompt": {"label": "v1"}}
        for passed in (True, False)
    ] + [{"testIdx": 1, "success": True, "provider": "p", "prompt": {"label": "v1"}}] * 2
    content = json.dumps({"results": {"results": rows}}).encode()
    upload(logged_in, project, "out.json", content)
    trial = PromptTrial.objects.get()
    assert trial.results == {"case 1": False, "case 2": True}
    assert trial.repeat_counts == {"case 1": [1, 2], "case 2": [2, 2]}


def test_two_tests_sharing_a_description_are_still_refused(logged_in, project):
    rows = [
        {"testIdx": index, "testCase": {"description": "same"}, "success": True} for index in (0, 1)
    ]
    content = json.dumps({"results": {"results": rows}}).encode()
    refused_with(upload(logged_in, project, "out.json", content), "repeats the case “same”.")


def test_braintrust_experiment_reads_root_spans_with_the_chosen_score(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.json").read_bytes()
    response = upload(logged_in, project, "exp.json", content, pass_score="Factuality")
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    # Factuality 1, 0.6, 0 and 0.5 against the default mark of 0.5; the task and score
    # spans under each root are not cases.
    assert trial.results == {"rec-1": True, "rec-2": True, "rec-3": False, "rec-4": True}
    assert (trial.source, trial.model_name, trial.label) == (
        "braintrust",
        "gpt-4.1-mini",
        "exp.json",
    )
    assert trial.cost_per_1k_requests == Decimal("0.3000")


def test_braintrust_jsonl_with_a_higher_mark(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.jsonl").read_bytes()
    upload(logged_in, project, "exp.jsonl", content, pass_score="Factuality", pass_at="0.61")
    trial = PromptTrial.objects.get()
    assert trial.results == {"rec-1": True, "rec-2": False, "rec-3": False, "rec-4": False}


def test_braintrust_mark_just_above_a_score_fails_it(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.jsonl").read_bytes()
    upload(logged_in, project, "exp.jsonl", content, pass_score="Factuality", pass_at="0.6001")
    assert PromptTrial.objects.get().results["rec-2"] is False


def test_braintrust_mark_equal_to_a_score_passes_it(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.jsonl").read_bytes()
    upload(logged_in, project, "exp.jsonl", content, pass_score="Factuality", pass_at="0.6")
    assert PromptTrial.objects.get().results["rec-2"] is True


def test_braintrust_groups_by_metadata(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.json").read_bytes()
    upload(logged_in, project, "exp.json", content, pass_score="ExactMatch", group_by="language")
    trial = PromptTrial.objects.get()
    assert trial.results == {"rec-1": True, "rec-2": False, "rec-3": False, "rec-4": False}
    assert trial.case_groups == {"rec-1": "en", "rec-2": "de", "rec-3": "de", "rec-4": "en"}


def test_braintrust_with_two_scores_and_none_named_is_refused_naming_both(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.json").read_bytes()
    refused_with(
        upload(logged_in, project, "exp.json", content),
        "The rows carry 2 scores (Factuality, ExactMatch): name the one that decides a pass",
    )


def test_braintrust_with_a_misspelt_score_is_refused(logged_in, project):
    content = (TRIAL_FILES / "braintrust_experiment.json").read_bytes()
    refused_with(
        upload(logged_in, project, "exp.json", content, pass_score="Factual"),
        "The file has no score “Factual”; its scores are: Factuality, ExactMatch.",
    )


def test_langsmith_experiment_csv_with_a_chosen_feedback(logged_in, project):
    content = (TRIAL_FILES / "langsmith_experiment.csv").read_bytes()
    response = upload(logged_in, project, "experiment.csv", content, pass_score="correctness")
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    # Keyed by the dataset example, so two experiments on it compare case by case; the run
    # that errored without feedback failed.
    assert trial.results == {
        "6f1c0b52-1f0e-4d8a-9c4e-0a6b2d6f0a01": True,
        "6f1c0b52-1f0e-4d8a-9c4e-0a6b2d6f0a02": False,
        "6f1c0b52-1f0e-4d8a-9c4e-0a6b2d6f0a03": False,
    }
    assert trial.source == "langsmith"
    assert trial.cost_per_1k_requests == Decimal("0.3750")


def test_langsmith_another_feedback_decides_otherwise(logged_in, project):
    content = (TRIAL_FILES / "langsmith_experiment.csv").read_bytes()
    upload(logged_in, project, "experiment.csv", content, pass_score="conciseness", pass_at="0.9")
    assert list(PromptTrial.objects.get().results.values()) == [False, True, False]


def test_langsmith_groups_by_an_input_column(logged_in, project):
    content = (TRIAL_FILES / "langsmith_experiment.csv").read_bytes()
    upload(logged_in, project, "e.csv", content, pass_score="correctness", group_by="language")
    assert list(PromptTrial.objects.get().case_groups.values()) == ["en", "de", "en"]


def test_langsmith_with_two_feedbacks_and_none_named_is_refused(logged_in, project):
    content = (TRIAL_FILES / "langsmith_experiment.csv").read_bytes()
    refused_with(
        upload(logged_in, project, "experiment.csv", content),
        "The rows carry 2 feedbacks (correctness, conciseness)",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("braintrust.jsonl", "This JSON Lines file holds examples (fields: id, input, output"),
        ("openai_evals.jsonl", "This JSON Lines file holds examples (fields: input, ideal"),
        ("langsmith_dataset.jsonl", "This JSON Lines file holds examples (fields: inputs"),
        ("langfuse.json", "holds examples"),
    ],
)
def test_an_examples_file_is_refused_as_examples_not_as_a_bad_csv(
    logged_in, project, name, message
):
    response = upload(logged_in, project, name, (FILES / name).read_bytes())
    refused_with(response, message)
    assert "Import examples on the project’s Import page." in response.content.decode()
    assert "The CSV needs" not in response.content.decode()


def test_a_jsonl_line_that_is_not_json_is_refused_with_its_line(logged_in, project):
    lines = (TRIAL_FILES / "promptfoo_results.jsonl").read_text().splitlines()
    lines[2] = lines[2][:40]
    content = ("\n".join(lines) + "\n").encode()
    refused_with(upload(logged_in, project, "results.jsonl", content), "<strong>Line 3</strong>")


def test_yaml_that_builds_objects_is_refused(logged_in, project):
    content = b"results: !!python/object/apply:os.system ['true']\n"
    refused_with(upload(logged_in, project, "results.yaml", content), "not valid YAML")
