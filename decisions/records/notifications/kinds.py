"""The kinds of event that notify people and post to webhooks: one list, which the webhook
form offers. A new kind is registered here and sent with notify() (send.py)."""

from __future__ import annotations

KINDS: dict[str, str] = {}


def register_kind(kind: str, label: str) -> str:
    KINDS[kind] = label
    return kind


REVIEW_PROPOSED = register_kind("review.proposed", "A revision is proposed for review")
REVIEW_ACCEPTED = register_kind("review.accepted", "A revision is accepted")
REVIEW_REJECTED = register_kind("review.rejected", "A revision is rejected")
REVIEW_CHANGES_REQUESTED = register_kind(
    "review.changes_requested", "Changes are requested on a revision"
)
REVIEW_ACCEPTANCE = register_kind(
    "review.acceptance", "A reviewer accepts a revision that needs more acceptances"
)
REVIEW_REMINDER = register_kind(
    "review.reminder", "A revision has waited for its reviewers longer than the team allows"
)
REVIEW_DISMISSED = register_kind(
    "review.dismissed", "A re-run changed an answer, so earlier acceptances no longer count"
)
COMMENT_ADDED = register_kind("comment.added", "Someone comments on a revision or an answer")
COMMENT_MENTION = register_kind("comment.mention", "Someone is @mentioned in a comment")
STEP_ASSIGNED = register_kind("step.assigned", "A next step is assigned to someone")

# Sent by the "Send test" button only; no one subscribes to it.
WEBHOOK_TEST = "webhook.test"
