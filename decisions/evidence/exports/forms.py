from __future__ import annotations

from django import forms

from decisions.lib.forms import StatedLimitsMixin
from decisions.projects.models import NOTES_MAX


class ExportForm(StatedLimitsMixin, forms.Form):
    system = forms.CharField(
        label="System message for chat formats",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: the instructions your feature sends. Left out when empty.",
    )

    def system_or_default(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data["system"]
