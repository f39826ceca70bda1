"""The dashboard's "Waiting for my review": the latest revisions that ask me to review them
and that I have not accepted, in a fixed number of queries."""

from __future__ import annotations

import pytest

from decisions.accounts.models import Membership, Role
from decisions.projects.models import Project
from decisions.records.models import Acceptance, Review, ReviewEvent
from decisions.records.review import review_move
from tests.reports.conftest import save_decision


def propose(decision, user, requested):
    membership = Membership.objects.get(user=user, team=decision.project.team)
    review_move(
        decision=decision, membership=membership, user=user, move="propose", requested=requested
    )


def waiting_section(client) -> str:
    page = client.get("/decisions/").content.decode()
    if 'id="waiting"' not in page:
        return ""
    start = page.index('id="waiting"')
    return page[start : page.index("</section>", start)]


def test_the_asked_reviewer_sees_the_revision_with_a_link_to_the_bar(client, project, alice, emily):
    decision = save_decision(project, alice, "prompt")
    propose(decision, alice, [emily])
    client.force_login(emily)
    section = waiting_section(client)
    assert "Waiting for my review: 1</h2>" in section
    assert f'href="/projects/{project.pk}/decisions/1/#review">Email drafter, revision 1</a>' in (
        section
    )
    assert "proposed by alice" in section


def test_not_asked_not_listed(client, project, alice, emily, team):
    from decisions.accounts.services import user_signup
    from tests.conftest import PASSWORD

    frank = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=frank, role=Role.EDITOR)
    propose(save_decision(project, alice, "prompt"), alice, [emily])
    client.force_login(frank)
    assert waiting_section(client) == ""


def test_accepted_by_me_leaves_my_list(client, project, alice, emily):
    decision = save_decision(project, alice, "prompt")
    propose(decision, alice, [emily])
    Acceptance.objects.create(decision=decision, reviewer=emily, at=decision.created_at)
    client.force_login(emily)
    assert waiting_section(client) == ""


def test_a_dismissed_acceptance_puts_it_back(client, project, alice, emily):
    decision = save_decision(project, alice, "prompt")
    propose(decision, alice, [emily])
    Acceptance.objects.create(
        decision=decision,
        reviewer=emily,
        at=decision.created_at,
        dismissed_at=decision.created_at,
    )
    client.force_login(emily)
    assert "Email drafter, revision 1" in waiting_section(client)


def test_an_older_revision_or_a_moved_on_review_is_not_waiting(client, project, alice, emily):
    first = save_decision(project, alice, "prompt")
    propose(first, alice, [emily])
    save_decision(project, alice, "prompt")
    client.force_login(emily)
    assert waiting_section(client) == ""


def test_a_reviewer_made_viewer_is_no_longer_waited_for(client, project, alice, emily):
    propose(save_decision(project, alice, "prompt"), alice, [emily])
    Membership.objects.filter(user=emily).exclude(team__is_personal=True).update(role=Role.VIEWER)
    client.force_login(emily)
    assert waiting_section(client) == ""


def test_a_stranger_never_sees_another_teams_revision(client, project, alice, emily, charlie):
    decision = save_decision(project, alice, "prompt")
    propose(decision, alice, [emily])
    # Even asked by a row written around the form, a stranger is not a member.
    Review.objects.get(decision=decision).requested_reviewers.add(charlie)
    client.force_login(charlie)
    assert waiting_section(client) == ""


@pytest.mark.parametrize("count", [1, 12])
def test_the_waiting_list_costs_the_same_queries_for_1_or_12(
    client, team, alice, emily, count, django_assert_max_num_queries
):
    for number in range(count):
        project = Project.objects.create(team=team, name=f"Feature {number:02}", owner=alice)
        decision = save_decision(project, alice, "prompt")
        propose(decision, alice, [emily])
    assert ReviewEvent.objects.filter(to_status="proposed").count() == count
    client.force_login(emily)
    # The dashboard's twelve, the waiting list's one among them, and with twelve decisions
    # the open-steps panel's count of what it leaves out: none per waiting revision.
    with django_assert_max_num_queries(13):
        response = client.get("/decisions/")
    assert response.status_code == 200
    shown = min(count, 10)
    assert f"Waiting for my review: {shown}</h2>" in response.content.decode()


def test_the_reviewers_column_names_who_is_asked_before_anyone_acts(client, project, alice, emily):
    decision = save_decision(project, alice, "prompt")
    propose(decision, alice, [emily])
    client.force_login(alice)
    page = client.get("/decisions/").content.decode()
    assert '<td class="small">emily (asked)</td>' in page
    membership = Membership.objects.get(user=emily, team=project.team)
    project.team.required_acceptances = 2
    project.team.save()
    review_move(decision=decision, membership=membership, user=emily, move="accept")
    page = client.get("/decisions/").content.decode()
    assert '<td class="small">emily</td>' in page
