from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from decisions.flowchart.definition import Definition
from decisions.flowchart.evaluate import Result, evaluate
from decisions.flowchart.registry import current_version, get_definition
from decisions.projects.models import Project

NOTE_MAX = 2_000


class RunStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    FINISHED = "finished", "Finished"
    DISCARDED = "discarded", "Discarded"


class WizardRun(models.Model):
    """One walk through the flowchart for a project, saved at every answer.

    `answers` maps a node id to {"option", "note", "by", "at"}: the choice, the PM's optional
    note, who answered and when. Answers that fall off the path stay here, unused.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="wizard_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    # A callable default: the registry's current version when the run starts, pinned from then
    # on (a run started on an older version finishes on it), and no migration per new version.
    flowchart_version = models.CharField(max_length=20, default=current_version)
    answers = models.JSONField(default=dict, blank=True)
    # Incremented by every change: a form carrying an older version is refused (409).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="draft"),
                name="one_draft_run_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.project_id} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    def definition(self) -> Definition:
        return get_definition(self.flowchart_version)

    def chosen_options(self) -> dict[str, str]:
        """The answers given in this run. Answers carried over from the last revision are
        suggestions until the PM confirms them, so they do not count yet."""
        return {
            node_id: answer["option"]
            for node_id, answer in self.answers.items()
            if not answer.get("carried")
        }

    def notes(self) -> dict[str, str]:
        return {
            node_id: answer["note"]
            for node_id, answer in self.answers.items()
            if answer.get("note")
        }

    def evaluate(self) -> Result:
        return evaluate(self.definition(), self.chosen_options())
