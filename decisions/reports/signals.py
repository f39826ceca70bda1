"""A saved decision's PDF starts rendering in the background as soon as the decision exists,
so the first stakeholder who downloads it usually finds it ready."""

from __future__ import annotations

from decisions.records.models import Decision
from decisions.reports.tasks import pdf_request


def render_pdf_of_new_decision(sender, instance: Decision, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        pdf_request(decision=instance)
