"""What a re-run's revision takes over from the one before: who was asked, the acceptances
(kept when every answer is the same, dismissed with a note when one changed, as a stale
approval is dismissed when a pull request's change moves, and each reviewer told by e-mail),
and the conversation: open comments and change requests stay in view until they are
resolved."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from decisions.records import notices
from decisions.records.diff import answer_changes
from decisions.records.models import (
    Acceptance,
    Comment,
    Decision,
    EventKind,
    Review,
    ReviewEvent,
    ReviewStatus,
)

IN_REVIEW = (ReviewStatus.PROPOSED, ReviewStatus.CHANGES_REQUESTED)
SETTLED = (ReviewStatus.ACCEPTED, ReviewStatus.SUPERSEDED)


def review_carry_over(*, previous: Decision | None, decision: Decision, user) -> None:
    """Inside decision_create's transaction: the new revision's review starts from the
    previous one's reviewers and acceptances."""
    old_review = Review.objects.filter(decision=previous).first() if previous else None
    if old_review is None:
        return
    review = Review.objects.get(decision=decision)
    review.requested_reviewers.set(old_review.requested_reviewers.all())
    review.informed.set(old_review.informed.all())
    if old_review.status not in IN_REVIEW:
        return
    acceptances = list(previous.acceptances.live().select_related("reviewer"))
    if not acceptances:
        return
    changes = answer_changes(previous, decision)
    if not changes:
        Acceptance.objects.bulk_create(
            Acceptance(decision=decision, reviewer=a.reviewer, at=a.at, carried_from=previous)
            for a in acceptances
        )
        return
    note = dismissal_note(previous, decision, changes, [a.reviewer for a in acceptances])
    previous.acceptances.live().update(dismissed_at=timezone.now(), dismissed_note=note)
    event = ReviewEvent.objects.create(
        decision=decision,
        kind=EventKind.DISMISSAL,
        from_status=ReviewStatus.DRAFT,
        to_status=ReviewStatus.DRAFT,
        by=user,
        note=note,
    )
    # A reviewer whose acceptance stopped counting would otherwise learn it only by opening
    # the report.
    notices.acceptances_dismissed(
        event, previous=previous, reviewers=[a.reviewer for a in acceptances], changes=changes
    )


def dismissal_note(previous: Decision, decision: Decision, changes: list, reviewers) -> str:
    first = changes[0]
    more = f" (and {len(changes) - 1} more)" if len(changes) > 1 else ""
    names = ", ".join(person.username for person in reviewers)
    return (
        f"Dismissed: revision {decision.revision} changed the answer to “{first['question']}” "
        f"from “{first['before']}” to “{first['after']}”{more}. The acceptance of revision "
        f"{previous.revision} by {names} no longer counts."
    )


def carried_conversation(decision: Decision, *, status: str | None = None) -> dict:
    """The earlier revisions' open comments and change requests, since the last accepted
    revision: a conversation restarts after an acceptance. A change request stays in view
    until a later revision is accepted; a comment until someone resolves it. `status` is the
    revision's review status when the caller has read it already."""
    earlier = Decision.objects.filter(
        project_id=decision.project_id, revision__lt=decision.revision
    )
    settled = earlier.filter(review__status__in=SETTLED).aggregate(last=Max("revision"))["last"]
    earlier = earlier.filter(revision__gt=settled or 0)
    comments = (
        Comment.objects.filter(decision__in=earlier, resolved_at__isnull=True)
        .select_related("author", "decision")
        .order_by("decision__revision", "created_at", "pk")
    )
    requests = []
    if status is None:
        status = Review.objects.filter(decision=decision).values_list("status", flat=True).first()
    if status not in SETTLED:
        events = ReviewEvent.objects.filter(
            decision__in=earlier, kind=EventKind.MOVE, to_status=ReviewStatus.CHANGES_REQUESTED
        ).select_related("by", "decision")
        requests = [
            {"event": event, "answered_by": event.decision.revision + 1}
            for event in events.order_by("decision__revision", "at", "pk")
        ]
    return {"carried_comments": list(comments), "carried_requests": requests}
