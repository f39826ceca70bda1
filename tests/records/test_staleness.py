"""Re-run suggested when the evidence or the flowchart moved on; a re-run starts from the last
revision's answers, each carried over for the PM to confirm."""

from __future__ import annotations

from decisions.wizard.models import RunStatus, WizardRun
from tests.conftest import make_example
from tests.records.test_versions import old_run
from tests.reports.conftest import save_decision


def report(client, decision) -> str:
    url = f"/projects/{decision.project_id}/decisions/{decision.revision}/"
    return client.get(url).content.decode()


def test_a_fresh_decision_is_not_stale(client, alice, project):
    make_example(project, failure_type="tone")
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    assert "Re-run suggested" not in report(client, decision)


def test_new_examples_make_it_stale_and_say_which_warnings_would_change(client, alice, project):
    make_example(project, failure_type="tone")
    decision = save_decision(project, alice, "prompt")  # symptom answered: tone
    for _ in range(3):
        make_example(project, failure_type="facts")
    client.force_login(alice)
    html = report(client, decision)
    assert "Re-run suggested: this revision may no longer hold." in html
    assert "The project now has 4 failed examples; this revision was made with 1." in html
    fired = html[html.index("would add:") : html.index("</div>", html.index('id="stale"'))]
    assert (
        "You answered “Tone, voice or style is off” as the main symptom, but 3 of 4 examples "
        "are tagged Facts are missing, outdated or invented."
    ) in fired


def test_an_older_flowchart_version_makes_it_stale(client, alice, project):
    from decisions.records.services import decision_create

    for _ in range(3):
        make_example(project, failure_type="domain", iterations=6)
    decision = decision_create(run=old_run(project, alice), user=alice)
    client.force_login(alice)
    html = report(client, decision)
    assert "Flowchart 2027.02 is newer than the 2026.11 this revision used." in html


def test_an_older_revision_is_history_not_stale(client, alice, project):
    first = save_decision(project, alice, "prompt")
    save_decision(project, alice, "context")
    make_example(project)
    client.force_login(alice)
    assert "Re-run suggested" not in report(client, first)


def test_a_re_run_carries_answers_over_for_the_pm_to_confirm(client, alice, project):
    save_decision(project, alice, "context")  # facts, context_test=yes, nothing retrieved
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    run = WizardRun.objects.get(project=project, status=RunStatus.DRAFT)
    assert run.answers == {
        "symptom": {"option": "facts", "carried": 1},
        "context_test": {"option": "yes", "carried": 1},
        "retrieval_in_place": {"option": "none", "carried": 1},
    }
    assert run.chosen_options() == {}  # nothing counts until confirmed
    page = client.get(f"/wizard/runs/{run.pk}/q/symptom/").content.decode()
    assert "Carried over from revision 1:" in page
    assert 'value="facts" checked' in page
    client.post(f"/wizard/runs/{run.pk}/q/symptom/", {"option": "facts", "version": run.version})
    run.refresh_from_db()
    assert run.chosen_options() == {"symptom": "facts"}
    assert "Carried over from revision 1:" in (
        client.get(f"/wizard/runs/{run.pk}/q/context_test/").content.decode()
    )


def test_only_questions_the_new_version_still_asks_are_carried(client, alice, project):
    from decisions.records.services import decision_create

    decision_create(run=old_run(project, alice, "pretrain"), user=alice)
    client.force_login(alice)
    client.post(f"/projects/{project.pk}/wizard/start/")
    run = WizardRun.objects.get(project=project, status=RunStatus.DRAFT)
    # 2026.11's pretrain_scale=yes has no such option in 2027.01 (full, domain_corpus, neither).
    assert set(run.answers) == {"symptom", "examples_test", "prompt_effort", "foundation"}
