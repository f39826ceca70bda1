"""Two flowchart versions side by side: old decisions keep rendering as they were, and a
draft started on the older version finishes on it."""

from __future__ import annotations

import re
import shutil

import pytest

from decisions.flowchart import registry
from decisions.records.models import Decision
from decisions.records.services import decision_create
from decisions.wizard.models import RunStatus, WizardRun
from tests.conftest import make_example
from tests.flowchart.spec_2026_11 import ANSWERS_FOR_OUTCOME as ANSWERS_2026_11
from tests.wizard.conftest import answer

# The page's own notices about today (re-run suggested), drawn inside the article so a phone shows
# the verdict first: they are not the report and rightly change when a newer flowchart arrives.
TODAYS_NOTICES = re.compile(
    r'<p class="summary-stale[^"]*">.*?</p>|<div class="alert[^"]*report-stale".*?</div>', re.S
)


def report_article(html: str) -> str:
    article = html[html.index('<article class="report"') : html.index("</article>")]
    article = re.sub(r"\n\s*(?=\n)", "", TODAYS_NOTICES.sub("", article))  # and the lines they took
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", article)


@pytest.fixture
def only_2026_11(tmp_path, monkeypatch):
    """The registry as it was before 2027.01 existed."""
    shutil.copy(registry.definition_files()["2026.11"], tmp_path / "2026.11.toml")
    monkeypatch.setattr(registry, "DEFINITIONS_DIR", tmp_path)
    monkeypatch.setattr(registry, "CURRENT_VERSION", "2026.11")
    registry.load_version.cache_clear()
    yield
    registry.load_version.cache_clear()


def old_run(project, user, outcome="hybrid") -> WizardRun:
    return WizardRun.objects.create(
        project=project,
        created_by=user,
        flowchart_version="2026.11",
        answers={node: {"option": option} for node, option in ANSWERS_2026_11[outcome].items()},
    )


def test_a_2026_11_report_is_identical_before_and_after_2027_01_is_registered(
    client, alice, project, request, monkeypatch
):
    for _ in range(4):
        make_example(project, failure_type="domain", iterations=6)
    client.force_login(alice)
    request.getfixturevalue("only_2026_11")
    decision = decision_create(run=old_run(project, alice), user=alice)
    url = f"/projects/{project.pk}/decisions/{decision.revision}/"
    before = client.get(url).content.decode()
    assert "Flowchart version 2026.11 (sha256" in before

    monkeypatch.undo()  # 2027.01 and 2027.02 are registered again, and 2027.02 is current
    registry.load_version.cache_clear()
    assert registry.current_version() == "2027.02"
    after = client.get(url).content.decode()

    assert report_article(after) == report_article(before)
    assert "Flowchart version 2027.02" in after  # only the footer names the newer version


def test_a_draft_started_on_2026_11_finishes_on_it_and_offers_the_new_version(
    client, alice, project
):
    run = WizardRun.objects.create(project=project, created_by=alice, flowchart_version="2026.11")
    client.force_login(alice)
    answer(client, run, "symptom", "facts")
    page = client.get(f"/wizard/runs/{run.pk}/q/context_test/").content.decode()
    assert "This run uses flowchart 2026.11; it finishes on that version." in page
    assert "start again on 2027.02" in page
    # 2026.11's edge: context_test=no leads straight to prompt_effort (2027.01 asks test_set).
    answer(client, run, "context_test", "no")
    assert answer(client, run, "prompt_effort", "untested").status_code == 302
    client.post(f"/wizard/runs/{run.pk}/finish/")
    decision = Decision.objects.get(project=project)
    assert decision.flowchart_version == "2026.11" and decision.outcome == "prompt"


def test_start_again_on_the_new_version_discards_the_old_draft(client, alice, project):
    old = WizardRun.objects.create(project=project, created_by=alice, flowchart_version="2026.11")
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/wizard/start/", {"restart": "1"})
    new = WizardRun.objects.get(project=project, status=RunStatus.DRAFT)
    assert new.pk != old.pk and new.flowchart_version == "2027.02"
    assert WizardRun.objects.get(pk=old.pk).status == RunStatus.DISCARDED
    assert response["Location"] == f"/wizard/runs/{new.pk}/q/symptom/"


