from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer (read only)"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class Team(models.Model):
    name = models.CharField(max_length=100)
    is_personal = models.BooleanField(default=False)
    # Team review: when set, the author of a revision cannot accept it themselves.
    second_reviewer_required = models.BooleanField(
        "a second person must accept",
        default=False,
        help_text="The author of a decision revision cannot accept it themselves.",
    )
    # Team review: how many different people must accept a revision before it is accepted.
    required_acceptances = models.PositiveSmallIntegerField(
        "acceptances needed",
        default=1,
        help_text="A revision is accepted once this many different reviewers accepted it.",
    )
    # A revision proposed for longer than this reminds its reviewers, once a day.
    review_reminder_days = models.PositiveSmallIntegerField(
        "remind reviewers after (days)",
        default=7,
        help_text="A revision waiting longer than this reminds its reviewers once a day.",
    )
    # Asked by default when a revision is proposed; the author can change who is asked.
    default_reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )
    # Raised by every change of the review settings: a form from an older page is refused.
    review_settings_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> MembershipQuerySet:
        return self.filter(user=user).select_related("team")

    def editable_by(self, user) -> MembershipQuerySet:
        return self.for_user(user).filter(role__in=[Role.EDITOR, Role.OWNER])


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.EDITOR, Role.OWNER)

    @property
    def can_manage(self) -> bool:
        return self.role == Role.OWNER


class RequestCount(models.Model):
    """Requests of one client in one time window, for rate limits (accounts/ratelimit.py)."""

    bucket = models.CharField(max_length=200)
    period = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "period"], name="one_count_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.bucket} × {self.count}"


INVITATION_DAYS = 7


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An owner's invitation to join a team, sent by email; accepted by its recipient.

    The link's token is single-use and expires; only its SHA-256 is stored.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} to {self.team}"
