"""Writes to a project that the wizard reads: each touches it (see evidence/services.py)."""

from __future__ import annotations

from django.db import transaction
from django.forms import ModelForm

from decisions.lib.stale import save_unless_stale
from decisions.projects.models import Project


def project_update(*, project: Project, form: ModelForm, version: int) -> bool:
    """Saves the edited project unless someone saved a newer version first (then False)."""
    with transaction.atomic():
        saved = save_unless_stale(form, version)
        if saved:
            project.touch()
    return saved


def project_restore(*, project: Project) -> None:
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(archived_at=None)
        project.touch()


def project_changed(project: Project) -> None:
    """A change made outside these services (the admin): what the wizard read is stale."""
    project.touch()
