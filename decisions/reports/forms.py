from __future__ import annotations

from django import forms

from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.reports.models import EXPIRY_CHOICES, ReportScope, ShareLink


class ShareLinkForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    expiry = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="30", label="Expires after")
    # A link leaves the team: it carries no example text unless someone chooses so.
    scope = forms.ChoiceField(
        choices=ReportScope.choices,
        initial=ReportScope.FULL,
        widget=forms.RadioSelect,
        label="What it carries",
    )

    class Meta:
        model = ShareLink
        fields = ("label",)
