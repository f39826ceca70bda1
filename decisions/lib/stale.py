"""Refuse stale edits instead of overwriting a teammate's newer change."""

from __future__ import annotations

from django.db import transaction
from django.forms import ModelForm

STALE_MESSAGE = (
    "Someone saved a newer version while you were editing. Nothing was overwritten: "
    "your changes are still in the form; compare with the current version and save again."
)


def save_unless_stale(form: ModelForm, expected_version: int) -> bool:
    """Save a valid model form only if the row still has `expected_version`.

    The row is locked while comparing, so two concurrent saves cannot both pass the check.
    Returns False, saving nothing, when someone else saved first.
    """
    model = type(form.instance)
    with transaction.atomic():
        current = model.objects.select_for_update().only("version").get(pk=form.instance.pk)
        if current.version != expected_version:
            return False
        form.instance.version = current.version + 1
        form.save()
    return True
