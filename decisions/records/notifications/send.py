"""notify(): the one way an event reaches people and chat.

Called inside the transaction that records the event. It writes the e-mail (a Notification)
and one WebhookDelivery per team target that subscribed to the kind, and enqueues their tasks
on the "notifications" queue once the transaction commits, so nothing is sent for an event
that was rolled back, and no PDF render on the default queue waits in front of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from decisions.lib.links import absolute_url
from decisions.records.notifications import tasks, webhooks
from decisions.records.notifications.kinds import KINDS
from decisions.records.notifications.models import Notification, WebhookDelivery


def report_url(decision, anchor: str = "review") -> str:
    """The absolute link to a place on a revision's report."""
    path = reverse(
        "reports:report", kwargs={"project_id": decision.project_id, "revision": decision.revision}
    )
    return absolute_url(f"{path}#{anchor}" if anchor else path)


def notify(
    *,
    kind: str,
    decision,
    actor,
    recipients: Iterable,
    subject: str,
    template: str,
    context: dict | None = None,
    anchor: str = "review",
    summary: str = "",
) -> Notification | None:
    """E-mail `recipients` (team members other than the actor) and post to the team's webhooks.

    `template` renders the e-mail's text with `context`, `url` (the absolute link to `anchor`
    on the revision's report), `decision`, `project` and `actor`; the link is added at the end
    if the template leaves it out: every e-mail carries one. `summary` is the line chat shows
    (the subject with the actor's name when left out). Returns the e-mail written, if any.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in kinds.py.")
    project = decision.project
    url = report_url(decision, anchor)
    actor_name = actor.get_username() if actor else "Someone"
    subject = _one_line(subject)
    people = _members_to_tell(project.team_id, recipients, actor)
    notification = None
    if people:  # no one to tell, nothing to write; the webhooks below still hear of it
        context = {**(context or {}), "url": url, "decision": decision, "project": project}
        notification = _write_email(
            kind=kind,
            decision=decision,
            actor=actor,
            people=people,
            subject=subject,
            body=_body(template, {**context, "actor": actor}),
            url=url,
        )
    event = {
        "event": kind,
        "project": {"id": project.pk, "name": project.name},
        "revision": decision.revision,
        "actor": actor_name,
        "url": url,
        "timestamp": timezone.now().isoformat(),
        "summary": _one_line(summary) or f"{actor_name}: {subject}",
    }
    _queue_webhooks(project.team_id, kind, event)
    return notification


def _members_to_tell(team_id: int, recipients: Iterable, actor) -> list:
    """The recipients still in the team, with an address, never the actor: a former member
    gets no link into a team they left, and no one is told of their own move."""
    ids = {person.pk for person in recipients if person is not None}
    if actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return []
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, memberships__team_id=team_id)
        .exclude(email="")
        .order_by("pk")
    )


def _body(template: str, context: dict) -> str:
    text = render_to_string(template, context).strip()
    url = context["url"]
    return text + "\n" if url in text else f"{text}\n\nOpen it in Prompt or Model?: {url}\n"


def _write_email(*, kind, decision, actor, people, subject, body, url) -> Notification:
    notification = Notification.objects.create(
        kind=kind,
        decision=decision,
        actor=actor,
        recipients=[person.pk for person in people],
        subject=subject,
        body=body,
        url=url,
    )
    transaction.on_commit(lambda: tasks.send_notification_email.enqueue(notification.pk))
    return notification


def _queue_webhooks(team_id: int, kind: str, event: dict) -> list[WebhookDelivery]:
    deliveries = [
        WebhookDelivery.objects.create(
            target=target, kind=kind, payload=webhooks.payload(target.format, event)
        )
        # A handful of targets per team: filtered here, as SQLite cannot search a JSON list.
        for target in webhooks.targets_for(team_id)
        if kind in target.events
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: tasks.deliver_webhook.enqueue(pk, 1))
    return deliveries


def _one_line(text: str) -> str:
    """A name saved before the forms refused line breaks: a subject with one cannot be sent."""
    return " ".join(text.split())
