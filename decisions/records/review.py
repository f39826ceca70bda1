"""Team review of decision revisions: propose, accept, reject, request changes, withdraw,
supersede; and comments on a revision or on one of its answers.

Statuses follow MADR: draft → proposed → accepted or rejected; a proposed revision with
changes requested goes back to its author, who answers with a new revision. Proposing asks
named reviewers; a revision is accepted once the team's number of different reviewers
accepted it (each acceptance before that is recorded, the status stays proposed). When a newer
revision is accepted, the older accepted one becomes superseded by it. Every move is a
ReviewEvent (who, when, an optional note); e-mails and webhooks go out through notify()
(records/notices.py), sent by the notifications worker after the commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.accounts.models import Membership, Role
from decisions.projects.models import Project
from decisions.records import notices
from decisions.records.models import (
    COMMENT_MAX,
    Acceptance,
    Comment,
    Decision,
    EventKind,
    Review,
    ReviewEvent,
    ReviewStatus,
)

PROPOSE, ACCEPT, REJECT, REQUEST_CHANGES, WITHDRAW = (
    "propose",
    "accept",
    "reject",
    "request_changes",
    "withdraw",
)
MOVES = {
    PROPOSE: (ReviewStatus.DRAFT, ReviewStatus.PROPOSED),
    ACCEPT: (ReviewStatus.PROPOSED, ReviewStatus.ACCEPTED),
    REQUEST_CHANGES: (ReviewStatus.PROPOSED, ReviewStatus.CHANGES_REQUESTED),
    REJECT: (ReviewStatus.PROPOSED, ReviewStatus.REJECTED),
    WITHDRAW: (ReviewStatus.PROPOSED, ReviewStatus.DRAFT),
}
NOTE_MAX = 2_000


def moves_for(review: Review, membership: Membership, user) -> list[str]:
    """The moves this member may make now (editors and owners review; viewers comment)."""
    if not membership.can_edit:
        return []
    allowed = [move for move, (start, _) in MOVES.items() if review.status == start]
    if ACCEPT in allowed and (
        _author_may_not_accept(review.decision, membership, user)
        or review.decision.superseded_by() is not None
        or _has_accepted(review.decision, user)
    ):
        allowed.remove(ACCEPT)
    if WITHDRAW in allowed and not _may_withdraw(review.decision, membership, user):
        allowed.remove(WITHDRAW)
    return allowed


def reviewer_choices(team):
    """Who can be asked to review: the team's editors and owners."""
    return team.members.filter(memberships__role__in=[Role.EDITOR, Role.OWNER]).order_by("username")


def _has_accepted(decision: Decision, user) -> bool:
    return decision.acceptances.live().filter(reviewer=user).exists()


def _may_withdraw(decision: Decision, membership: Membership, user) -> bool:
    """The author takes a proposal back; an owner may too, for an author who left."""
    return decision.created_by_id == user.pk or membership.can_manage


def _author_may_not_accept(decision: Decision, membership: Membership, user) -> bool:
    return membership.team.second_reviewer_required and decision.created_by_id == user.pk


@transaction.atomic
def review_move(
    *,
    decision: Decision,
    membership: Membership,
    user,
    move: str,
    note: str = "",
    informed=(),
    requested=None,
) -> ReviewEvent:
    """One move of the review. Proposing asks `requested` (the team's editors and owners;
    None keeps whoever was asked before). An acceptance short of the team's number is
    recorded and leaves the revision proposed."""
    if move not in MOVES:
        raise ValidationError(f"“{move}” is not a review step.")
    if not membership.can_edit:
        raise ValidationError("Viewers comment on decisions; editors and owners review them.")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note is {len(note):,} characters long; the limit is 2,000.")
    # The project's row first: moves on two revisions of one project wait for each other, so
    # accepting revision 2 and revision 1 at once cannot leave both accepted.
    Project.objects.select_for_update().only("pk").get(pk=decision.project_id)
    # Locked: two reviewers pressing at once make one move, and the second is told why.
    review = Review.objects.select_for_update().get(decision=decision)
    start, end = MOVES[move]
    if review.status != start:
        raise ValidationError(
            f"This revision is {review.get_status_display().lower()} now, so it cannot be "
            f"{ReviewStatus(end).label.lower()}. Reload the page to see what changed."
        )
    if move == ACCEPT and _author_may_not_accept(decision, membership, user):
        raise ValidationError(
            "Your team asks for a second person: someone other than the author accepts."
        )
    if move == ACCEPT and (newest := decision.superseded_by()) is not None:
        raise ValidationError(
            f"Revision {decision.revision} cannot be accepted: revision {newest} is newer. "
            "Only the latest revision is accepted; review that one."
        )
    if move == WITHDRAW and not _may_withdraw(decision, membership, user):
        raise ValidationError("Only the author or a team owner withdraws a proposal.")
    if move == ACCEPT:
        event = _accept(decision, review, membership, user, note.strip())
    else:
        event = _record(decision, review, end, user, note.strip())
    if move == PROPOSE:
        _ask(review, informed, requested)
        transaction.on_commit(lambda: _schedule_reminder(decision.pk))
    if event.to_status == ReviewStatus.ACCEPTED:
        _supersede_older(decision, user)
    notices.review_moved(event)
    return event


