from __future__ import annotations

from django import forms

from decisions.evidence.exports.experiment import (
    ASSERTIONS,
    INPUT_TAG,
    INPUT_VARIABLE,
    MAX_MODELS,
    OTHER_TAG,
    PROVIDER_ID,
)
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


class ExperimentForm(StatedLimitsMixin, forms.Form):
    """The prompt and the models the experiment runs on the test set."""

    prompt = forms.CharField(
        label="Your best prompt",
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Write {{input}} where each case's input goes (more than once if you like); "
        "it is the only template in the files.",
    )
    models = forms.CharField(
        label="Models to run it on",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="promptfoo provider ids, one a line, e.g. openai:gpt-4o and "
        f"anthropic:messages:claude-sonnet-4-5; at most {MAX_MODELS}.",
    )

    assertion = forms.ChoiceField(
        label="A case passes when",
        choices=[(key, label) for key, (label, _) in ASSERTIONS.items()],
        initial="llm-rubric",
        widget=forms.RadioSelect,
    )

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        if not INPUT_TAG.search(prompt):
            raise forms.ValidationError(
                f"Write {INPUT_VARIABLE} where each case's input goes: the prompt has none."
            )
        if OTHER_TAG.search(INPUT_TAG.sub("", prompt)):
            raise forms.ValidationError(
                f"Only {INPUT_VARIABLE} may be a template: take out the other {{{{ }}}} or "
                "{% %} tags, or the cases' text would be read as templates."
            )
        return prompt

    def clean_models(self) -> tuple[str, ...]:
        models = tuple(
            dict.fromkeys(
                line.strip() for line in self.cleaned_data["models"].split("\n") if line.strip()
            )
        )
        if not models:
            raise forms.ValidationError("Name at least one model.")
        if len(models) > MAX_MODELS:
            raise forms.ValidationError(f"That is {len(models)} models; the limit is {MAX_MODELS}.")
        wrong = [model for model in models if not PROVIDER_ID.match(model)]
        if wrong:
            raise forms.ValidationError(
                f"“{wrong[0][:60]}” is not a promptfoo provider id (like openai:gpt-4o): letters, "
                "digits and . : / @ _ - only, no spaces."
            )
        return models
