"""A saved decision is a self-contained record: its report never reads the live definition."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from decisions.flowchart import registry
from decisions.records.models import Decision
from decisions.wizard.models import WizardRun
from tests.reports.conftest import save_decision

PROMPT_VERDICT = "Prompting problem: engineer the prompt"
PROMPT_ANALOGY_START = "Fresh paint, not a gut job: the model already has what it needs"


@pytest.fixture
def reworded_definitions(tmp_path, monkeypatch):
    """The registered definitions with every occurrence of some words changed, as a later
    wording fix to the same version would."""
    for name, path in registry.definition_files().items():
        text = path.read_text(encoding="utf-8")
        for old, new in [
            ("Fresh paint", "REWORDED paint"),
            ("engineer the prompt", "REWORDED verdict"),
            ("What goes wrong most often", "REWORDED question"),
            ("Tone, voice or style is off", "REWORDED answer"),
        ]:
            text = text.replace(old, new)
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(registry, "DEFINITIONS_DIR", tmp_path)
    registry.load_version.cache_clear()
    yield
    registry.load_version.cache_clear()


def test_snapshot_holds_what_the_report_shows(project, alice):
    decision = save_decision(project, alice, "prompt")
    snapshot = decision.snapshot
    assert snapshot["outcome"]["verdict"] == PROMPT_VERDICT
    assert snapshot["outcome"]["analogy"].startswith(PROMPT_ANALOGY_START)
    assert snapshot["outcome"]["label"] == "Engineer the prompt"
    assert len(snapshot["outcome"]["risks"]) >= 1
    assert [row["id"] for row in snapshot["alternatives"]] == [
        "context",
        "measure",
        "switch_model",
        "optimize",
        "retrieval",
        "orchestration",
        "classifier",
        "guardrails",
        "tune_serving",
        "hybrid",
        "distill",
        "prepare",
        "adapt",
        "pretrain",
        "rescope",
    ]
    assert snapshot["labels"]["failure_types"]["tone"] == "Tone, voice or style is off"
    assert snapshot["labels"]["techniques"]["role"] == "A role or persona"
    assert snapshot["flowchart"]["version"] == decision.flowchart_version
    assert snapshot["format"] == 2
    assert snapshot["more_questions"][0]["question"] == "What goes wrong most often?"


def test_a_wording_fix_to_the_definition_does_not_change_an_old_report(
    client, alice, project, request
):
    decision = save_decision(project, alice, "prompt", notes={"symptom": "Mostly tone"})
    client.force_login(alice)
    url = f"/projects/{project.pk}/decisions/{decision.revision}/"
    before = client.get(url).content.decode()
    assert PROMPT_VERDICT in before

    request.getfixturevalue("reworded_definitions")
    assert registry.get_definition().outcomes["prompt"].verdict.endswith("REWORDED verdict")
    after = client.get(url).content.decode()

    assert report_article(after) == report_article(before)
    assert "REWORDED" not in after


def report_article(html: str) -> str:
    """The report itself, without the page's per-response CSRF token."""
    article = html[html.index('<article class="report"') : html.index("</article>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", article)


def test_the_pdf_cache_key_follows_the_snapshot(project, alice):
    first = save_decision(project, alice, "prompt")
    second = save_decision(project, alice, "prompt")
    assert first.content_hash() == Decision.objects.get(pk=first.pk).content_hash()
    changed = Decision.objects.get(pk=second.pk)
    changed.snapshot = {**changed.snapshot, "outcome": {**changed.snapshot["outcome"], "x": 1}}
    assert changed.content_hash() != second.content_hash()


def test_a_run_takes_the_registry_current_version_when_it_starts(project, alice, monkeypatch):
    monkeypatch.setattr(registry, "CURRENT_VERSION", "2099.01")
    run = WizardRun.objects.create(project=project, created_by=alice)
    assert run.flowchart_version == "2099.01"


@pytest.mark.django_db(transaction=True)
def test_migration_fills_snapshots_of_older_decisions(project, alice):
    decision = save_decision(project, alice, "context")
    executor = MigrationExecutor(connection)
    executor.migrate([("records", "0001_initial")])
    old_state = executor.loader.project_state([("records", "0001_initial")])
    assert "snapshot" not in old_state.apps.get_model("records", "Decision")._meta.fields_map

    # Forward again, everything: going back also unapplied what depends on records.
    call_command("migrate", verbosity=0)

    filled = Decision.objects.get(pk=decision.pk)
    assert filled.snapshot["outcome"]["verdict"] == (
        "Prompting problem: give the model the facts (context, retrieval)"
    )
    # The shape reports had then (format 1), with the same content.
    assert filled.snapshot["format"] == 1
    assert filled.snapshot["changes"][0]["question"] == "What goes wrong most often?"
    assert filled.snapshot["outcome"] == decision.snapshot["outcome"]
