from __future__ import annotations

from django import forms

from decisions.evidence.exports.formats import MAX_HELD_OUT_PERCENT
from decisions.lib.forms import StatedLimitsMixin
from decisions.projects.models import NOTES_MAX


class ExportForm(StatedLimitsMixin, forms.Form):
    held_out = forms.IntegerField(
        label="Keep back as the test set (%)",
        min_value=0,
        max_value=MAX_HELD_OUT_PERCENT,
        initial=0,
        required=False,
        help_text="The same examples are kept back on every export, so a tuned model is never "
        f"tested on what it trained on. 0 to {MAX_HELD_OUT_PERCENT}.",
    )
    system = forms.CharField(
        label="System message for chat formats",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: the instructions your feature sends. Left out when empty.",
    )

    def cleaned_or_default(self) -> tuple[int, str]:
        if not self.is_bound or not self.is_valid():
            return 0, ""
        return self.cleaned_data["held_out"] or 0, self.cleaned_data["system"]
