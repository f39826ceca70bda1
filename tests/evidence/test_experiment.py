"""The experiment, ready to run: promptfoo files over the test set whose values are data, and
whose output imports back as one trial per model with each case's group."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.evidence import services
from decisions.evidence.exports.forms import ExperimentForm
from decisions.evidence.models import PromptTrial
from tests.conftest import make_example

PROMPT = "You flag risky clauses.\n\nClause: {{input}}"
HOSTILE = {
    "input_text": "Dear {{name}}, {% raw %}see clause 'x'{% endraw %} javascript:alert(1)",
    "expected_output": "python: print('flag') # file://etc/passwd",
}


@pytest.fixture
def test_set(project, alice):
    hostile = make_example(project, title="Hostile", failure_type="tone", **HOSTILE)
    plain = make_example(project, title="Plain", failure_type="facts", expected_output="30 days")
    make_example(project, title="Training only", expected_output="Kept out")
    services.test_set_choose(project=project, user=alice, example_ids=[hostile.pk, plain.pk])
    return hostile, plain


def download(client, project, **data):
    values = {
        "prompt": PROMPT,
        "models": "openai:gpt-4o\nanthropic:messages:claude-sonnet-4-5",
        "assertion": "equals",
    }
    values.update(data)
    return client.post(f"/projects/{project.pk}/export/experiment/", values)


def files_of(response) -> dict[str, str]:
    assert response.status_code == 200, response.content[:400]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_config_runs_the_prompt_on_each_model_over_the_test_set(
    client, alice, project, test_set
):
    client.force_login(alice)
    files = files_of(download(client, project))
    assert sorted(files) == ["prompt.txt", "promptfooconfig.yaml", "tests.yaml"]
    config = yaml.safe_load(files["promptfooconfig.yaml"])
    assert config["prompts"] == ["file://prompt.txt"]
    assert config["providers"] == [
        {"id": "openai:gpt-4o"},
        {"id": "anthropic:messages:claude-sonnet-4-5"},
    ]
    assert config["tests"] == "file://tests.yaml"
    assert config["description"] == "Email drafter, test set v1"
    assert files["prompt.txt"] == PROMPT


def test_every_value_is_data_and_the_only_templates_are_ours(client, alice, project, test_set):
    hostile, plain = test_set
    client.force_login(alice)
    tests = yaml.safe_load(files_of(download(client, project))["tests.yaml"])
    assert [test["description"] for test in tests] == [
        f"example-{hostile.pk}",
        f"example-{plain.pk}",
    ]
    first = tests[0]
    # Nunjucks prints each tag opener as a string (promptfoo renders vars and assertion values
    # as templates); tests/evidence/validators/test_promptfoo.py runs promptfoo on this.
    assert first["vars"] == {
        "input": 'Dear {{ "{{" }}name}}, {{ "{%" }} raw {{ "%}" }}see clause \'x\''
        '{{ "{%" }} endraw {{ "%}" }} javascript:alert(1)',
        "expected": "python: print('flag') # file://etc/passwd",
    }
    assert first["assert"] == [
        {"type": "equals", "value": "python: print('flag') # file://etc/passwd"}
    ]
    assert first["metadata"] == {"group": "Tone or style"}
    assert "Kept out" not in json.dumps(tests)  # a training example never goes in


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("prompt", "No variable here", "Write {{input}} where each case&#x27;s input goes"),
        ("prompt", "{{input}} in {{language}}", "Only {{input}} may be a template"),
        ("prompt", "{% if x %}{{input}}{% endif %}", "Only {{input}} may be a template"),
        ("assertion", "javascript", "Select a valid choice."),
        ("models", "", "This field is required."),
        ("models", "openai gpt-4o", "“openai gpt-4o” is not a promptfoo provider id"),
        (
            "models",
            "\n".join(f"openai:m{n}" for n in range(11)),
            "That is 11 models; the limit is 10.",
        ),
    ],
)
def test_a_wrong_prompt_or_model_list_is_refused_with_the_reason(
    client, alice, project, test_set, field, value, message
):
    client.force_login(alice)
    response = download(client, project, **{field: value})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_without_a_test_set_there_is_no_experiment(client, alice, project):
    make_example(project)
    client.force_login(alice)
    response = download(client, project)
    assert response.status_code == 422
    assert "Choose the test set first" in response.content.decode()


def test_its_output_imports_back_as_one_trial_per_model_with_groups(
    client, alice, project, test_set
):
    """A promptfoo --output of the exported tests, as promptfoo writes it for two providers."""
    client.force_login(alice)
    tests = yaml.safe_load(files_of(download(client, project))["tests.yaml"])
    results = []
    for provider, passes in (
        ("openai:gpt-4o", (True, True)),
        ("anthropic:messages:claude", (False, True)),
    ):
        for index, (test, passed) in enumerate(zip(tests, passes, strict=True)):
            results.append(
                {
                    "testIdx": index,
                    "promptIdx": 0,
                    "testCase": test,
                    "vars": test["vars"],
                    "provider": {"id": provider, "label": ""},
                    "prompt": {"raw": PROMPT, "label": "prompt.txt"},
                    "success": passed,
                    "latencyMs": 500,
                    "cost": 0.004,
                }
            )
    output = json.dumps({"results": {"version": 3, "results": results}}).encode()
    response = client.post(
        f"/projects/{project.pk}/trials/import/",
        {
            "import-label": "best prompt",
            "import-model_name": "",
            "import-on_current_model": "on",
            "import-run_on": "2026-12-01",
            "file": SimpleUploadedFile("results.json", output),
            "group_by": "group",
        },
    )
    assert response.status_code == 302
    trials = {t.model_name: t for t in PromptTrial.objects.all()}
    assert sorted(trials) == ["anthropic:messages:claude", "openai:gpt-4o"]
    hostile, plain = test_set
    assert trials["anthropic:messages:claude"].results == {
        f"example-{hostile.pk}": False,
        f"example-{plain.pk}": True,
    }
    assert trials["openai:gpt-4o"].case_groups == {
        f"example-{hostile.pk}": "Tone or style",
        f"example-{plain.pk}": "Facts",
    }
    assert trials["openai:gpt-4o"].cost_per_1k_requests == 4


def test_a_grader_judges_each_case_against_its_expected_output_by_default(
    client, alice, project, test_set
):
    client.force_login(alice)
    tests = yaml.safe_load(
        files_of(download(client, project, assertion="llm-rubric", prompt="Q: {{ input }}"))[
            "tests.yaml"
        ]
    )
    assert tests[0]["assert"] == [
        {
            "type": "llm-rubric",
            "value": "The output says what this expected answer says, in any words: "
            "python: print('flag') # file://etc/passwd",
        }
    ]
    assert ExperimentForm().fields["assertion"].initial == "llm-rubric"


def test_the_export_page_title_is_plain_text(client, alice, project):
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/export/").content.decode()
    title = html[html.index("<title>") + len("<title>") : html.index("</title>")]
    assert title == "Export · Email drafter · Prompt or Model?"
