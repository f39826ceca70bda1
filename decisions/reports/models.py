from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from decisions.lib.tokens import hash_token, new_token
from decisions.records.models import Decision

EXPIRY_CHOICES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("never", "Never")]


class ReportScope(models.TextChoices):
    """How much of a report a share link or a PDF carries. Examples can hold customer data, so
    each copy that leaves the team says what it carries; the counts stay in every one."""

    SUMMARY = "summary", "Summary only"
    FULL = "full", "Full report, without examples"
    EXAMPLES_NO_TEXT = "examples_no_text", "Full report with examples, without their text"
    EXAMPLES = "examples", "Full report with examples and their text"

    @property
    def short_label(self) -> str:
        """For a narrow menu: a phone shows the choice without cutting it."""
        return {
            "summary": "Summary only",
            "full": "Full, no examples",
            "examples_no_text": "Examples, no text",
            "examples": "Full, with examples",
        }[self.value]

    @property
    def has_details(self) -> bool:
        return self != ReportScope.SUMMARY

    @property
    def has_examples(self) -> bool:
        return self in (ReportScope.EXAMPLES_NO_TEXT, ReportScope.EXAMPLES)

    @property
    def has_example_text(self) -> bool:
        return self == ReportScope.EXAMPLES


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
    # Links made before the choice existed carried everything; they keep doing so.
    scope = models.CharField(
        "What it carries",
        max_length=20,
        choices=ReportScope.choices,
        default=ReportScope.EXAMPLES,
    )
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
    def create(
        cls, *, decision: Decision, label: str, expiry: str, scope: str, user
    ) -> tuple[ShareLink, str]:
        """A new link and its token; the token is never stored, so show it now or never."""
        token = new_token()
        expires_at = None if expiry == "never" else timezone.now() + timedelta(days=int(expiry))
        link = cls.objects.create(
            decision=decision,
            label=label,
            scope=scope,
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


class PdfStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportPdfQuerySet(models.QuerySet):
    def for_key(self, decision: Decision, key: str, scope: str) -> tuple[ReportPdf, bool]:
        """The PDF row for this decision's current content, scope and templates: (row, created).

        `key` already covers the scope; the row keeps it so the worker knows what to draw."""
        try:
            with transaction.atomic():
                return self.get_or_create(decision=decision, key=key, defaults={"scope": scope})
        except IntegrityError:  # a second request created it at the same moment
            return self.get(decision=decision, key=key), False


class ReportPdf(models.Model):
    """A decision's report as a PDF, rendered once by a background task.

    `key` hashes everything the PDF shows and the templates that draw it, so a new template
    or different content gets a new row, never a stale file.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="pdfs")
    key = models.CharField(max_length=64)
    scope = models.CharField(
        max_length=20, choices=ReportScope.choices, default=ReportScope.EXAMPLES
    )
    status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    content = models.BinaryField(null=True, editable=False)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    objects = ReportPdfQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "key"], name="one_pdf_per_content")
        ]

    def __str__(self) -> str:
        return f"PDF of {self.decision} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == PdfStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == PdfStatus.FAILED

    def is_overdue(self, after: timedelta) -> bool:
        """Pending for longer than a render can take: its worker died or never ran."""
        return self.status == PdfStatus.PENDING and timezone.now() - self.requested_at > after
