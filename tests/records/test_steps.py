"""Next steps the team tracks: owner, due date and done mark beside the immutable revision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from decisions.records.models import Decision, TrackedStep
from decisions.reports.pdf import pdf_key
from tests.conftest import make_example
from tests.reports.conftest import save_decision

HTMX = {"HX-Request": "true"}
LAST_STEP = (
    "Re-run the test set after each change and keep the revision that passes most often; "
    "note what each revision changed."
)


@pytest.fixture
def decision(project, alice):
    make_example(project)
    return save_decision(project, alice, "prompt")


def step_url(decision, index: int) -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/steps/{index}/"


def save_step(client, decision, index=4, *, version=1, headers=None, **fields):
    data = {"version": str(version), **fields}
    return client.post(step_url(decision, index), data, headers=headers or {})


def test_a_new_revision_tracks_each_next_step_open_and_unowned(decision):
    steps = list(decision.tracked_steps.all())
    assert len(steps) == 5
    assert steps[4].text == LAST_STEP
    assert [(s.owner, s.due_on, s.done_at) for s in steps] == [(None, None, None)] * 5


def test_tracking_a_step_leaves_the_revision_as_saved(client, alice, emily, decision):
    saved = Decision.objects.get(pk=decision.pk)
    hash_before, key_before = saved.content_hash(), pdf_key(saved, "examples")
    client.force_login(alice)
    response = save_step(client, decision, owner=emily.pk, due_on="2026-12-01", done="on")
    assert response.status_code == 302
    assert response["Location"].endswith("/decisions/1/#step-4")
    step = TrackedStep.objects.get(decision=decision, index=4)
    assert (step.owner, step.due_on, step.done_by, step.version) == (
        emily,
        date(2026, 12, 1),
        alice,
        2,
    )
    after = Decision.objects.get(pk=decision.pk)
    assert after.content_hash() == hash_before
    assert pdf_key(after, "examples") == key_before
    assert after.explanation["next_steps"][4] == LAST_STEP


def test_htmx_save_returns_the_step_in_place(client, alice, decision):
    client.force_login(alice)
    response = save_step(client, decision, headers=HTMX, done="on")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<li id="step-4"')
    assert '<span class="badge text-bg-success">Done</span>' in html
    assert 'name="version" value="2"' in html


def test_undoing_done_clears_who_did_it(client, alice, decision):
    client.force_login(alice)
    save_step(client, decision, done="on")
    save_step(client, decision, version=2)
    step = TrackedStep.objects.get(decision=decision, index=4)
    assert (step.done_at, step.done_by, step.version) == (None, None, 3)


def test_a_stale_save_is_refused_and_the_newer_change_kept(client, alice, emily, decision):
    client.force_login(emily)
    save_step(client, decision, owner=emily.pk)
    client.force_login(alice)
    response = save_step(client, decision, headers=HTMX, owner=alice.pk)  # drawn at version 1
    assert response.status_code == 409
    assert "Someone changed this step since you opened the page" in response.content.decode()
    assert TrackedStep.objects.get(decision=decision, index=4).owner == emily


def test_a_stale_save_without_javascript_is_a_409_page_with_the_step_as_saved(
    client, alice, emily, decision
):
    client.force_login(emily)
    save_step(client, decision, owner=emily.pk)
    client.force_login(alice)
    response = save_step(client, decision, owner=alice.pk)  # drawn at version 1
    html = response.content.decode()
    assert response.status_code == 409
    assert '<h1 class="h3">Step 5 was not saved</h1>' in html
    assert "Someone changed this step since you opened the page" in html
    assert 'name="version" value="2"' in html
    assert f'<option value="{emily.pk}" selected>emily</option>' in html
    assert TrackedStep.objects.get(decision=decision, index=4).owner == emily


def test_an_owner_outside_the_team_is_refused(client, alice, charlie, decision):
    client.force_login(alice)
    response = save_step(client, decision, headers=HTMX, owner=charlie.pk, due_on="soon")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Not saved: Owner Select a valid choice." in html
    assert "Due Enter a valid date." in html
    assert TrackedStep.objects.get(decision=decision, index=4).owner is None


def test_a_superseded_revisions_steps_are_not_tracked(client, alice, project, decision):
    save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = save_step(client, decision, done="on")
    assert response.status_code == 302
    assert TrackedStep.objects.get(decision=decision, index=4).done_at is None
    page = client.get(response["Location"]).content.decode()
    assert "Only the latest revision&#x27;s steps are tracked" in page


def test_a_new_revision_keeps_the_tracking_of_the_same_step(client, alice, emily, project):
    make_example(project)
    first = save_decision(project, alice, "prompt")
    client.force_login(alice)
    save_step(client, first, owner=emily.pk, due_on="2026-12-24")
    second = save_decision(project, alice, "prompt")
    carried = TrackedStep.objects.get(decision=second, text=LAST_STEP)
    assert (carried.owner, carried.due_on, carried.version) == (emily, date(2026, 12, 24), 1)


def test_viewer_sees_the_tracking_without_forms(client, alice, bob, emily, decision):
    client.force_login(alice)
    save_step(client, decision, owner=emily.pk, due_on="2026-12-01")
    client.force_login(bob)
    html = client.get(f"/projects/{decision.project_id}/decisions/1/").content.decode()
    assert "Owner emily · due 1 Dec 2026" in html
    assert "/steps/4/" not in html
    assert save_step(client, decision, done="on").status_code == 403


def test_stranger_gets_404(client, charlie, decision):
    client.force_login(charlie)
    assert save_step(client, decision, done="on").status_code == 404


def test_the_dashboard_shows_open_and_overdue_steps(client, alice, emily, decision):
    client.force_login(alice)
    yesterday = timezone.localdate() - timedelta(days=1)
    save_step(client, decision, 0, done="on")
    save_step(client, decision, 1, owner=emily.pk, due_on=yesterday.isoformat())
    html = client.get("/decisions/").content.decode()
    assert "Open next steps: 4</h2>" in html
    assert '#steps-heading">4</a> <span class="badge text-bg-danger">1 overdue</span>' in html
    first = html.index('<li class="py-1 border-bottom open-step">')
    assert '<span class="badge text-bg-danger">Overdue</span>' in html[first : first + 200]


def test_the_report_reads_the_team_once_for_every_step_form(client, alice, project):
    """Each step's owner menu lists the team: one read for the page, not one per step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_example(project)
    decision = save_decision(project, alice, "hybrid")
    assert decision.tracked_steps.count() >= 3
    client.force_login(alice)
    url = f"/projects/{project.pk}/decisions/{decision.revision}/"
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    users = [q["sql"] for q in page.captured_queries if 'FROM "auth_user"' in q["sql"]]
    # The session's user and the team for every step's owner menu: two reads, however many
    # steps (one per step before); the review bar reads the team through its memberships.
    assert len(users) == 2
