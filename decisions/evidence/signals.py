"""Signals of the evidence stage, for the stages above it to listen to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent while the project page is drawn, with `project`; each receiver returns a dict the page
# adds to its context. Later stages (records: whether the latest decision is stale) put their
# part on the page without this stage importing them.
project_page_context = Signal()


def later_stages_context(project) -> dict:
    context: dict = {}
    for _, extra in project_page_context.send(sender=type(project), project=project):
        context.update(extra or {})
    return context
