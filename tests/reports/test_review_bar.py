"""The review bar under the verdict: status, who is asked, who accepted, open comments and
the moves the viewer may make; the timeline beside the answers, the appendix last. Shared
links and PDFs show the status but no moves."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.models import Acceptance, Comment, Decision
from decisions.records.review import review_move
from decisions.reports.context import report_context
from decisions.reports.models import ShareLink
from tests.conftest import PASSWORD, make_example
from tests.reports.conftest import save_decision


def url(decision) -> str:
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/"


def propose(decision, user, requested=()):
    membership = Membership.objects.get(user=user, team=decision.project.team)
    review_move(
        decision=decision,
        membership=membership,
        user=user,
        move="propose",
        requested=list(requested),
    )


def bar_of(page: str) -> str:
    start = page.index('<div id="review"')
    return page[start : page.index('<p class="summary-why', start)]


@pytest.fixture
def decision(project, alice):
    make_example(project)
    return save_decision(project, alice, "prompt")


def test_the_bar_sits_under_the_verdict_and_the_timeline_beside_the_answers(
    client, decision, alice
):
    client.force_login(alice)
    page = client.get(url(decision)).content.decode()
    verdict = page.index('id="report-verdict"')
    bar = page.index('<div id="review"')
    why = page.index('id="why-heading"')
    timeline = page.index('id="timeline"')
    steps = page.index('id="steps-heading"')
    appendix = page.index('id="examples-heading"')
    assert verdict < bar < why < timeline < steps < appendix
    assert page.count('id="review"') == 1


def test_review_draft_in_the_summary_links_to_the_bar(client, decision, alice):
    client.force_login(alice)
    page = client.get(url(decision)).content.decode()
    assert (
        '<strong>Review:</strong> <a href="#review" class="review-link"><span class="status '
        'review-status review-draft">Draft</span></a>'
    ) in page


def test_the_bar_names_who_is_asked_who_accepted_and_the_open_comments(
    client, team, decision, alice, emily
):
    frank = user_signup(username="frank", email="frank@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=frank, role=Role.EDITOR)
    team.required_acceptances = 2
    team.save()
    propose(decision, alice, [emily, frank])
    Acceptance.objects.create(decision=decision, reviewer=emily, at=decision.created_at)
    Comment.objects.create(decision=decision, author=frank, body="Why not retrieval?")
    Comment.objects.create(
        decision=decision, author=frank, body="Fine", resolved_at=decision.created_at
    )
    client.force_login(frank)
    bar = bar_of(client.get(url(decision)).content.decode())
    assert '<span class="badge review-badge review-proposed">Proposed</span>' in bar
    assert 'emily <span class="review-tick" aria-label="accepted">✓</span>, frank</dd>' in bar
    assert '<span class="small review-count">1 of 2 acceptances</span>' in bar
    assert '<a class="small review-open-comments" href="#timeline">1 open comment</a>' in bar
    assert 'value="accept"' in bar and 'value="request_changes"' in bar
    assert 'value="withdraw"' not in bar and 'value="propose"' not in bar


def test_the_author_of_a_draft_may_propose_and_pick_reviewers(client, decision, alice, emily, bob):
    client.force_login(alice)
    bar = bar_of(client.get(url(decision)).content.decode())
    assert 'value="propose"' in bar and 'value="accept"' not in bar
    requested = bar[
        bar.index('id="review-requested"') : bar.index(
            "</select>", bar.index('id="review-requested"')
        )
    ]
    # Editors and owners only: bob is a viewer.
    assert f'<option value="{alice.pk}">alice</option>' in requested
    assert f'<option value="{emily.pk}">emily</option>' in requested
    assert "bob" not in requested


def test_a_viewer_sees_the_status_and_no_moves(client, decision, alice, bob):
    propose(decision, alice)
    client.force_login(bob)
    bar = bar_of(client.get(url(decision)).content.decode())
    assert "Proposed" in bar and "<form" not in bar
    assert "Viewers comment; editors and owners review." in bar


def test_a_stranger_gets_404_on_the_report(client, decision, charlie):
    client.force_login(charlie)
    assert client.get(url(decision)).status_code == 404


def test_a_shared_link_shows_the_status_and_no_moves(client, decision, alice, emily):
    propose(decision, alice, [emily])
    _, token = ShareLink.create(
        decision=decision, label="Board", expiry="30", scope="examples", user=alice
    )
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="status review-status review-proposed">Proposed by alice' in page
    assert 'id="review"' not in page and "review-link" not in page
    assert "/review/" not in page and "Propose for review" not in page
    assert 'id="timeline"' not in page


def test_the_pdf_shows_the_status_and_no_moves(decision, alice, emily):
    propose(decision, alice, [emily])
    fresh = Decision.objects.select_related("project", "review").get(pk=decision.pk)
    html = render_to_string("reports/pdf.html", report_context(fresh, for_pdf=True))
    assert '<span class="status review-status review-proposed">Proposed by alice' in html
    assert "review-bar" not in html and "/review/" not in html


def test_a_plain_form_post_moves_and_redirects_to_the_bar(client, decision, alice):
    client.force_login(alice)
    response = client.post(url(decision) + "review/", {"move": "propose"})
    assert response.status_code == 302
    assert response["Location"] == url(decision) + "#review"


@pytest.mark.parametrize("comments", [1, 15])
def test_the_report_queries_do_not_grow_with_reviewers_and_comments(
    client, team, decision, alice, emily, comments, django_assert_max_num_queries
):
    propose(decision, alice, [emily, alice])
    Acceptance.objects.create(decision=decision, reviewer=emily, at=decision.created_at)
    for number in range(comments):
        Comment.objects.create(decision=decision, author=emily, body=f"Point {number}")
    second = save_decision(decision.project, alice, "prompt")
    for number in range(comments):
        Comment.objects.create(decision=second, author=emily, body=f"Again {number}")
    client.force_login(emily)
    # Everything the report read before (18 on the demo's sales report), and the bar's own:
    # acceptances, the team's memberships, who is asked, when it was proposed, and the
    # carried conversation in three; the team's names that @mentions mark, once; the same for
    # 1 comment or 30.
    with django_assert_max_num_queries(25):
        response = client.get(url(second))
    assert response.status_code == 200
    assert f"{comments * 2} open comment" in response.content.decode()
