"""Prompt trials: recorded or imported from promptfoo and CSV, the pass mark and its break-even
helper, case-by-case comparison, and a bad import refused with nothing saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence.models import PromptTrial

FILES = Path(__file__).parent / "files"


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def import_trial(client, project, name, content, **fields):
    data = {
        "import-label": "",
        "import-model_name": "",
        "import-on_current_model": "on",
        "import-run_on": "2026-11-20",
        "file": SimpleUploadedFile(name, content),
        **{f"import-{k}": v for k, v in fields.items()},
    }
    return client.post(f"/projects/{project.pk}/trials/import/", data)


def test_promptfoo_output_becomes_one_trial_with_its_case_results(logged_in, project):
    content = (FILES / "promptfoo_output.json").read_bytes()
    response = import_trial(logged_in, project, "results.json", content, techniques=["role"])
    assert response.status_code == 302
    trial = PromptTrial.objects.get()
    assert (trial.label, trial.model_name, trial.cases, trial.passed) == (
        "policy-v3",
        "openai:gpt-4o-mini",
        10,
        7,
    )
    assert trial.results["used kettle"] is False
    assert trial.results["refund window"] is True
    assert trial.source == "promptfoo"
    assert trial.techniques == ["role"]


def test_csv_of_case_results(logged_in, project):
    content = b"case_id,pass\nc1,pass\nc2,FAIL\nc3,true\nc4,0\n"
    import_trial(logged_in, project, "cases.csv", content, label="v2", model_name="gpt-x")
    trial = PromptTrial.objects.get()
    assert (trial.cases, trial.passed, trial.source) == (4, 2, "csv")
    assert trial.results == {"c1": True, "c2": False, "c3": True, "c4": False}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.csv", b"case_id,pass\nc1,pass\nc2,maybe\n", "“maybe” is not pass or fail."),
        ("cases.csv", b"case_id,pass\nc1,pass\nc1,fail\n", "repeats the case “c1”."),
        ("cases.csv", b"name,score\nc1,1\n", "The CSV needs a case id column (case_id)"),
        ("out.json", b'{"results": {"stats": {}}}', "This is not promptfoo output"),
        ("out.json", b'{"results": [', "not valid JSON"),
    ],
)
def test_a_bad_import_is_refused_and_nothing_saved(logged_in, project, name, content, message):
    response = import_trial(logged_in, project, name, content, label="v2", model_name="gpt-x")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: the file was refused." in html
    assert message in html
    assert PromptTrial.objects.count() == 0


def test_promptfoo_output_with_two_providers_is_refused(logged_in, project):
    import json

    document = json.loads((FILES / "promptfoo_output.json").read_text())
    document["results"]["results"][0]["provider"]["id"] = "anthropic:claude"
    response = import_trial(logged_in, project, "two.json", json.dumps(document).encode())
    assert response.status_code == 422
    assert "The file holds 2 prompt and model combinations" in response.content.decode()
    assert PromptTrial.objects.count() == 0


def test_record_a_trial_by_hand_and_refuse_more_passed_than_cases(logged_in, project):
    data = {
        "trial-label": "v1",
        "trial-model_name": "gpt-x",
        "trial-on_current_model": "on",
        "trial-run_on": "2026-11-01",
        "trial-cases": "10",
        "trial-passed": "11",
    }
    refused = logged_in.post(f"/projects/{project.pk}/trials/add/", data)
    assert refused.status_code == 422
    assert "11 passed out of 10 cases is not possible." in refused.content.decode()
    logged_in.post(f"/projects/{project.pk}/trials/add/", {**data, "trial-passed": "8"})
    page = logged_in.get(f"/projects/{project.pk}/trials/").content.decode()
    assert "8 of 10" in page
    assert "80% <span" in page
    assert "(49–94%)" in page
    assert "<svg" in page and "pass mark 80%" in page


def test_pass_mark_and_break_even(logged_in, project):
    page = logged_in.get(
        f"/projects/{project.pk}/trials/", {"value_right": "2", "cost_wrong": "8"}
    ).content.decode()
    assert "Break-even pass rate: <strong>80%</strong>" in page
    response = logged_in.post(
        f"/projects/{project.pk}/trials/pass-mark/", {"pass_mark": 90, "version": project.version}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.pass_mark == 90
    stale = logged_in.post(
        f"/projects/{project.pk}/trials/pass-mark/", {"pass_mark": 70, "version": 1}
    )
    assert stale.status_code == 409
    project.refresh_from_db()
    assert project.pass_mark == 90


def test_compare_two_trials_case_by_case(logged_in, project):
    first = PromptTrial.objects.create(
        project=project,
        label="v1",
        model_name="m",
        cases=3,
        passed=1,
        results={"a": False, "b": True, "c": False},
    )
    second = PromptTrial.objects.create(
        project=project,
        label="v2",
        model_name="m",
        cases=3,
        passed=2,
        results={"a": True, "b": False, "c": True},
    )
    html = logged_in.get(
        f"/projects/{project.pk}/trials/compare/", {"a": first.pk, "b": second.pk}
    ).content.decode()
    assert "<strong data-fixed>2</strong> cases now pass that failed" in html
    assert "<strong data-broken>1</strong> case now fails that passed" in html


def test_another_projects_trial_cannot_be_compared(logged_in, project, team):
    from decisions.projects.models import Project

    other = Project.objects.create(team=team, name="Other")
    theirs = PromptTrial.objects.create(project=other, label="x", model_name="m", cases=1, passed=1)
    mine = PromptTrial.objects.create(project=project, label="y", model_name="m", cases=1, passed=1)
    response = logged_in.get(
        f"/projects/{project.pk}/trials/compare/", {"a": mine.pk, "b": theirs.pk}
    )
    assert response.status_code == 404
