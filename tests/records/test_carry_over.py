"""A re-run's revision takes over the review of the one before: who was asked, acceptances
(kept when every answer is the same, dismissed with a note when one changed) and the open
conversation, until it is resolved; the history diff shows notes and review outcomes."""

from __future__ import annotations

import pytest

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.carry import carried_conversation
from decisions.records.models import Acceptance, Comment, Review, ReviewEvent
from tests.conftest import PASSWORD
from tests.reports.conftest import save_decision


def url(decision, suffix=""):
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


def move(client, decision, name, **data):
    return client.post(url(decision, "review/"), {"move": name, **data})


@pytest.fixture
def frank(team):
    user = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def half_accepted(client, team, project, alice, emily, frank):
    """Revision 1, needing two acceptances: emily accepted, frank asked for changes."""
    team.required_acceptances = 2
    team.save()
    first = save_decision(project, alice, "prompt", notes={"symptom": "Mostly tone"})
    client.force_login(alice)
    move(client, first, "propose", requested=[emily.pk, frank.pk])
    client.force_login(emily)
    move(client, first, "accept")
    client.force_login(frank)
    move(client, first, "request_changes", note="Say which customers complain")
    return first


def test_a_rerun_with_the_same_answers_carries_the_acceptance(
    client, half_accepted, project, alice, emily, frank
):
    second = save_decision(project, alice, "prompt", notes={"symptom": "Enterprise customers"})
    carried = Acceptance.objects.get(decision=second)
    assert (carried.reviewer, carried.carried_from) == (emily, half_accepted)
    review = Review.objects.get(decision=second)
    assert sorted(p.username for p in review.requested_reviewers.all()) == ["emily", "frank"]
    client.force_login(alice)
    move(client, second, "propose", requested=[emily.pk, frank.pk])
    client.force_login(frank)
    move(client, second, "accept")
    assert Review.objects.get(decision=second).status == "accepted"


def test_a_rerun_that_changes_an_answer_dismisses_the_acceptance_with_a_note(
    client, half_accepted, project, alice, emily
):
    second = save_decision(project, alice, "context")
    assert Acceptance.objects.filter(decision=second).count() == 0
    old = Acceptance.objects.get(decision=half_accepted)
    expected = (
        "Dismissed: revision 2 changed the answer to “What goes wrong most often?” from "
        "“Tone, voice or style is off” to “Facts are missing, outdated or invented” (and 3 "
        "more). The acceptance of revision 1 by emily no longer counts."
    )
    assert old.dismissed_note == expected and old.dismissed_at is not None
    event = ReviewEvent.objects.get(decision=second)
    assert (event.kind, event.by, event.note) == ("dismissal", alice, expected)
    client.force_login(alice)
    page = client.get(url(second)).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "Dismissed: revision 2 changed the answer to “What goes wrong most often?”" in timeline


def test_an_accepted_revisions_acceptances_are_not_carried(client, project, alice, emily):
    first = save_decision(project, alice, "prompt")
    client.force_login(alice)
    move(client, first, "propose")
    client.force_login(emily)
    move(client, first, "accept")
    second = save_decision(project, alice, "prompt")
    assert Acceptance.objects.filter(decision=second).count() == 0


def test_the_change_request_and_open_comments_show_on_the_next_revision(
    client, half_accepted, project, alice, frank
):
    Comment.objects.create(decision=half_accepted, author=frank, body="Which segment?")
    Comment.objects.create(
        decision=half_accepted, author=frank, body="Done already", resolved_at="2026-11-30T10:00Z"
    )
    second = save_decision(project, alice, "prompt")
    client.force_login(alice)
    page = client.get(url(second)).content.decode()
    assert (
        'Changes requested on revision 1 by frank: “<span class="text-pre">Say which customers '
        'complain</span>”, answered by <a href="' + url(second) + '">revision 2</a>.'
    ) in page
    assert "Which segment?" in page and "Done already" not in page
    assert '<a class="small review-open-comments" href="#timeline">1 open comment</a>' in page


def test_resolving_a_carried_comment_from_the_new_revision_returns_to_it(
    client, half_accepted, project, alice, frank
):
    comment = Comment.objects.create(decision=half_accepted, author=frank, body="Which segment?")
    second = save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = client.post(
        url(half_accepted, f"comments/{comment.pk}/resolve/"), {"back": str(second.revision)}
    )
    assert response["Location"] == url(second) + "#timeline"
    assert carried_conversation(second)["carried_comments"] == []


def test_the_change_request_is_gone_once_a_later_revision_is_accepted(
    client, half_accepted, project, alice, emily, frank
):
    second = save_decision(project, alice, "prompt")
    client.force_login(alice)
    move(client, second, "propose")
    client.force_login(frank)
    move(client, second, "accept")
    assert carried_conversation(second)["carried_requests"] == []
    third = save_decision(project, alice, "prompt")
    assert carried_conversation(third) == {"carried_comments": [], "carried_requests": []}


def test_the_history_diff_shows_changed_notes_and_each_sides_review(
    client, half_accepted, project, alice
):
    save_decision(project, alice, "prompt", notes={"symptom": "Enterprise customers"})
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/decisions/?from=1&to=2").content.decode()
    assert "The same answers" not in page.replace("The same answers; only notes changed.", "")
    assert "The same answers; only notes changed." in page
    assert "Notes that changed" in page
    assert "Mostly tone" in page and "Enterprise customers" in page
    assert (
        'Revision 1: <strong>Changes requested</strong> by frank: “<span class="text-pre">'
        "Say which customers complain</span>” · accepted by emily"
    ) in page
    assert "Revision 2: <strong>Draft</strong> · accepted by emily</li>" in page


def test_the_history_diff_of_identical_revisions_says_so(client, project, alice):
    save_decision(project, alice, "prompt")
    save_decision(project, alice, "prompt")
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/decisions/?from=1&to=2").content.decode()
    assert "The same answers and the same notes." in page
