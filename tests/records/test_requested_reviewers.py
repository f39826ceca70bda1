"""Proposing asks named reviewers; a team can need several acceptances; the author or an owner
withdraws a proposal. E-mails go to those asked, with an absolute link to the review bar."""

from __future__ import annotations

import pytest
from django.core import mail

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.models import Acceptance, Review, ReviewEvent
from tests.conftest import PASSWORD
from tests.reports.conftest import save_decision


def url(decision, suffix=""):
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


def move(client, decision, name, **data):
    return client.post(url(decision, "review/"), {"move": name, **data})


def status(decision) -> str:
    return Review.objects.get(decision=decision).status


@pytest.fixture
def frank(team):
    """A second editor in alice's team."""
    user = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def decision(project, alice):
    return save_decision(project, alice, "prompt")


def test_proposing_asks_the_named_reviewers_only_they_get_the_email_with_a_link(
    client, decision, alice, emily, frank, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = move(client, decision, "propose", requested=[frank.pk])
    assert response.status_code == 302
    review = Review.objects.get(decision=decision)
    assert [person.username for person in review.requested_reviewers.all()] == ["frank"]
    assert [m.to for m in mail.outbox] == [["frank@example.com"]]
    body = mail.outbox[0].body
    assert "alice asked for your review of a decision on “Email drafter”, revision 1" in body
    link = f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/#review"
    assert f"Review it: {link}" in body


def test_site_url_wins_over_the_request_address(
    client, settings, decision, alice, frank, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://decisions.example.com"
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "propose", requested=[frank.pk])
    expected = f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/#review"
    assert expected in mail.outbox[0].body


def test_nobody_named_tells_every_editor_and_owner_but_the_author(
    client, decision, alice, emily, frank, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "propose")
    assert sorted(mail.outbox[0].to) == ["emily@example.com", "frank@example.com"]


def test_a_viewer_or_stranger_named_as_reviewer_is_left_out(
    client, decision, alice, bob, charlie, frank
):
    client.force_login(alice)
    move(client, decision, "propose", requested=[bob.pk, charlie.pk, frank.pk])
    review = Review.objects.get(decision=decision)
    assert [person.username for person in review.requested_reviewers.all()] == ["frank"]


def test_a_reviewer_that_is_not_an_id_is_a_400(client, decision, alice):
    client.force_login(alice)
    response = move(client, decision, "propose", requested=["frank"])
    assert response.status_code == 400
    assert response.content.decode() == "“frank” is not a reviewer: choose members of the team."
    assert status(decision) == "draft"


def test_two_acceptances_needed_one_keeps_it_proposed_the_second_accepts(
    client, team, decision, alice, emily, frank, django_capture_on_commit_callbacks
):
    team.required_acceptances = 2
    team.save()
    client.force_login(alice)
    move(client, decision, "propose", requested=[emily.pk, frank.pk])
    client.force_login(emily)
    with django_capture_on_commit_callbacks(execute=True):
        response = move(client, decision, "accept")
    assert status(decision) == "proposed"
    page = client.get(response["Location"]).content.decode()
    assert (
        "Your acceptance is recorded: 1 of 2. Revision 1 stays proposed until 2 reviewers "
        "accept it."
    ) in page
    assert mail.outbox[-1].to == ["alice@example.com"]
    assert mail.outbox[-1].subject == "Email drafter, revision 1: accepted by one more reviewer"
    client.force_login(frank)
    move(client, decision, "accept")
    assert status(decision) == "accepted"
    kinds = list(
        ReviewEvent.objects.filter(decision=decision).values_list(
            "kind", "to_status", "by__username"
        )
    )
    assert kinds == [
        ("move", "proposed", "alice"),
        ("acceptance", "proposed", "emily"),
        ("move", "accepted", "frank"),
    ]


def test_the_same_reviewer_accepting_twice_counts_once(client, team, decision, alice, emily):
    team.required_acceptances = 2
    team.save()
    client.force_login(alice)
    move(client, decision, "propose")
    client.force_login(emily)
    move(client, decision, "accept")
    assert 'value="accept"' not in client.get(url(decision)).content.decode()
    response = move(client, decision, "accept")
    assert status(decision) == "proposed"
    assert Acceptance.objects.filter(decision=decision).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "You already accepted revision 1: another reviewer&#x27;s acceptance is needed." in page


def test_one_acceptance_is_enough_by_default(client, decision, alice, emily):
    client.force_login(alice)
    move(client, decision, "propose")
    client.force_login(emily)
    move(client, decision, "accept")
    assert status(decision) == "accepted"


def test_the_author_withdraws_a_proposal(client, decision, alice):
    client.force_login(alice)
    move(client, decision, "propose")
    assert 'value="withdraw"' in client.get(url(decision)).content.decode()
    move(client, decision, "withdraw")
    assert status(decision) == "draft"


def test_another_editor_cannot_withdraw(client, decision, alice, emily):
    client.force_login(alice)
    move(client, decision, "propose")
    client.force_login(emily)
    assert 'value="withdraw"' not in client.get(url(decision)).content.decode()
    response = move(client, decision, "withdraw")
    assert status(decision) == "proposed"
    page = client.get(response["Location"]).content.decode()
    assert "Only the author or a team owner withdraws a proposal." in page


def test_an_owner_withdraws_an_editors_proposal(client, project, alice, emily):
    decision = save_decision(project, emily, "prompt")
    client.force_login(emily)
    move(client, decision, "propose")
    client.force_login(alice)
    move(client, decision, "withdraw")
    assert status(decision) == "draft"


def test_a_viewer_gets_403_and_a_stranger_404_on_a_review_move(
    client, decision, alice, bob, charlie
):
    client.force_login(alice)
    move(client, decision, "propose")
    client.force_login(bob)
    assert move(client, decision, "accept").status_code == 403
    client.force_login(charlie)
    assert move(client, decision, "accept").status_code == 404
    assert status(decision) == "proposed"
    assert Acceptance.objects.count() == 0
