from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery

from decisions.flowchart.snapshot import content_hash
from decisions.projects.models import Project
from decisions.wizard.models import WizardRun


class ImmutableRecordError(Exception):
    pass


def latest_revision(project) -> models.QuerySet:
    """The latest revision of a project (an id, a Project or an OuterRef to one), as a
    one-row queryset: the one definition of "latest" that every page and subquery uses."""
    return Decision.objects.filter(project=project).order_by("-revision")[:1]


class DecisionQuerySet(models.QuerySet):
    def latest_per_project(self) -> DecisionQuerySet:
        """Only each project's latest revision."""
        return self.filter(pk=Subquery(latest_revision(OuterRef("project")).values("pk")))


class Decision(models.Model):
    """One saved decision revision: never changed after it is created.

    It keeps everything the report needs as it was at that moment (answers, notes, the
    explanation with path, warnings and counterfactuals, the evidence summary, the diagram, and
    in `snapshot` the verdict's wording, effort table, risks and labels), pinned to the
    flowchart version and content hash it was made with. Reports never read the live
    definition, so a wording fix to a definition cannot change an old report.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    revision = models.PositiveIntegerField()
    run = models.OneToOneField(
        WizardRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="decision"
    )
    outcome = models.CharField(max_length=40)
    confidence = models.CharField(max_length=10)
    answers = models.JSONField()
    notes = models.JSONField(default=dict)
    explanation = models.JSONField()
    diagram_svg = models.TextField()
    # decisions.flowchart.snapshot.report_snapshot(): all the report shows of the definition.
    snapshot = models.JSONField(default=dict)
    # The failed examples as they were, so the report of an old revision never changes.
    examples = models.JSONField(default=list)
    # The project as it was described when the decision was made (name, description, use
    # case, model, owner): the summary at the top of the report reads this, not today's project.
    context = models.JSONField(default=dict, blank=True)
    flowchart_version = models.CharField(max_length=20)
    flowchart_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["project", "revision"], name="one_number_per_revision")
        ]
        indexes = [
            # The dashboard sorts every project's latest revision by when it changed. SQLite
            # keeps a row's large JSON before created_at, so reading created_at from the rows
            # walks their overflow pages; from this index it reads none.
            models.Index(
                fields=["project", "revision", "created_at"], name="decision_latest_by_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} revision {self.revision}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRecordError("A saved decision never changes: create a new revision.")
        super().save(*args, **kwargs)

    def superseded_by(self) -> int | None:
        """The newest revision number if this one is no longer the project's latest."""
        newest = latest_revision(self.project_id).values_list("revision", flat=True).first()
        return newest if newest and newest != self.revision else None

    @property
    def verdict(self) -> str:
        return self.snapshot["outcome"]["verdict"]

    def content_hash(self) -> str:
        """A hash of everything the report renders: part of the PDF cache key."""
        return content_hash(
            self.snapshot,
            self.explanation,
            self.answers,
            self.notes,
            self.examples,
            self.diagram_svg,
            self.context,
        )


class ReviewStatus(models.TextChoices):
    """MADR's words for where a decision record stands."""

    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class Review(models.Model):
    """Where one revision stands in its team's review. The revision itself never changes;
    its review moves on, and every move is a ReviewEvent."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    # Told by email when the revision is accepted.
    informed = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    superseded_by = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    # Asked to review when it was proposed: they see it on their "Waiting for my review" list.
    requested_reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="review_requests"
    )
    # Claimed by the reminder before it writes: a reminder never goes twice within a day.
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.decision}: {self.status}"


class EventKind(models.TextChoices):
    """What a timeline entry records: a status move, or a step of review that keeps it."""

    MOVE = "move", "Status change"
    ACCEPTANCE = "acceptance", "Acceptance"
    DISMISSAL = "dismissal", "Acceptance dismissed"
    REMINDER = "reminder", "Reminder"


class ReviewEvent(models.Model):
    """One move of a review: who, when, from what to what, and why. An acceptance that is
    not yet enough, a dismissed acceptance and a reminder keep the status (`kind` says which)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="review_events")
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.MOVE)
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.from_status} → {self.to_status}"


class AcceptanceQuerySet(models.QuerySet):
    def live(self) -> AcceptanceQuerySet:
        return self.filter(dismissed_at__isnull=True)


class Acceptance(models.Model):
    """One reviewer's acceptance of a revision. A revision is accepted once its team's number
    of different reviewers accepted it. A re-run that keeps every answer carries the
    acceptance to the new revision (`carried_from`); one that changes an answer dismisses it,
    with the reason in `dismissed_note`."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="acceptances")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField()
    carried_from = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_note = models.TextField(blank=True)

    objects = AcceptanceQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "reviewer"], name="one_acceptance_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} accepted {self.decision}"


COMMENT_EDIT_MINUTES = 15
COMMENT_MAX = 5_000


class Comment(models.Model):
    """Plain text on a revision, or on one answer of its path (`node_id`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    node_id = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.decision}"

    def editable_by(self, user, now) -> bool:
        """Authors edit or delete their own comment within its first 15 minutes."""
        age = now - self.created_at
        return self.author_id == user.pk and age.total_seconds() <= COMMENT_EDIT_MINUTES * 60


class TrackedStepQuerySet(models.QuerySet):
    def open(self) -> TrackedStepQuerySet:
        return self.filter(done_at__isnull=True)


class TrackedStep(models.Model):
    """One next step of a revision as the team works on it: who owns it, by when, and whether
    it is done. Kept beside the revision, which never changes: the step's words stay in the
    revision's explanation, at `index` of its next steps, and are copied here only to carry
    the tracking over to a later revision that gives the same step."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tracked_steps")
    index = models.PositiveSmallIntegerField()
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every change: a form saved from an older page is refused, not applied over it.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrackedStepQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "index"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "index"], name="one_tracking_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.decision}: step {self.index + 1}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# Notifications and webhooks keep their models beside their code; importing them here is how
# Django finds them as records models.
from decisions.records.notifications.models import (  # noqa: E402, F401
    DeliveryStatus,
    Notification,
    WebhookAttempt,
    WebhookDelivery,
    WebhookFormat,
    WebhookTarget,
)
