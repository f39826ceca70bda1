"""Who each event of the records stage tells, and in what words: review moves, comments,
@mentions, assigned steps. Everything goes out through notify() (notifications/send.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from decisions.accounts.models import Role
from decisions.records.mentions import mentioned_members
from decisions.records.models import Comment, ReviewEvent, ReviewStatus, TrackedStep
from decisions.records.notifications import kinds
from decisions.records.notifications.send import notify

REVIEW_KINDS = {
    ReviewStatus.PROPOSED: kinds.REVIEW_PROPOSED,
    ReviewStatus.ACCEPTED: kinds.REVIEW_ACCEPTED,
    ReviewStatus.REJECTED: kinds.REVIEW_REJECTED,
    ReviewStatus.CHANGES_REQUESTED: kinds.REVIEW_CHANGES_REQUESTED,
}


def review_recipients(event: ReviewEvent) -> list:
    """Reviewers when a revision is proposed; its author on a decision about it; the
    informed people as well on acceptance. (notify() leaves out the person who moved.)"""
    decision = event.decision
    if event.to_status == ReviewStatus.PROPOSED:
        return list(
            get_user_model().objects.filter(
                memberships__team_id=decision.project.team_id,
                memberships__role__in=[Role.EDITOR, Role.OWNER],
            )
        )
    people = [decision.created_by] if decision.created_by else []
    if event.to_status == ReviewStatus.ACCEPTED:
        people += list(decision.review.informed.all())
    return people


def review_moved(event: ReviewEvent) -> None:
    kind = REVIEW_KINDS.get(event.to_status)
    if kind is None:  # superseded: the acceptance of the newer revision says it all
        return
    decision = event.decision
    status = event.get_to_status_display().lower()
    notify(
        kind=kind,
        decision=decision,
        actor=event.by,
        recipients=review_recipients(event),
        subject=f"{decision.project.name}, revision {decision.revision}: {status}",
        summary=f"{_name(event.by)} {_review_verb(event.to_status)} “{decision.project.name}”, "
        f"revision {decision.revision}",
        template="records/email/review.txt",
        context={"event": event},
        anchor="review",
    )


def _review_verb(status: str) -> str:
    return {
        ReviewStatus.PROPOSED: "proposed for review",
        ReviewStatus.ACCEPTED: "accepted",
        ReviewStatus.REJECTED: "rejected",
    }.get(status, "asked for changes to")


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
