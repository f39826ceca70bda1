from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from decisions.evidence.examples.forms import in_vocabulary_order, technique_field
from decisions.evidence.models import PromptTrial
from decisions.evidence.trials.scored import DEFAULT_PASS_AT, PassRule
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
        help_text="promptfoo's --output file (JSON, JSONL or YAML; --repeat runs too), a "
        "Braintrust experiment export (JSON or JSONL rows with scores), a LangSmith "
        "experiment CSV (feedback.* columns), or a CSV with case_id and pass columns (and an "
        "optional group column).",
    )
    group_by = forms.CharField(
        label="Group cases by",
        max_length=100,
        required=False,
        help_text="Optional: the var, metadata field or column that says a case's group (a "
        "class, a language, a customer tier), e.g. language; or example.failure_type or "
        "example.severity to read it from the test-set example each case names (example-ID "
        "or its title).",
    )
    pass_score = forms.CharField(
        label="Pass when this score",
        max_length=100,
        required=False,
        help_text="For Braintrust scores and LangSmith feedback: the one that decides a pass, "
        "e.g. Factuality or correctness. Leave empty when the file has only one.",
    )
    pass_at = forms.DecimalField(
        label="is at least",
        initial=DEFAULT_PASS_AT,
        min_value=0,
        max_value=1_000_000,
        max_digits=12,
        decimal_places=4,
        required=False,
        help_text="A case passes when its score is at or above this (0.5 unless you say: on a "
        "0 to 1 scale, half right or better). True/false feedback needs no mark.",
    )

    def rule(self) -> PassRule:
        at_least = self.cleaned_data.get("pass_at")
        return PassRule(
            score=self.cleaned_data["pass_score"].strip(),
            at_least=DEFAULT_PASS_AT if at_least is None else at_least,
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
