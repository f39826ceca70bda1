from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from decisions.accounts.models import Team
from decisions.projects.vocabulary import current_vocabulary

TITLE_MAX = 200
NOTES_MAX = 5_000


class UseCase(models.TextChoices):
    TASK = "task", "Task-based work (emails, notes, summaries)"
    KNOWLEDGE = "knowledge", "Knowledge assistant (answers from our information)"
    LEGAL = "legal", "Specialized domain: legal"
    MEDICAL = "medical", "Specialized domain: medical"
    EDUCATION = "education", "Specialized domain: education"
    FINANCE = "finance", "Specialized domain: finance"
    INDUSTRY = "industry", "Specialized domain: other industry"


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        return self.filter(team__memberships__user=user)

    def active(self) -> ProjectQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ProjectQuerySet:
        return self.filter(archived_at__isnull=False)

    def with_example_count(self) -> ProjectQuerySet:
        return self.annotate(example_count=Count("examples", distinct=True))


class Project(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=NOTES_MAX, blank=True)
    use_case = models.CharField(max_length=20, choices=UseCase.choices, default=UseCase.TASK)
    model_in_use = models.CharField(
        "model in use", max_length=200, blank=True, help_text="For example: GPT-4o, Llama 3 8B."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by any change to the project or its examples: the list sorts by it.
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The share of a test set's cases a prompt must pass, in percent.
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of test cases a prompt must pass for the feature to ship.",
    )
    monthly_requests = models.PositiveIntegerField(
        "requests per month",
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000_000)],
        help_text="Optional: how often the feature is called; trials of two models then say "
        "what the difference costs a month.",
    )
    # Incremented on every edit, so a form based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def touch(self) -> None:
        self.last_activity_at = timezone.now()
        Project.objects.filter(pk=self.pk).update(last_activity_at=self.last_activity_at)

    def failure_counts(self) -> list[tuple[str, str, int]]:
        """(id, label, count) for every failure type, in the vocabulary's order, in one query."""
        types = current_vocabulary().failure_types
        totals = self.examples.aggregate(
            **{term.id: Count("pk", filter=Q(failure_type=term.id)) for term in types}
        )
        return [(term.id, term.label, totals[term.id]) for term in types]
