from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from decisions.records.models import TrackedStep


class TrackedStepForm(forms.Form):
    """One step's owner, due date and done mark, with the version the page was drawn from.

    Field ids carry the step's index: every step of the report has its own form.
    """

    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="No owner",
        label="Owner",
    )
    due_on = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )
    done = forms.BooleanField(required=False, label="Done")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args, step: TrackedStep, members, owner_choices: list | None = None, **kwargs
    ) -> None:
        kwargs.setdefault("auto_id", f"step-{step.index}-%s")
        kwargs.setdefault(
            "initial",
            {
                "owner": step.owner_id,
                "due_on": step.due_on,
                "done": step.is_done,
                "version": step.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        if owner_choices is not None:
            # Drawn from one read of the team for every step's form on the page; the
            # queryset still checks a posted owner.
            self.fields["owner"].choices = owner_choices
        self.fields["owner"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["due_on"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["done"].widget.attrs["class"] = "form-check-input"
