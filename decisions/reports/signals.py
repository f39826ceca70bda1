"""A saved decision's PDF starts rendering in the background as soon as the decision exists,
so the first stakeholder who downloads it usually finds it ready. What changes a PDF's key (a
review move, a newer revision) prunes the files that key replaced."""

from __future__ import annotations

from decisions.records.models import Decision, ReviewEvent
from decisions.reports.tasks import pdf_prune, pdf_request


def render_pdf_of_new_decision(sender, instance: Decision, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        pdf_request(decision=instance)
        # Every other revision of the project now reads "superseded by" this one.
        others = Decision.objects.filter(project_id=instance.project_id, pdfs__isnull=False)
        for other in others.exclude(pk=instance.pk).distinct():
            pdf_prune(other)


def prune_pdfs_after_review_move(sender, instance: ReviewEvent, created: bool, **kwargs) -> None:
    # The PDF names who moved the review, and when: every file made before is out of date.
    if created and not kwargs.get("raw"):
        pdf_prune(Decision.objects.get(pk=instance.decision_id))
