"""The tools read back exactly what we wrote, with their own code from npm (`make validators`):

- promptfoo 0.120.27 runs our test files with its `echo` provider, which answers with the
  prompt it was given: a prompt of `{{input}}` must come back as the example's input, letter
  for letter, and one of `{{expected}}` must pass the file's own equals check. So no value is
  read as a template, a file to load or an assertion, and nothing is trimmed.
- @log4brains/core 1.1.0 reads three exported decision records: two proposed, one accepted,
  each with its deciders.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from decisions.accounts.models import Membership
from decisions.projects.models import Project
from decisions.records.review import review_move
from tests.conftest import make_example
from tests.evidence.validators.conftest import (
    NODE_INSTALLED,
    NODE_MODULES,
    VALIDATORS,
    export,
    require,
)
from tests.reports.conftest import save_decision

# What these check is the files, which no database changes: CI runs them on SQLite alone.
pytestmark = pytest.mark.validators

PROMPTFOO = NODE_MODULES / ".bin" / "promptfoo"
CONFIG = """prompts:
  - id: input
    raw: "{{input}}"
  - id: expected
    raw: "{{expected}}"
providers:
  - echo
tests: file://tests.yaml
"""


def promptfoo_eval(tests_yaml: str, tmp_path: Path) -> list[dict]:
    """promptfoo's results for our tests file: one per test and prompt."""
    require(NODE_INSTALLED, "promptfoo")
    (tmp_path / "tests.yaml").write_text(tests_yaml, encoding="utf-8")
    (tmp_path / "promptfooconfig.yaml").write_text(CONFIG, encoding="utf-8")
    env = os.environ | {
        "PROMPTFOO_CONFIG_DIR": str(tmp_path / "promptfoo-home"),
        "PROMPTFOO_DISABLE_TELEMETRY": "1",
        "PROMPTFOO_DISABLE_UPDATE": "1",
        "PROMPTFOO_DISABLE_SHARING": "1",
    }
    command = [str(PROMPTFOO), "eval", "-c", "promptfooconfig.yaml", "--no-cache"]
    # It exits 100 when a test fails, as the {{input}} prompt's equals checks do by design.
    run = subprocess.run(
        [*command, "--no-progress-bar", "-o", "results.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (tmp_path / "results.json").exists(), run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    return results["results"]["results"]


def by_prompt(results: list[dict], prompt: str) -> dict[str, dict]:
    return {r["testCase"]["description"]: r for r in results if r["prompt"]["label"] == prompt}


@pytest.mark.parametrize("part", ["train", "test"])
def test_promptfoo_reads_every_value_of_our_tests_as_literal_text(
    client, alice, project, realistic, tmp_path, part
):
    client.force_login(alice)
    results = promptfoo_eval(export(client, project, "promptfoo", part), tmp_path)
    held_out = {realistic[0].pk, realistic[-1].pk}
    examples = [e for e in realistic if (e.pk in held_out) == (part == "test")]
    assert len(results) == 2 * len(examples)
    inputs, expected = by_prompt(results, "{{input}}"), by_prompt(results, "{{expected}}")
    assert {title: r["response"]["output"] for title, r in inputs.items()} == {
        e.title: e.input_text for e in examples
    }
    assert {title: r["response"]["output"] for title, r in expected.items()} == {
        e.title: e.expected_output for e in examples
    }
    # The equals check holds the expected output as written: it passes on it, and fails on
    # the input (no example's input is its expected output).
    assert [title for title, r in expected.items() if not r["success"]] == []
    assert [title for title, r in inputs.items() if r["success"]] == []


def test_promptfoo_reads_the_experiment_as_literal_text_too(
    client, alice, project, realistic, tmp_path
):
    client.force_login(alice)
    response = client.post(
        f"/projects/{project.pk}/export/experiment/",
        {"prompt": "{{input}}", "models": "openai:gpt-4o", "assertion": "equals"},
    )
    tests_yaml = zipfile.ZipFile(io.BytesIO(response.content)).read("tests.yaml").decode()
    results = promptfoo_eval(tests_yaml, tmp_path)
    first, last = realistic[0], realistic[-1]
    inputs, expected = by_prompt(results, "{{input}}"), by_prompt(results, "{{expected}}")
    assert {case: r["response"]["output"] for case, r in inputs.items()} == {
        f"example-{first.pk}": "Übersetze: „Grüß Gott“ → 日本語で",
        f"example-{last.pk}": last.input_text,
    }
    assert {case: r["success"] for case, r in expected.items()} == {
        f"example-{first.pk}": True,
        f"example-{last.pk}": True,
    }


def log4brains_read(records: dict[str, str], tmp_path: Path) -> list[dict]:
    require(NODE_INSTALLED, "@log4brains/core")
    folder = tmp_path / "docs" / "adr"
    folder.mkdir(parents=True)
    (tmp_path / ".log4brains.yml").write_text(
        "project:\n  name: Decisions\n  tz: Etc/UTC\n  adrFolder: ./docs/adr\n", encoding="utf-8"
    )
    for name, text in records.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["node", str(VALIDATORS / "read_adrs.js"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return sorted(json.loads(run.stdout), key=lambda adr: adr["slug"])


def test_log4brains_reads_status_and_deciders_of_our_records(
    client, alice, emily, team, project, tmp_path
):
    owner, editor = (Membership.objects.get(user=u, team=team) for u in (alice, emily))
    projects = [project] + [
        Project.objects.create(team=team, name=name, owner=alice)
        for name in ("Contract review", "Support bot")
    ]
    decisions = []
    for each in projects:
        make_example(each)
        decision = save_decision(each, alice, "prompt")
        review_move(decision=decision, membership=owner, user=alice, move="propose")
        decisions.append(decision)
    review_move(decision=decisions[1], membership=editor, user=emily, move="accept")
    client.force_login(alice)
    records = {
        f"record-{n}": client.get(
            f"/projects/{d.project_id}/decisions/{d.revision}/decision.md"
        ).content.decode()
        for n, d in enumerate(decisions, 1)
    }
    read = log4brains_read(records, tmp_path)
    day = decisions[0].created_at.date().isoformat()
    assert [(a["slug"], a["status"], a["deciders"]) for a in read] == [
        ("record-1", "proposed", ["alice"]),
        ("record-2", "accepted", ["alice", "emily"]),
        ("record-3", "proposed", ["alice"]),
    ]
    assert [a["title"] for a in read] == [
        "Email drafter: Prompting problem: engineer the prompt",
        "Contract review: Prompting problem: engineer the prompt",
        "Support bot: Prompting problem: engineer the prompt",
    ]
    assert {a["publicationDate"] for a in read} == {f"{day}T23:59:59.000Z"}


def test_a_tests_file_reads_back_as_yaml_too(client, alice, project, realistic):
    """What promptfoo's YAML loader sees first: a list of tests, one per example."""
    client.force_login(alice)
    tests = yaml.safe_load(export(client, project, "promptfoo"))
    assert len(tests) == 12
