"""The webhook target form: clean and normalise only; sending is the tasks' business."""

from __future__ import annotations

import ipaddress

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from urllib3.util import parse_url

from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.lib.outbound import article, refusal
from decisions.records.notifications.kinds import KINDS
from decisions.records.notifications.models import WebhookFormat, WebhookTarget

SECRET_MIN = 16


def shown_url(url: str) -> str:
    """The URL without its path: a Slack or Discord webhook URL is itself a secret."""
    parts = parse_url(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if (parts.path or "/") == "/" and not parts.query else f"{origin}/…"


def shown_secret(secret: str) -> str:
    return f"…{secret[-4:]}"


class WebhookTargetForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    """Adding asks for everything; editing keeps the URL and the secret unless new ones are
    typed, since neither is ever shown again in full."""

    events = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Events to send", required=True
    )

    class Meta:
        model = WebhookTarget
        fields = ("name", "url", "format", "secret", "events")
        labels = {"url": "URL", "secret": "Signing secret", "name": "Name"}
        widgets = {
            "format": forms.RadioSelect,
            "secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            "url": forms.URLInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {"name": "For you: which channel or system this is."}

    def __init__(self, *args, submit_label: str = "Add webhook", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.fields["events"].choices = list(KINDS.items())
        self.fields["format"].choices = WebhookFormat.choices
        self.fields["url"].help_text = (
            f"Now {shown_url(self.instance.url)}; leave empty to keep it."
            if editing
            else "Where each event is posted (https). Private and internal addresses are refused."
        )
        self.fields["secret"].help_text = (
            f"Now the one ending {shown_secret(self.instance.secret)}; leave empty to keep it."
            if editing
            else f"At least {SECRET_MIN} characters. Each body is signed with it "
            "(X-Decisions-Signature); Slack ignores it."
        )
        if editing:
            self.fields["url"].required = False
            self.fields["secret"].required = False
            self.initial["url"] = ""
        else:
            self.initial.setdefault("events", list(KINDS))
            self.initial.setdefault("format", WebhookFormat.SLACK)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form>, with its action and CSRF
        self.helper.add_input(Submit("submit", submit_label))

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if not url:
            return self.instance.url
        parts = parse_url(url)
        if parts.scheme not in ("http", "https"):
            raise ValidationError("Use an http or https address.")
        if parts.auth:
            raise ValidationError(
                "Leave the user name and password out of the URL: they would not be sent."
            )
        if not settings.WEBHOOKS_ALLOW_PRIVATE and (reason := _literal_refusal(parts.host)):
            raise ValidationError(
                f"{parts.host} is {article(reason)} {reason} address: webhooks only go to "
                "public addresses."
            )
        return url

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"]
        if not secret and self.instance.pk:
            return self.instance.secret
        if len(secret) < SECRET_MIN:
            raise ValidationError(
                f"The secret is {len(secret)} characters long; use at least {SECRET_MIN}."
            )
        return secret


def _literal_refusal(host: str | None) -> str | None:
    """An address typed as such is judged now; a host name is judged at each delivery, after
    it is resolved (its addresses can change)."""
    if not host:
        return None
    if host.lower() in ("localhost", "localhost.") or host.lower().endswith(".localhost"):
        return "loopback"
    try:
        return refusal(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None