def run_on_2027_01(project, user, answers: dict) -> WizardRun:
    return WizardRun.objects.create(
        project=project,
        created_by=user,
        flowchart_version="2027.01",
        answers={node: {"option": option} for node, option in answers.items()},
    )


def test_a_draft_on_2027_01_finishes_on_2027_01_and_offers_2027_02(client, alice, project):
    # 2027.01's edge: context_test=yes gives the facts at once (2027.02 asks about retrieval).
    run = run_on_2027_01(project, alice, {"symptom": "facts"})
    client.force_login(alice)
    page = client.get(f"/wizard/runs/{run.pk}/q/context_test/").content.decode()
    assert "This run uses flowchart 2027.01; it finishes on that version." in page
    assert "start again on 2027.02" in page
    answer(client, run, "context_test", "yes")
    client.post(f"/wizard/runs/{run.pk}/finish/")
    decision = Decision.objects.get(project=project)
    assert (decision.flowchart_version, decision.outcome) == ("2027.01", "context")
    # 2027.01 has no report rules: its snapshot keeps the shape it always had.
    assert "report_rules" not in decision.snapshot and "deciding" not in decision.explanation


def test_starting_again_on_2027_02_keeps_the_2027_01_draft_and_carries_its_answers(
    client, alice, project
):
    old = run_on_2027_01(project, alice, {"symptom": "facts", "context_test": "yes"})
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/wizard/start/", {"restart": "1"})
    new = WizardRun.objects.get(project=project, status=RunStatus.DRAFT)
    assert new.pk != old.pk and new.flowchart_version == "2027.02"
    assert response["Location"] == f"/wizard/runs/{new.pk}/q/symptom/"
    kept = WizardRun.objects.get(pk=old.pk)
    assert kept.status == RunStatus.DISCARDED and kept.flowchart_version == "2027.01"
    assert kept.chosen_options() == {"symptom": "facts", "context_test": "yes"}
    assert new.answers == {
        "symptom": {"option": "facts", "carried": "draft", "carried_from": "2027.01"},
        "context_test": {"option": "yes", "carried": "draft", "carried_from": "2027.01"},
    }
    assert new.chosen_options() == {}  # suggestions until the PM confirms each
    page = client.get(f"/wizard/runs/{new.pk}/q/symptom/").content.decode()
    assert "Carried over from your draft on flowchart 2027.01:" in page


def test_without_restart_the_2027_01_draft_is_resumed(client, alice, project):
    old = run_on_2027_01(project, alice, {"symptom": "facts"})
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    assert WizardRun.objects.get(project=project, status=RunStatus.DRAFT).pk == old.pk


def test_a_viewer_cannot_start_again(client, bob, alice, project):
    old = run_on_2027_01(project, alice, {"symptom": "facts"})
    client.force_login(bob)
    response = client.post(f"/projects/{project.pk}/wizard/start/", {"restart": "1"})
    assert response.status_code == 403
    assert WizardRun.objects.get(pk=old.pk).status == RunStatus.DRAFT


def test_a_stranger_cannot_start_again(client, charlie, alice, project):
    old = run_on_2027_01(project, alice, {"symptom": "facts"})
    client.force_login(charlie)
    response = client.post(f"/projects/{project.pk}/wizard/start/", {"restart": "1"})
    assert response.status_code == 404
    assert WizardRun.objects.get(pk=old.pk).status == RunStatus.DRAFT


def test_start_again_needs_the_csrf_token(alice, project):
    from django.test import Client

    old = run_on_2027_01(project, alice, {"symptom": "facts"})
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/projects/{project.pk}/wizard/start/", {"restart": "1"})
    assert response.status_code == 403
    assert WizardRun.objects.get(pk=old.pk).status == RunStatus.DRAFT
