from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from decisions.lib.tokens import hash_token, new_token

TOKEN_PREFIX = "pom_"
SHOWN_PREFIX_CHARS = 8


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the read-only API: it reads what its user may read. Only its hash
    is stored; the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart in the list.
    shown_prefix = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown_prefix}…)"

    @classmethod
    def create(cls, *, user, name: str) -> tuple[ApiToken, str]:
        token = TOKEN_PREFIX + new_token()
        api_token = cls.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(token),
            shown_prefix=token[: len(TOKEN_PREFIX) + SHOWN_PREFIX_CHARS],
        )
        return api_token, token

    def revoke(self) -> None:
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
