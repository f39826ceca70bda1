"""Team review: proposed, accepted, rejected, changes requested, superseded; comments on a
revision and on its answers; the timeline; emails sent by a task to the right people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from decisions.records.models import Comment, Review, ReviewEvent
from decisions.records.notifications import tasks
from decisions.records.notifications.models import Notification
from tests.reports.conftest import save_decision


def url(decision, suffix=""):
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


def move(client, decision, name, **data):
    return client.post(url(decision, "review/"), {"move": name, **data})


def status(decision) -> str:
    return Review.objects.get(decision=decision).status


@pytest.fixture
def proposed(client, project, alice, emily):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    move(client, decision, "propose", note="Ready for a look")
    return decision


def test_a_new_revision_is_a_draft(project, alice):
    assert status(save_decision(project, alice, "prompt")) == "draft"


def test_the_author_proposes_and_an_editor_accepts(client, proposed, emily):
    assert status(proposed) == "proposed"
    client.force_login(emily)
    move(client, proposed, "accept", note="Agreed")
    assert status(proposed) == "accepted"
    events = list(
        ReviewEvent.objects.filter(decision=proposed).values_list(
            "to_status", "by__username", "note"
        )
    )
    assert events == [("proposed", "alice", "Ready for a look"), ("accepted", "emily", "Agreed")]
    html = client.get(url(proposed)).content.decode()
    assert f"Accepted by emily on {timezone.now():%-d %B %Y}" in html


@pytest.mark.parametrize(
    ("name", "expected"), [("reject", "rejected"), ("request_changes", "changes_requested")]
)
def test_a_proposal_can_be_rejected_or_sent_back(client, proposed, emily, name, expected):
    client.force_login(emily)
    move(client, proposed, name)
    assert status(proposed) == expected


def test_a_viewer_comments_but_cannot_review(client, proposed, bob):
    client.force_login(bob)
    assert move(client, proposed, "accept").status_code == 403
    assert status(proposed) == "proposed"
    page = client.get(url(proposed)).content.decode()
    assert "Viewers comment; editors and owners review." in page and 'value="accept"' not in page


def test_a_move_from_the_wrong_status_is_refused_with_the_reason(client, project, alice):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = move(client, decision, "accept")
    assert status(decision) == "draft"
    page = client.get(response["Location"]).content.decode()
    assert "This revision is draft now, so it cannot be accepted." in page


def test_a_second_person_must_accept_when_the_team_says_so(client, proposed, alice, emily, team):
    team.second_reviewer_required = True
    team.save()
    client.force_login(alice)  # the author
    assert 'value="accept"' not in client.get(url(proposed)).content.decode()
    move(client, proposed, "accept")
    assert status(proposed) == "proposed"
    client.force_login(emily)
    move(client, proposed, "accept")
    assert status(proposed) == "accepted"


def test_accepting_a_newer_revision_supersedes_the_older(client, project, alice, emily):
    client.force_login(emily)
    first = save_decision(project, alice, "prompt")
    move(client, first, "propose")
    move(client, first, "accept")
    second = save_decision(project, alice, "context")
    move(client, second, "propose")
    move(client, second, "accept")
    assert (status(first), status(second)) == ("superseded", "accepted")
    assert Review.objects.get(decision=first).superseded_by == second
    last = ReviewEvent.objects.filter(decision=first).last()
    assert (last.to_status, last.note) == ("superseded", "Superseded by revision 2.")
    older_page = client.get(url(first)).content.decode()
    newer_page = client.get(url(second)).content.decode()
    assert f'href="{url(second)}">revision 2</a>' in older_page
    assert f'href="{url(first)}">revision 1</a>' in newer_page


def test_an_older_revision_is_not_accepted_after_a_newer_one(client, project, alice, emily):
    first = save_decision(project, alice, "prompt")
    second = save_decision(project, alice, "context")
    client.force_login(emily)
    for decision in (first, second):
        move(client, decision, "propose")
    move(client, second, "accept")
    response = move(client, first, "accept")
    assert (status(first), status(second)) == ("proposed", "accepted")
    page = client.get(response["Location"]).content.decode()
    assert (
        "Revision 1 cannot be accepted: revision 2 is newer. Only the latest revision is "
        "accepted; review that one."
    ) in page
    assert 'value="accept"' not in page
    assert 'value="reject"' in page


def test_an_older_revision_is_not_accepted_even_while_the_newer_is_a_draft(
    client, project, alice, emily
):
    first = save_decision(project, alice, "prompt")
    client.force_login(emily)
    move(client, first, "propose")
    save_decision(project, alice, "context")
    move(client, first, "accept")
    assert status(first) == "proposed"
    assert list(Review.objects.filter(status="accepted")) == []


@pytest.mark.parametrize("value", ["abc", "9223372036854775808", "1" * 5000, "٣"])
def test_an_informed_person_that_is_not_an_id_is_a_400_naming_it(client, project, alice, value):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = move(client, decision, "propose", informed=[value])
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"“{value[:40]}” is not a person to inform: choose members of the team."
    )
    assert status(decision) == "draft"


def test_an_informed_id_outside_the_team_is_left_out(client, project, alice, bob, charlie):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    response = move(client, decision, "propose", informed=[bob.pk, charlie.pk])
    assert response.status_code == 302
    assert list(Review.objects.get(decision=decision).informed.all()) == [bob]


def test_emails_go_to_reviewers_then_to_the_author_and_the_informed(
    client, project, alice, bob, emily, django_capture_on_commit_callbacks
):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "propose", informed=[bob.pk])
    assert [sorted(m.to) for m in mail.outbox] == [["emily@example.com"]]  # reviewers, not alice
    assert mail.outbox[0].subject == "Email drafter, revision 1: proposed"
    client.force_login(emily)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "accept")
    assert sorted(mail.outbox[1].to) == ["alice@example.com", "bob@example.com"]
    assert mail.outbox[1].subject == "Email drafter, revision 1: accepted"


def test_a_review_email_is_sent_once_when_its_task_runs_twice(
    client, project, alice, emily, django_capture_on_commit_callbacks
):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "propose")
    notification = Notification.objects.get(decision=decision)
    again = tasks.send_notification_email.enqueue(notification.pk)
    assert again.return_value == 0
    assert [m.to for m in mail.outbox] == [["emily@example.com"]]


def test_a_failed_send_leaves_the_email_for_the_next_run(
    client, project, alice, emily, monkeypatch
):
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    move(client, decision, "propose")  # on-commit callbacks not run: the e-mail waits
    notification = Notification.objects.get(decision=decision)

    def fail(**kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(tasks, "send_mail", fail)
    with pytest.raises(ConnectionRefusedError):
        tasks.send_notification_email.call(notification.pk)
    monkeypatch.undo()
    assert tasks.send_notification_email.call(notification.pk) == 1
    assert [m.to for m in mail.outbox] == [["emily@example.com"]]


def test_a_name_saved_with_a_line_break_still_gets_its_email_on_one_line(
    client, project, alice, emily, django_capture_on_commit_callbacks
):
    project.name = "Email\ndrafter"  # saved before the forms refused line breaks
    project.save()
    decision = save_decision(project, alice, "prompt")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        move(client, decision, "propose")
    assert [m.subject for m in mail.outbox] == ["Email drafter, revision 1: proposed"]


def test_comments_on_the_revision_and_on_an_answer_are_escaped(client, proposed, bob):
    client.force_login(bob)
    client.post(url(proposed, "comments/"), {"body": "<b>Why</b> not retrieval?"})
    client.post(url(proposed, "comments/"), {"body": "Tone only?", "node": "symptom"})
    assert list(Comment.objects.values_list("node_id", flat=True)) == ["", "symptom"]
    html = client.get(url(proposed)).content.decode()
    assert "&lt;b&gt;Why&lt;/b&gt; not retrieval?" in html and "<b>Why</b>" not in html
    thread = html[html.index('id="thread-symptom"') :]
    assert "1 comment on this answer" in thread[:400] and "Tone only?" in thread


def test_a_comment_on_a_question_off_the_path_is_refused(client, proposed, bob):
    client.force_login(bob)
    client.post(url(proposed, "comments/"), {"body": "Hm", "node": "foundation"})
    assert not Comment.objects.exists()


def test_authors_edit_or_delete_their_comment_within_15_minutes(client, proposed, bob, emily):
    client.force_login(bob)
    client.post(url(proposed, "comments/"), {"body": "First thought"})
    comment = Comment.objects.get()
    client.post(url(proposed, f"comments/{comment.pk}/edit/"), {"body": "Second thought"})
    comment.refresh_from_db()
    assert comment.body == "Second thought" and comment.edited_at is not None
    assert "<em>edited</em>" in client.get(url(proposed)).content.decode()

    client.force_login(emily)  # not the author
    client.post(url(proposed, f"comments/{comment.pk}/edit/"), {"body": "Hijacked"})
    client.post(url(proposed, f"comments/{comment.pk}/delete/"))
    assert Comment.objects.get().body == "Second thought"

    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(bob)
    client.post(url(proposed, f"comments/{comment.pk}/edit/"), {"body": "Too late"})
    client.post(url(proposed, f"comments/{comment.pk}/delete/"))
    assert Comment.objects.get().body == "Second thought"


def test_editors_resolve_comments_and_the_timeline_shows_moves_and_comments(
    client, proposed, bob, emily
):
    client.force_login(bob)
    client.post(url(proposed, "comments/"), {"body": "Check the tone tags"})
    comment = Comment.objects.get()
    client.force_login(emily)
    client.post(url(proposed, f"comments/{comment.pk}/resolve/"))
    comment.refresh_from_db()
    assert comment.resolved_by == emily
    move(client, proposed, "accept")
    html = client.get(url(proposed)).content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert (
        timeline.index("Draft → <strong>Proposed</strong>")
        < timeline.index("Check the tone tags")
        < timeline.index("Proposed → <strong>Accepted</strong>")
    )
    assert "resolved by emily" in timeline


def test_the_shared_page_and_the_pdf_say_who_accepted_it(client, proposed, emily):
    from tests.reports.conftest import render_pending_pdfs
    from tests.reports.test_pdf_hardening import pdf_text
    from tests.reports.test_share import create_link, token_from

    client.force_login(emily)
    move(client, proposed, "accept")
    token = token_from(create_link(client, proposed))
    accepted = f"Accepted by emily on {timezone.now():%-d %B %Y}"
    assert client.get(url(proposed, "report.pdf")).status_code == 202  # a new standing: a new PDF
    render_pending_pdfs()
    assert accepted in pdf_text(client.get(url(proposed, "report.pdf")).content)
    client.logout()
    shared = client.get(f"/s/{token}/").content.decode()
    assert accepted in shared
    assert 'id="review"' not in shared and "Comment on this answer" not in shared


def test_a_superseded_header_names_the_revision_not_a_person(client, project, alice, emily):
    first = save_decision(project, alice, "prompt")
    second = save_decision(project, alice, "context")
    client.force_login(emily)
    for decision in (first, second):
        move(client, decision, "propose")
        move(client, decision, "accept")
    page = client.get(url(first)).content.decode()
    meta = page[page.index('class="report-meta') : page.index("</p>", page.index("report-meta"))]
    assert "Superseded by revision 2" in meta
    assert "Superseded by emily" not in meta
