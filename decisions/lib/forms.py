"""Text limits a user can see and act on, never a silent cut."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator


class StatedMaxLengthValidator(MaxLengthValidator):
    """Refuses text over the limit with a message that gives the limit and the length."""

    def __call__(self, value) -> None:
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                f"This is {length:,} characters long; the limit is {self.limit_value:,}. "
                "Nothing was cut: shorten it and save again.",
                code="max_length",
            )


class StatedLimitsMixin:
    """Checks text limits on the server only, and says what they are.

    A browser given `maxlength` cuts pasted text at the limit without a word (a 25,000
    character paste arrived as 20,000), so no widget gets one; the help text states the limit
    instead and the server refuses longer text with the limit and the length.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if not isinstance(field, forms.CharField) or not limit:
                continue
            field.widget.attrs.pop("maxlength", None)
            field.validators = [
                StatedMaxLengthValidator(limit) if isinstance(v, MaxLengthValidator) else v
                for v in field.validators
            ]
            if limit >= 1_000:
                stated = f"Up to {limit:,} characters."
                field.help_text = f"{field.help_text} {stated}".strip()


# Embedding, override and isolate controls: they reorder how text is drawn, so a name can read
# differently from what it is ("Trojan Source"). Right-to-left letters themselves are kept.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def strip_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


ONE_LINE = "This is one line of text: remove the line break."


class PlainNamesMixin:
    """Single-line text (names, titles, labels) loses bidirectional control characters, and
    is refused with a line break in it: a name goes into e-mail subjects, where a line break
    makes sending fail long after the form said it was saved."""

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if not (
                isinstance(value, str) and isinstance(self.fields[name].widget, forms.TextInput)
            ):
                continue
            plain = strip_bidi_controls(value).strip()
            self.cleaned_data[name] = plain
            if value and not plain and self.fields[name].required:
                self.add_error(name, "Write a name with letters or digits in it.")
            elif len(plain.splitlines()) > 1:
                self.add_error(name, ONE_LINE)


class VersionedForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    """Carries the version the user started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