def _ask(review: Review, informed, requested) -> None:
    if informed:
        review.informed.set(informed)
    if requested is not None:
        review.requested_reviewers.set(requested)


def _accept(decision, review, membership, user, note) -> ReviewEvent:
    """Records the acceptance; the revision is accepted when it is the team's Nth."""
    if _has_accepted(decision, user):
        raise ValidationError(
            f"You already accepted revision {decision.revision}: another reviewer's "
            "acceptance is needed."
        )
    Acceptance.objects.update_or_create(
        decision=decision,
        reviewer=user,
        defaults={"at": timezone.now(), "carried_from": None, "dismissed_at": None},
    )
    needed = membership.team.required_acceptances
    if decision.acceptances.live().count() >= needed:
        return _record(decision, review, ReviewStatus.ACCEPTED, user, note)
    return _record(decision, review, review.status, user, note, kind=EventKind.ACCEPTANCE)


def _record(decision, review, to_status, user, note, kind=EventKind.MOVE) -> ReviewEvent:
    event = ReviewEvent.objects.create(
        decision=decision,
        kind=kind,
        from_status=review.status,
        to_status=to_status,
        by=user,
        note=note,
    )
    review.status = to_status
    review.save(update_fields=["status", "updated_at"])
    return event


def _supersede_older(decision: Decision, user) -> None:
    older = Review.objects.select_for_update().filter(
        decision__project_id=decision.project_id,
        decision__revision__lt=decision.revision,
        status=ReviewStatus.ACCEPTED,
    )
    for review in older.select_related("decision"):
        _record(
            review.decision,
            review,
            ReviewStatus.SUPERSEDED,
            user,
            f"Superseded by revision {decision.revision}.",
        )
        Review.objects.filter(pk=review.pk).update(superseded_by=decision)


def _schedule_reminder(decision_id: int) -> None:
    from decisions.records.tasks import reminder_schedule

    reminder_schedule(decision_id=decision_id)


@transaction.atomic
def comment_add(*, decision: Decision, user, body: str, node_id: str = "") -> Comment:
    body = body.strip()
    if not body:
        raise ValidationError("Write something to comment.")
    if len(body) > COMMENT_MAX:
        raise ValidationError(f"The comment is {len(body):,} characters long; the limit is 5,000.")
    if node_id and node_id not in {step["node"] for step in decision.explanation["path"]}:
        raise ValidationError("That question is not on this revision's path.")
    comment = Comment.objects.create(decision=decision, node_id=node_id, author=user, body=body)
    notices.comment_added(comment)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """The author's change within 15 minutes; the comment then says it was edited."""
    now = timezone.now()
    if not comment.editable_by(user, now):
        raise ValidationError(
            "Only the author can edit a comment, within 15 minutes of writing it."
        )
    body = body.strip()
    if not body or len(body) > COMMENT_MAX:
        raise ValidationError(f"A comment holds 1 to 5,000 characters; this one has {len(body):,}.")
    before = comment.body
    comment.body, comment.edited_at = body, now
    comment.save(update_fields=["body", "edited_at"])
    notices.comment_edited(comment, before=before)
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    if not comment.editable_by(user, timezone.now()):
        raise ValidationError(
            "Only the author can delete a comment, within 15 minutes of writing it."
        )
    comment.delete()


def comment_resolve(*, comment: Comment, user) -> Comment:
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment
