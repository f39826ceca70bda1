"""Who each event of the records stage tells, and in what words: review moves, dismissed
acceptances, comments, @mentions, assigned steps. Everything goes out through notify()
(notifications/send.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from decisions.accounts.models import Role
from decisions.records.mentions import mentioned_members
from decisions.records.models import (
    Comment,
    Decision,
    EventKind,
    ReviewEvent,
    ReviewStatus,
    TrackedStep,
)
from decisions.records.notifications import kinds
from decisions.records.notifications.send import notify
from decisions.records.reminders import waiting_reviewers

REVIEW_KINDS = {
    ReviewStatus.PROPOSED: kinds.REVIEW_PROPOSED,
    ReviewStatus.ACCEPTED: kinds.REVIEW_ACCEPTED,
    ReviewStatus.REJECTED: kinds.REVIEW_REJECTED,
    ReviewStatus.CHANGES_REQUESTED: kinds.REVIEW_CHANGES_REQUESTED,
}


def review_recipients(event: ReviewEvent) -> list:
    """The reviewers asked (every editor and owner when nobody was) when a revision is
    proposed; those it still waits for on a reminder; its author on an acceptance or a
    decision about it; the informed people as well when it is accepted. (notify() leaves out
    the person who moved.)"""
    decision = event.decision
    if event.kind == EventKind.REMINDER:
        return waiting_reviewers(decision)
    if event.kind == EventKind.DISMISSAL:
        return []
    if event.kind == EventKind.MOVE and event.to_status == ReviewStatus.PROPOSED:
        return list(decision.review.requested_reviewers.all()) or list(
            get_user_model().objects.filter(
                memberships__team_id=decision.project.team_id,
                memberships__role__in=[Role.EDITOR, Role.OWNER],
            )
        )
    people = [decision.created_by] if decision.created_by else []
    if event.kind == EventKind.MOVE and event.to_status == ReviewStatus.ACCEPTED:
        people += list(decision.review.informed.all())
    return people


def review_moved(event: ReviewEvent) -> None:
    kind = _review_kind(event)
    # Superseded or withdrawn: the timeline says it. A dismissal is told by
    # acceptances_dismissed(), which knows whose acceptances it dismissed.
    if kind is None:
        return
    decision = event.decision
    notify(
        kind=kind,
        decision=decision,
        actor=event.by,
        recipients=review_recipients(event),
        subject=f"{decision.project.name}, revision {decision.revision}: {_subject(event)}",
        summary=_review_summary(event),
        template="records/email/review.txt",
        context={
            "event": event,
            "needed": decision.project.team.required_acceptances,
            "accepted": decision.acceptances.live().count(),
        },
        anchor="review",
    )


def _review_kind(event: ReviewEvent) -> str | None:
    if event.kind == EventKind.REMINDER:
        return kinds.REVIEW_REMINDER
    if event.kind == EventKind.ACCEPTANCE:
        return kinds.REVIEW_ACCEPTANCE
    if event.kind == EventKind.MOVE:
        return REVIEW_KINDS.get(event.to_status)
    return None


def _subject(event: ReviewEvent) -> str:
    if event.kind == EventKind.REMINDER:
        return "waiting for your review"
    if event.kind == EventKind.ACCEPTANCE:
        return "accepted by one more reviewer"
    return event.get_to_status_display().lower()


def _review_summary(event: ReviewEvent) -> str:
    decision = event.decision
    where = f"“{decision.project.name}”, revision {decision.revision}"
    if event.kind == EventKind.REMINDER:  # no one moved: the wait ran out
        return f"{where} is still waiting for its reviewers"
    return f"{_name(event.by)} {_review_verb(event)} {where}"


def _review_verb(event: ReviewEvent) -> str:
    if event.kind == EventKind.ACCEPTANCE:
        return "added an acceptance to"
    return {
        ReviewStatus.PROPOSED: "proposed for review",
        ReviewStatus.ACCEPTED: "accepted",
        ReviewStatus.REJECTED: "rejected",
    }.get(event.to_status, "asked for changes to")


def acceptances_dismissed(
    event: ReviewEvent, *, previous: Decision, reviewers: list, changes: list[dict]
) -> None:
    """A re-run whose answers changed dismissed the acceptances of the revision before: each
    reviewer who had accepted it hears which answers changed, with a link to the new
    revision's timeline, where the dismissal note is (notify() leaves out the re-runner)."""
    decision = event.decision
    project = decision.project
    count = len(changes)
    answers = f"{count} answer{'s' if count != 1 else ''}"
    notify(
        kind=kinds.REVIEW_DISMISSED,
        decision=decision,
        actor=event.by,
        recipients=reviewers,
        subject=f"{project.name}, revision {decision.revision}: your acceptance of revision "
        f"{previous.revision} was dismissed",
        summary=f"{_name(event.by)} saved revision {decision.revision} of “{project.name}” "
        f"with {answers} changed: the acceptance of revision {previous.revision} by "
        f"{_names(reviewers)} no longer counts",
        template="records/email/dismissed.txt",
        context={"previous": previous, "changes": changes, "answers": answers},
        anchor="timeline",
    )


