from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from decisions.records.models import Decision

EXPIRY_CHOICES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("never", "Never")]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def usable(self) -> ShareLinkQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ShareLink(models.Model):
    """A read-only link to one decision revision. Only the token's SHA-256 is stored."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100, help_text="Who it is for, e.g. “Steering committee”.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.decision})"

    @classmethod
    def create(cls, *, decision: Decision, label: str, expiry: str, user) -> tuple[ShareLink, str]:
        """A new link and its token; the token is never stored, so show it now or never."""
        token = secrets.token_urlsafe(32)
        expires_at = None if expiry == "never" else timezone.now() + timedelta(days=int(expiry))
        link = cls.objects.create(
            decision=decision,
            label=label,
            token_hash=hash_token(token),
            created_by=user,
            expires_at=expires_at,
        )
        return link, token

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def record_view(self) -> None:
        now = timezone.now()
        ShareLink.objects.filter(pk=self.pk).update(
            view_count=F("view_count") + 1, last_viewed_at=now
        )
