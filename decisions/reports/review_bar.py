"""The review bar at the top of the team's report, and the timeline beside the answers: what
the view hands the template. The moves are decided here, from role and state, never in the
template."""

from __future__ import annotations

from django.utils import timezone

from decisions.accounts.models import Team
from decisions.records.carry import carried_conversation
from decisions.records.mentions import team_usernames
from decisions.records.models import EventKind, Review
from decisions.records.reminders import proposed_at
from decisions.records.review import PROPOSE, moves_for


def review_context(decision, membership, user) -> dict:
    """The team's review of the revision: its status, who is asked and who accepted, the
    moves this member may make, the comments (answer threads beside their questions), the
    conversation carried from earlier revisions, and the timeline of all of it."""
    review, _ = Review.objects.get_or_create(decision=decision)
    decision.review = review
    comments = list(decision.comments.select_related("author", "resolved_by"))
    events = list(decision.review_events.select_related("by"))
    acceptances = list(decision.acceptances.live().select_related("reviewer", "carried_from"))
    # One read of the team serves the names of those asked and both pickers.
    members = list(membership.team.memberships.select_related("user").order_by("user__username"))
    asked_ids = set(
        Review.requested_reviewers.through.objects.filter(review=review).values_list(
            "user_id", flat=True
        )
    )
    requested = [member.user for member in members if member.user_id in asked_ids]
    threads: dict[str, list] = {}
    for comment in comments:
        threads.setdefault(comment.node_id, []).append(comment)
    now = timezone.now()
    moves = moves_for(review, membership, user)
    carried = carried_conversation(decision, status=review.status)
    timeline = [{"kind": "event", "at": e.at, "item": e} for e in events]
    timeline += [{"kind": "comment", "at": c.created_at, "item": c} for c in comments]
    open_here = sum(1 for comment in comments if comment.resolved_at is None)
    return {
        "review": review,
        "review_bar": True,
        "moves": moves,
        "requested": requested,
        "acceptances": acceptances,
        "accepted_ids": {acceptance.reviewer_id for acceptance in acceptances},
        "required_acceptances": membership.team.required_acceptances,
        "proposed_at": proposed_at(decision) if review.status == "proposed" else None,
        "open_comment_count": open_here + len(carried["carried_comments"]),
        **carried,
        **_propose_form(membership.team, members, moves, asked_ids),
        "timeline": sorted(timeline, key=lambda entry: entry["at"]),
        "threads": threads,
        "editable_comments": {c.pk for c in comments if c.editable_by(user, now)},
        # Marks @names of members in the comments; no comments, no query.
        "mention_names": team_usernames(membership.team) if comments else {},
        "commenting": True,
        "event_kinds": EventKind,
    }


def _propose_form(team, members, moves, asked_ids) -> dict:
    """Who can be asked (editors and owners), and who is chosen already: the previous
    revision's reviewers on a re-run, else the team's default reviewers."""
    if PROPOSE not in moves:
        return {"team_members": [], "reviewer_choices": [], "preselected": set()}
    chosen = asked_ids or set(
        Team.default_reviewers.through.objects.filter(team=team).values_list("user_id", flat=True)
    )
    return {
        "team_members": [member.user for member in members],
        "reviewer_choices": [member.user for member in members if member.can_edit],
        "preselected": chosen,
    }
