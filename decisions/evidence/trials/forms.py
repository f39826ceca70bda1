from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from decisions.evidence.examples.forms import in_vocabulary_order, technique_field
from decisions.evidence.models import PromptTrial
from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin


class TrialForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    techniques = technique_field("Techniques this revision used")

    class Meta:
        model = PromptTrial
        fields = (
            "label",
            "model_name",
            "model_version",
            "on_current_model",
            "run_on",
            "techniques",
            "cases",
            "passed",
            "cost_per_1k_requests",
            "p95_latency_ms",
            "note",
        )
        widgets = {
            "run_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, with_counts: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_counts:
            # An imported trial takes its counts from the file.
            del self.fields["cases"], self.fields["passed"]
            self.fields["model_name"].required = False
            self.fields["model_name"].help_text = "Left empty: the model the file names."
            self.fields["label"].required = False
            self.fields["label"].help_text = "Left empty: the prompt label the file names."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_techniques(self) -> list[str]:
        return in_vocabulary_order(self.cleaned_data["techniques"])

    def clean(self) -> dict:
        cleaned = super().clean()
        cases, passed = cleaned.get("cases"), cleaned.get("passed")
        if cases is not None and passed is not None and passed > cases:
            self.add_error("passed", f"{passed} passed out of {cases} cases is not possible.")
        return cleaned


class TrialFileForm(forms.Form):
    file = forms.FileField(
        label="Results file",
        help_text="promptfoo's --output JSON, or a CSV with case_id and pass columns (and an "
        "optional group column).",
    )
    group_by = forms.CharField(
        label="Group promptfoo cases by",
        max_length=100,
        required=False,
        help_text="Optional: the var or metadata field that says a case's group (a class, a "
        "language, a customer tier), e.g. language; or example.failure_type or "
        "example.severity to read it from the test-set example each case names (example-<id> "
        "or its title).",
    )


class PassMarkForm(forms.Form):
    pass_mark = forms.IntegerField(label="Pass mark (%)", min_value=1, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BreakEvenForm(forms.Form):
    """What a right answer saves and a wrong one costs, in any one unit."""

    value_right = forms.DecimalField(label="A right answer saves", min_value=0, max_digits=12)
    cost_wrong = forms.DecimalField(label="A wrong answer costs", min_value=0, max_digits=12)

    def break_even(self) -> int | None:
        """The pass rate at which the feature starts paying: cost / (value + cost)."""
        if not self.is_valid():
            return None
        value, cost = self.cleaned_data["value_right"], self.cleaned_data["cost_wrong"]
        if value + cost == 0:
            return None
        return round(100 * cost / (value + cost))
