"""A re-run's revision takes over the review of the one before: who was asked, acceptances
(kept when every answer is the same, dismissed with a note when one changed) and the open
conversation, until it is resolved; the history diff shows notes and review outcomes."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.carry import carried_conversation
from decisions.records.models import (
    Acceptance,
    Comment,
    Notification,
    Review,
    ReviewEvent,
    WebhookDelivery,
    WebhookTarget,
)
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


def test_a_dismissed_acceptance_emails_its_reviewer_which_answers_changed_with_a_link(
    half_accepted, project, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_decision(project, alice, "context")

    [message] = mail.outbox  # emily accepted; frank only asked for changes; alice re-ran
    assert message.to == ["emily@example.com"]
    assert (
        message.subject == "Email drafter, revision 2: your acceptance of revision 1 was dismissed"
    )
    link = f"https://decisions.example.com/projects/{project.pk}/decisions/2/#timeline"
    assert message.body == (
        "alice re-ran “Email drafter”: revision 2 changed 4 answers since revision 1, so your "
        "acceptance of revision 1 no longer counts.\n"
        "\n"
        "  What goes wrong most often?\n"
        "    was: Tone, voice or style is off\n"
        "    now: Facts are missing, outdated or invented\n"
        "  When you paste the facts it needs into the prompt, does it get the answer right?\n"
        "    was: not asked\n"
        "    now: Yes, it answers correctly\n"
        "  Does the feature already retrieve documents for each request?\n"
        "    was: not asked\n"
        "    now: No, nothing is retrieved yet\n"
        "  Does the prompt spell out the format or tone you want, with at least one example of a "
        "good output?\n"
        "    was: No\n"
        "    now: not asked\n"
        "\n"
        "Revision 2: Prompting problem: give the model the facts (context, retrieval) "
        "(confidence low)\n"
        "\n"
        f"See the new revision: {link}\n"
    )


def test_every_reviewer_whose_acceptance_was_dismissed_is_told_but_not_the_rerunner(
    client, team, project, alice, emily, frank, django_capture_on_commit_callbacks
):
    team.required_acceptances = 4  # three accept: still proposed, so the re-run carries them
    team.second_reviewer_required = False
    team.save()
    first = save_decision(project, alice, "prompt")
    client.force_login(alice)
    move(client, first, "propose")
    for person in (alice, emily, frank):
        client.force_login(person)
        move(client, first, "accept")
    assert Acceptance.objects.filter(decision=first).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        save_decision(project, alice, "context")

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["emily@example.com", "frank@example.com"],
            "Email drafter, revision 2: your acceptance of revision 1 was dismissed",
        )
    ]


def test_a_rerun_that_keeps_every_answer_sends_no_dismissal(
    half_accepted, project, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        second = save_decision(project, alice, "prompt", notes={"symptom": "Enterprise only"})

    assert Acceptance.objects.get(decision=second).carried_from == half_accepted
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="review.dismissed").exists()


def test_a_dismissal_posts_to_the_webhooks_that_chose_it(half_accepted, team, project, alice):
    WebhookTarget.objects.create(
        team=team,
        name="Chat",
        url="https://hooks.example.com/x",
        format="json",
        secret="a-secret-of-twenty-chars",
        events=["review.dismissed"],
    )
    WebhookTarget.objects.create(
        team=team,
        name="Comments only",
        url="https://hooks.example.com/y",
        format="json",
        secret="a-secret-of-twenty-chars",
        events=["comment.added"],
    )

    save_decision(project, alice, "context")

    [delivery] = WebhookDelivery.objects.filter(kind="review.dismissed")
    assert delivery.target.name == "Chat"
    body = json.loads(delivery.payload)
    del body["timestamp"]
    assert body == {
        "event": "review.dismissed",
        "project": {"id": project.pk, "name": "Email drafter"},
        "revision": 2,
        "actor": "alice",
        "url": f"https://decisions.example.com/projects/{project.pk}/decisions/2/#timeline",
        "summary": "alice saved revision 2 of “Email drafter” with 4 answers changed: the "
        "acceptance of revision 1 by emily no longer counts",
    }
