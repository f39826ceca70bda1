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


def test_promptfoo_output_of_two_models_becomes_one_trial_per_model(logged_in, project):
    import json

    document = json.loads((FILES / "promptfoo_output.json").read_text())
    rows = document["results"]["results"]
    for row in rows[:4]:
        row["provider"]["id"] = "anthropic:claude-sonnet"
    response = import_trial(logged_in, project, "two.json", json.dumps(document).encode())
    assert response.status_code == 302
    trials = {t.model_name: (t.cases, t.on_current_model) for t in PromptTrial.objects.all()}
    # The fixture's 10 results on openai:gpt-4o-mini; 4 of them moved to another model.
    assert trials == {
        "anthropic:claude-sonnet": (4, False),
        "openai:gpt-4o-mini": (6, False),
    }


def test_the_trial_on_the_projects_own_model_is_the_current_one(logged_in, project):
    import json

    project.model_in_use = "GPT-4o mini"
    project.save()
    document = json.loads((FILES / "promptfoo_output.json").read_text())
    for row in document["results"]["results"][:4]:
        row["provider"]["id"] = "openai:gpt-4o"
    import_trial(logged_in, project, "two.json", json.dumps(document).encode())
    current = dict(PromptTrial.objects.values_list("model_name", "on_current_model"))
    assert current == {"openai:gpt-4o": False, "openai:gpt-4o-mini": True}


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


def promptfoo(*rows: dict) -> bytes:
    """A promptfoo output file holding these results, each on one prompt and provider."""
    import json

    base = {"provider": {"id": "openai:gpt-4o-mini"}, "prompt": {"label": "v1"}, "success": True}
    return json.dumps({"results": {"results": [{**base, **row} for row in rows]}}).encode()


@pytest.mark.parametrize("name", ["deep.json", "deep.txt"])
def test_deeply_nested_json_is_refused_not_a_server_error(logged_in, project, name):
    content = b'{"results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = import_trial(logged_in, project, name, content, label="v2", model_name="gpt-x")
    assert response.status_code == 422
    assert "The JSON nests deeper than 100 levels" in response.content.decode()
    assert PromptTrial.objects.count() == 0


def nested(levels: int) -> bytes:
    """A promptfoo-like document whose lists inside `results` make `levels` levels in all."""
    return b'{"results": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


def test_json_101_levels_deep_is_refused_and_100_levels_read(logged_in, project):
    deepest = import_trial(logged_in, project, "out.json", nested(100), label="v", model_name="m")
    assert deepest.status_code == 422
    assert "This is not promptfoo output" in deepest.content.decode()
    too_deep = import_trial(logged_in, project, "out.json", nested(101), label="v", model_name="m")
    assert "The JSON nests deeper than 100 levels" in too_deep.content.decode()


def test_deeply_nested_json_array_is_refused_not_a_server_error(logged_in, project):
    content = b"[" * 100_000
    response = import_trial(logged_in, project, "deep.json", content, label="v2", model_name="x")
    assert response.status_code == 422
    assert "The JSON nests deeper than 100 levels" in response.content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"testIdx": "x"}, "testIdx is “x”, not a case number."),
        ({"testIdx": True}, "testIdx is “True”, not a case number."),
        ({"testIdx": -1}, "testIdx is “-1”, not a case number."),
        ({"prompt": "p"}, "prompt is not an object with a label or raw text."),
        ({"testCase": [1]}, "testCase is not an object with a description."),
        ({"success": None, "gradingResult": "x"}, "gradingResult is not an object with a pass."),
        ({"provider": ["x"]}, "provider is not an object or a name."),
    ],
)
def test_promptfoo_results_of_the_wrong_shape_are_refused(logged_in, project, row, message):
    response = import_trial(logged_in, project, "out.json", promptfoo(row), model_name="x")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: the file was refused." in html
    assert f"<strong>Result 1</strong>: {message}" in html
    assert PromptTrial.objects.count() == 0


def test_promptfoo_test_index_names_the_case(logged_in, project):
    import_trial(logged_in, project, "out.json", promptfoo({"testIdx": 4}, {"testIdx": 0}))
    assert PromptTrial.objects.get().results == {"case 5": True, "case 1": True}


def cases_csv(count: int) -> bytes:
    return b"case_id,pass\n" + b"".join(b"c%d,1\n" % n for n in range(count))


def test_an_import_of_more_cases_than_a_trial_holds_is_refused(logged_in, project):
    response = import_trial(
        logged_in, project, "big.csv", cases_csv(100_001), label="v", model_name="m"
    )
    assert response.status_code == 422
    assert "The file holds 100,001 test cases; a trial holds at most 100,000." in (
        response.content.decode()
    )
    assert PromptTrial.objects.count() == 0


def test_an_import_of_as_many_cases_as_a_trial_holds_is_saved(logged_in, project):
    response = import_trial(
        logged_in, project, "big.csv", cases_csv(100_000), label="v", model_name="m"
    )
    assert response.status_code == 302
    assert PromptTrial.objects.get().cases == 100_000


def test_a_file_name_too_long_for_the_label_is_refused_with_the_limit(logged_in, project):
    name = "r" * 197 + ".csv"  # 201 characters
    response = import_trial(logged_in, project, name, b"case_id,pass\nc1,1\n", model_name="m")
    assert response.status_code == 422
    assert (
        "The file name is 201 characters long and would be the trial&#x27;s label, which holds "
        "at most 200: write a label."
    ) in response.content.decode()
    assert PromptTrial.objects.count() == 0


def test_a_file_name_as_long_as_the_label_becomes_the_label(logged_in, project):
    name = "r" * 196 + ".csv"  # 200 characters
    response = import_trial(logged_in, project, name, b"case_id,pass\nc1,1\n", model_name="m")
    assert response.status_code == 302
    assert PromptTrial.objects.get().label == name


def test_a_model_name_in_the_file_too_long_for_its_column_is_refused(logged_in, project):
    content = promptfoo({"provider": {"id": "m" * 201}})
    response = import_trial(logged_in, project, "out.json", content, label="v")
    assert response.status_code == 422
    assert (
        "The model the file names is 201 characters long; a trial&#x27;s model holds at most "
        "200: write the model."
    ) in response.content.decode()


def test_a_multi_line_prompt_becomes_a_one_line_label(logged_in, project):
    content = promptfoo({"prompt": {"raw": "Answer:\n{{question}}\r\nBe brief."}})
    import_trial(logged_in, project, "out.json", content, model_name="m")
    assert PromptTrial.objects.get().label == "Answer: {{question}} Be brief."


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999"])
def test_trial_ids_past_the_database_range_are_not_found(logged_in, project, value):
    mine = PromptTrial.objects.create(project=project, label="y", model_name="m", cases=1, passed=1)
    response = logged_in.get(f"/projects/{project.pk}/trials/compare/", {"a": mine.pk, "b": value})
    assert response.status_code == 404


def test_the_largest_trial_id_is_looked_up(logged_in, project):
    mine = PromptTrial.objects.create(project=project, label="y", model_name="m", cases=1, passed=1)
    response = logged_in.get(
        f"/projects/{project.pk}/trials/compare/", {"a": mine.pk, "b": "9223372036854775807"}
    )
    assert response.status_code == 404
