"""What the records stage sends: e-mails about events, and webhook deliveries to team targets.

Imported by records/models.py, so Django sees these as records models."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from decisions.accounts.models import Team


class Notification(models.Model):
    """One e-mail about one event, written in the same transaction as the event and sent by
    the notifications worker. Who, what and the link are fixed when it happens."""

    kind = models.CharField(max_length=40)
    decision = models.ForeignKey(
        "records.Decision", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # User ids: their addresses are read when the e-mail goes out.
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed by the e-mail task before it sends: a task that runs twice sends once.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # Each e-mail sent prunes those older than NOTIFICATIONS_KEEP_DAYS (tasks.prune_sent).
        indexes = [models.Index(fields=["created_at"], name="notification_created_at")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class WebhookFormat(models.TextChoices):
    SLACK = "slack", 'Slack-compatible: {"text": …} with the link'
    JSON = "json", "Generic JSON: event, project, revision, actor, url, timestamp"


class WebhookTarget(models.Model):
    """Where a team's events are posted. The URL can hold a token of its own (Slack's do), so
    pages show it shortened, like the secret."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhook_targets")
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000)
    format = models.CharField(max_length=10, choices=WebhookFormat.choices)
    # Signs every body (HMAC-SHA256); kept as typed, since signing needs it.
    secret = models.CharField(max_length=200)
    # Event kinds (records/notifications/kinds.py) this target receives.
    events = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"

    @property
    def format_name(self) -> str:
        """The format in two words, for lists; the choice label explains it on the form."""
        return "Slack-compatible" if self.format == WebhookFormat.SLACK else "Generic JSON"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Trying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class WebhookDelivery(models.Model):
    """One event posted to one target: the body is fixed when the event happens; each try is
    a WebhookAttempt."""

    target = models.ForeignKey(WebhookTarget, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=40)
    payload = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.target}"


RESPONSE_EXCERPT = 500


class WebhookAttempt(models.Model):
    """One try of a delivery, for the target's log: the answer's status and first 500
    characters, or why there was none."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=RESPONSE_EXCERPT, blank=True)
    error = models.CharField(max_length=500, blank=True)
    will_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery}: attempt {self.number}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
