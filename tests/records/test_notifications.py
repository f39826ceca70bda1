"""Who is told what, with which link: review moves, comments in a thread, @mentions and
assigned steps, each an e-mail with an absolute link (SITE_URL) to its place on the report,
sent from the notifications queue."""

from __future__ import annotations

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.test import override_settings

from decisions.accounts.models import Membership, Role
from decisions.accounts.services import user_signup
from decisions.records.models import Comment, Notification
from tests.conftest import PASSWORD
from tests.reports.conftest import save_decision

DUMMY_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "notifications"],
    }
}


def report(decision, suffix=""):
    return f"/projects/{decision.project_id}/decisions/{decision.revision}/{suffix}"


@pytest.fixture
def decision(project, alice):
    return save_decision(project, alice, "prompt")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a request with its on-commit tasks (the e-mails) run too."""

    def run(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return run


def comment(client, send, decision, user, body, node=""):
    client.force_login(user)
    return send(client.post, report(decision, "comments/"), {"body": body, "node": node})


def test_the_proposal_email_links_to_the_review_on_the_report(client, send, decision, alice, emily):
    client.force_login(alice)
    send(client.post, report(decision, "review/"), {"move": "propose"})

    [message] = mail.outbox
    assert message.to == ["emily@example.com"]
    link = f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/#review"
    assert f"Review it: {link}\n" in message.body
    assert "Projects →" not in message.body


def test_site_url_from_the_settings_starts_every_link(client, send, decision, alice, emily):
    client.force_login(alice)
    with override_settings(SITE_URL="https://pom.internal:8443"):
        send(client.post, report(decision, "review/"), {"move": "propose"})

    link = f"https://pom.internal:8443/projects/{decision.project_id}/decisions/1/#review"
    assert link in mail.outbox[0].body


def test_a_comment_on_an_answer_tells_the_author_and_the_thread_but_not_the_writer(
    client, send, decision, alice, bob, emily
):
    comment(client, send, decision, bob, "Is tone really the cause?", node="symptom")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]  # the author

    mail.outbox.clear()
    comment(client, send, decision, emily, "I think so.", node="symptom")

    [message] = mail.outbox
    assert message.to == ["alice@example.com", "bob@example.com"]
    assert message.subject == "Email drafter, revision 1: emily commented"
    latest = Comment.objects.latest("pk")
    assert (
        f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/"
        f"#comment-{latest.pk}\n" in message.body
    )
    assert "I think so." in message.body
    assert "on the answer to “What goes wrong most often?”" in message.body


def test_a_comment_in_another_thread_does_not_tell_this_one(
    client, send, decision, alice, bob, emily
):
    comment(client, send, decision, bob, "About the symptom", node="symptom")
    mail.outbox.clear()

    comment(client, send, decision, emily, "About the revision as a whole")

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]  # not bob


def test_the_author_commenting_on_their_own_revision_tells_no_one(client, send, decision, alice):
    comment(client, send, decision, alice, "A note to self")
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_a_mentioned_member_gets_the_mention_and_not_the_comment_as_well(
    client, send, decision, alice, bob, emily
):
    comment(client, send, decision, bob, "First", node="symptom")
    mail.outbox.clear()

    comment(client, send, decision, emily, "@bob @Alice, see this.", node="symptom")

    by_subject = {m.subject: m.to for m in mail.outbox}
    assert by_subject == {
        "Email drafter, revision 1: emily mentioned you": [
            "alice@example.com",
            "bob@example.com",
        ]
    }


def test_a_mention_of_someone_outside_the_team_or_unknown_is_ignored(
    client, send, decision, alice, emily, charlie
):
    comment(client, send, decision, emily, "@charlie and @nobody should look", node="symptom")

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Email drafter, revision 1: emily commented", ["alice@example.com"])
    ]


def test_an_email_address_in_a_comment_mentions_no_one(client, send, decision, emily, bob):
    comment(client, send, decision, emily, "Write to support@bob.example")
    assert all("mentioned you" not in m.subject for m in mail.outbox)


def test_a_mention_ends_at_a_full_stop(client, send, decision, emily, bob):
    comment(client, send, decision, emily, "Thanks @bob.")
    assert [m.to for m in mail.outbox if "mentioned" in m.subject] == [["bob@example.com"]]


def test_mentions_show_as_mentions_and_everything_else_stays_text(
    client, send, decision, alice, bob, emily
):
    comment(client, send, decision, emily, "<i>hi</i> @bob <b>look</b> & @charlie @nobody")
    client.force_login(alice)

    html = client.get(report(decision)).content.decode()

    assert (
        '&lt;i&gt;hi&lt;/i&gt; <span class="mention">@bob</span> &lt;b&gt;look&lt;/b&gt; &amp; '
        "@charlie @nobody" in html
    )


def test_a_mention_whose_name_carries_markup_is_escaped(client, send, decision, alice, team):
    sly = user_signup(username="x<i>y", email="sly@example.com", password=PASSWORD)
    Membership.objects.create(team=team, user=sly, role=Role.VIEWER)
    comment(client, send, decision, alice, "@x<i>y")

    html = client.get(report(decision)).content.decode()

    assert "@x&lt;i&gt;y" in html
    assert "<i>y" not in html


def test_assigning_a_step_tells_its_new_owner_with_a_link_to_the_step(
    client, send, decision, alice, emily
):
    client.force_login(alice)
    send(
        client.post,
        report(decision, "steps/0/"),
        {"version": "1", "owner": str(emily.pk), "due_on": "2027-01-15"},
    )

    [message] = mail.outbox
    assert message.to == ["emily@example.com"]
    assert message.subject == "Email drafter, revision 1: a next step for you"
    assert "Due 15 January 2027." in message.body
    link = f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/#step-0"
    assert f"See the step: {link}\n" in message.body


def test_saving_a_step_again_without_a_new_owner_tells_no_one(client, send, decision, alice, emily):
    client.force_login(alice)
    send(client.post, report(decision, "steps/0/"), {"version": "1", "owner": str(emily.pk)})
    mail.outbox.clear()

    send(
        client.post,
        report(decision, "steps/0/"),
        {"version": "2", "owner": str(emily.pk), "done": "on"},
    )

    assert mail.outbox == []


def test_taking_a_step_yourself_sends_you_nothing(client, send, decision, emily):
    client.force_login(emily)
    send(client.post, report(decision, "steps/0/"), {"version": "1", "owner": str(emily.pk)})
    assert mail.outbox == []


def test_a_member_who_left_the_team_is_not_told(client, send, decision, alice, bob, emily):
    comment(client, send, decision, bob, "A question", node="symptom")
    Membership.objects.filter(user=bob).delete()
    mail.outbox.clear()

    comment(client, send, decision, emily, "An answer", node="symptom")

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


@override_settings(TASKS=DUMMY_TASKS)
def test_a_notification_is_enqueued_on_the_notifications_queue(
    client, send, decision, alice, emily
):
    default_task_backend.clear()
    client.force_login(alice)
    send(client.post, report(decision, "review/"), {"move": "propose"})

    queued = [(result.task.name, result.task.queue_name) for result in default_task_backend.results]
    # Nothing on "default": the e-mail, and the reminder due in a week if nobody reviews.
    assert queued == [
        ("remind_reviewers", "notifications"),
        ("send_notification_email", "notifications"),
    ]


def test_every_e_mail_task_is_on_the_notifications_queue():
    from decisions.accounts.tasks import send_invitation
    from decisions.records.notifications.tasks import deliver_webhook, send_notification_email

    queues = {
        t.name: t.queue_name for t in (send_invitation, send_notification_email, deliver_webhook)
    }
    assert queues == {
        "send_invitation": "notifications",
        "send_notification_email": "notifications",
        "deliver_webhook": "notifications",
    }


def test_an_e_mail_whose_template_forgets_the_link_gets_it_at_the_end(
    decision, alice, emily, monkeypatch
):
    """A new kind (another stage's) gets the link even if its template leaves it out."""
    from decisions.records.notifications import send

    monkeypatch.setattr(send, "render_to_string", lambda *args: "Something happened.\n")
    notification = send.notify(
        kind="review.proposed",
        decision=decision,
        actor=alice,
        recipients=[emily],
        subject="Something",
        template="any.txt",
    )

    assert notification.body == (
        "Something happened.\n\nOpen it in Prompt or Model?: "
        f"https://decisions.example.com/projects/{decision.project_id}/decisions/1/#review\n"
    )


def test_an_unregistered_kind_is_refused(decision, alice):
    from decisions.records.notifications.send import notify

    with pytest.raises(ValueError, match="Unknown notification kind 'review.nudge'"):
        notify(
            kind="review.nudge",
            decision=decision,
            actor=alice,
            recipients=[],
            subject="Reminder",
            template="records/email/review.txt",
        )


def test_an_edit_that_adds_a_mention_tells_only_the_newly_named(
    client, send, decision, alice, bob, emily
):
    comment(client, send, decision, emily, "Thoughts, @bob?")
    mail.outbox.clear()
    written = Comment.objects.get()

    send(
        client.post,
        report(decision, f"comments/{written.pk}/edit/"),
        {"body": "Thoughts, @bob and @alice?"},
    )

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Email drafter, revision 1: emily mentioned you", ["alice@example.com"])
    ]


def test_an_edit_without_a_new_mention_tells_no_one(client, send, decision, bob, emily):
    comment(client, send, decision, emily, "Thoughts, @bob?")
    mail.outbox.clear()
    written = Comment.objects.get()

    send(client.post, report(decision, f"comments/{written.pk}/edit/"), {"body": "Ideas, @bob?"})

    assert mail.outbox == []
