"""Next steps the team tracks: an owner, a due date and a done mark for each step of the
latest revision. The revision stays as saved; its tracking lives in TrackedStep rows."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from decisions.records import notices
from decisions.records.models import Decision, TrackedStep

STALE_CODE = "stale"
STALE_STEP = (
    "Someone changed this step since you opened the page: reload to see their change, "
    "then make yours."
)


def steps_track(decision: Decision, *, previous: Decision | None) -> list[TrackedStep]:
    """A row for each next step of a new revision. A step the previous revision gave in the
    same words keeps its owner, due date and done mark: re-running the wizard loses nothing."""
    carried = {}
    if previous is not None:
        carried = {step.text: step for step in previous.tracked_steps.all()}
    rows = []
    for index, text in enumerate(decision.explanation["next_steps"]):
        before = carried.get(text)
        rows.append(
            TrackedStep(
                decision=decision,
                index=index,
                text=text,
                owner_id=before.owner_id if before else None,
                due_on=before.due_on if before else None,
                done_at=before.done_at if before else None,
                done_by_id=before.done_by_id if before else None,
            )
        )
    return TrackedStep.objects.bulk_create(rows)


@transaction.atomic
def step_update(
    *,
    decision: Decision,
    index: int,
    version: int,
    owner,
    due_on: date | None,
    done: bool,
    user,
) -> TrackedStep:
    """Saves one step's tracking; refuses it on an older revision or over a newer change."""
    if decision.superseded_by() is not None:
        raise ValidationError(
            "Only the latest revision's steps are tracked: this one has been superseded."
        )
    step = TrackedStep.objects.select_for_update().filter(decision=decision, index=index).first()
    if step is None:
        raise ValidationError("This revision has no such step.")
    if step.version != version:
        raise ValidationError(STALE_STEP, code=STALE_CODE)
    assigned = owner is not None and owner.pk != step.owner_id
    step.owner = owner
    step.due_on = due_on
    if done and not step.is_done:
        step.done_at, step.done_by = timezone.now(), user
    elif not done:
        step.done_at, step.done_by = None, None
    step.version = F("version") + 1
    step.save()
    step.refresh_from_db()
    if assigned:
        notices.step_assigned(step, by=user)
    return step


def step_rows(decision: Decision, membership, *, is_latest: bool) -> list[dict]:
    """The report's tracked steps, with a form on each when this member may change them and
    the revision is the latest."""
    from decisions.records.forms import TrackedStepForm

    steps = list(decision.tracked_steps.select_related("owner", "done_by"))
    editable = membership.can_edit and is_latest
    members = membership.team.members.order_by("username") if editable else None
    owner_choices = (
        [("", "No owner"), *((person.pk, person.username) for person in members)]
        if editable
        else None
    )
    today = timezone.localdate()
    rows = []
    for step in steps:
        rows.append(
            {
                "step": step,
                "form": TrackedStepForm(step=step, members=members, owner_choices=owner_choices)
                if editable
                else None,
                "overdue": bool(step.due_on and not step.is_done and step.due_on < today),
            }
        )
    return rows