def comment_added(comment: Comment) -> None:
    """@mentioned members get a mention; the revision's author and everyone who wrote in the
    same thread (the answer's, or the revision's own) get the comment; the writer neither."""
    decision = comment.decision
    team_id = decision.project.team_id
    mentioned = mentioned_members(comment.body, team_id)
    thread = Comment.objects.filter(decision=decision, node_id=comment.node_id).exclude(
        pk=comment.pk
    )
    authors = get_user_model().objects.filter(pk__in=thread.values("author_id"))
    followers = [decision.created_by, *authors]
    mentioned_ids = {person.pk for person in mentioned}
    base = {"decision": decision, "actor": comment.author, "anchor": f"comment-{comment.pk}"}
    context = {"comment": comment, "question": _question(decision, comment.node_id)}
    where = f"“{decision.project.name}”, revision {decision.revision}"
    if mentioned:
        _mention(comment, mentioned, context=context, where=where, **base)
    notify(
        kind=kinds.COMMENT_ADDED,
        recipients=[person for person in followers if person and person.pk not in mentioned_ids],
        subject=f"{decision.project.name}, revision {decision.revision}: "
        f"{_name(comment.author)} commented",
        summary=f"{_name(comment.author)} commented on {where}",
        template="records/email/comment.txt",
        context=context,
        **base,
    )


def comment_edited(comment: Comment, *, before: str) -> None:
    """An edit that adds an @name tells that member; those named before were told already."""
    decision = comment.decision
    team_id = decision.project.team_id
    told = {person.pk for person in mentioned_members(before, team_id)}
    newly = [p for p in mentioned_members(comment.body, team_id) if p.pk not in told]
    if newly:
        _mention(
            comment,
            newly,
            context={"comment": comment, "question": _question(decision, comment.node_id)},
            where=f"“{decision.project.name}”, revision {decision.revision}",
            decision=decision,
            actor=comment.author,
            anchor=f"comment-{comment.pk}",
        )


def _mention(comment: Comment, mentioned: list, *, context: dict, where: str, **base) -> None:
    decision = comment.decision
    notify(
        kind=kinds.COMMENT_MENTION,
        recipients=mentioned,
        subject=f"{decision.project.name}, revision {decision.revision}: "
        f"{_name(comment.author)} mentioned you",
        summary=f"{_name(comment.author)} mentioned {_names(mentioned)} on {where}",
        template="records/email/mention.txt",
        context=context,
        **base,
    )


def step_assigned(step: TrackedStep, *, by) -> None:
    decision = step.decision
    notify(
        kind=kinds.STEP_ASSIGNED,
        decision=decision,
        actor=by,
        recipients=[step.owner],
        subject=f"{decision.project.name}, revision {decision.revision}: a next step for you",
        summary=f"{_name(by)} assigned step {step.index + 1} of “{decision.project.name}”, "
        f"revision {decision.revision} to {_name(step.owner)}",
        template="records/email/step_assigned.txt",
        context={"step": step},
        anchor=f"step-{step.index}",
    )


def _question(decision, node_id: str) -> str:
    if not node_id:
        return ""
    step = next((s for s in decision.explanation["path"] if s["node"] == node_id), None)
    return step.get("question", "") if step else ""


def _name(user) -> str:
    return user.get_username() if user else "Someone"


def _names(people: list) -> str:
    return ", ".join(_name(person) for person in people)
