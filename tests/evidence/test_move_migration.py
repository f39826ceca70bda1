"""The evidence models moved from `projects` to `evidence` without moving a row: a database
holding examples, imports and trials under the old state finds them all under the new."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("projects", "0004_prompt_trials"), ("evidence", None)]
AFTER = [("projects", "0005_evidence_moves_out"), ("evidence", "0001_initial")]


def migrate(targets):
    """Migrates to `targets` and returns the models as the applied migrations define them."""
    MigrationExecutor(connection).migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_rows_of_every_moved_model_survive_the_move():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="pm")
    team = old.get_model("accounts", "Team").objects.create(name="Growth")
    project = old.get_model("projects", "Project").objects.create(team=team, name="Bot")
    old.get_model("projects", "FailedExample").objects.create(
        project=project,
        title="Invents a refund policy",
        input_text="Can I return shoes?",
        bad_output="Yes, 90 days.",
        failure_type="facts",
        created_by=user,
    )
    old.get_model("projects", "ExampleImport").objects.create(
        project=project, filename="evals.csv", file_format="csv", shape="table", row_count=7
    )
    old.get_model("projects", "PromptTrial").objects.create(
        project=project, label="v3", model_name="gpt-4o", cases=60, passed=51
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    # As a database made before the move has them: under the old label only.
    content_types.filter(app_label="evidence").delete()
    content_types.get_or_create(app_label="projects", model="failedexample")

    new = migrate(AFTER)

    example = new.get_model("evidence", "FailedExample").objects.get()
    assert (example.title, example.project.name, example.created_by.username) == (
        "Invents a refund policy",
        "Bot",
        "pm",
    )
    example_import = new.get_model("evidence", "ExampleImport").objects.get()
    assert (example_import.filename, example_import.row_count) == ("evals.csv", 7)
    trial = new.get_model("evidence", "PromptTrial").objects.get()
    assert (trial.label, trial.cases, trial.passed) == ("v3", 60, 51)
    moved = new.get_model("contenttypes", "ContentType").objects
    assert moved.filter(app_label="evidence", model="failedexample").count() == 1
    assert not moved.filter(app_label="projects", model="failedexample").exists()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
