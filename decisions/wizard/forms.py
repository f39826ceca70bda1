from __future__ import annotations

from django import forms

from decisions.flowchart.definition import Node
from decisions.lib.forms import StatedLimitsMixin
from decisions.wizard.models import NOTE_MAX


class StepForm(StatedLimitsMixin, forms.Form):
    """One answer: the option of one question, an optional note, and the run's version."""

    option = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the answers to go on."},
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note (optional)",
        help_text="Why this answer? Your team and the report will see it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, node: Node, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option.id, option.label) for option in node.options]
        self.fields["option"].error_messages["invalid_choice"] = (
            "“%(value)s” is not one of the answers to this question."
        )
