from __future__ import annotations

from django import forms

from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.reports.models import EXPIRY_CHOICES, ShareLink


class ShareLinkForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    expiry = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="30", label="Expires after")

    class Meta:
        model = ShareLink
        fields = ("label",)
