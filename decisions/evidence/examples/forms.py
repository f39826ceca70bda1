from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.template.defaultfilters import pluralize

from decisions.evidence.examples.table import ExampleFilter
from decisions.evidence.models import FailedExample
from decisions.evidence.test_set import (
    DEFAULT_SHARE_PERCENT,
    MAX_SHARE_PERCENT,
    MIN_SHARE_PERCENT,
)
from decisions.lib.forms import VersionedForm
from decisions.projects.vocabulary import failure_type_choices, technique_choices


def technique_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=technique_choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def in_vocabulary_order(chosen) -> list[str]:
    """Technique ids in the vocabulary's order, so equal choices are stored equally."""
    chosen = set(chosen)
    return [technique_id for technique_id, _ in technique_choices() if technique_id in chosen]


class ExampleForm(VersionedForm):
    techniques_tried = technique_field("Prompt techniques already tried")

    class Meta:
        model = FailedExample
        fields = (
            "title",
            "failure_type",
            "input_text",
            "bad_output",
            "expected_output",
            "techniques_tried",
            "iterations",
            "severity",
            "notes",
        )
        widgets = {
            "input_text": forms.Textarea(attrs={"rows": 3}),
            "bad_output": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "iterations": forms.NumberInput(attrs={"min": 0, "max": 1000}),
        }

    def __init__(self, *args, prefix_id: str = "", **kwargs) -> None:
        # A distinct prefix per form keeps element ids unique when several forms share a page.
        super().__init__(*args, auto_id=f"id_{prefix_id}%s" if prefix_id else "id_%s", **kwargs)
        # Blank only for imported dataset items; a typed example is a failure, so it has one.
        self.fields["bad_output"].required = True
        if self.instance.input_messages:
            # A conversation stays turns: typed over as one text it would lose its roles, and
            # the chat exports would write it as one user turn. The page shows the turns.
            self.fields["input_text"].disabled = True
            self.fields["input_text"].widget = forms.HiddenInput()

    def clean_techniques_tried(self) -> list[str]:
        return in_vocabulary_order(self.cleaned_data["techniques_tried"])


class BulkExamplesForm(forms.Form):
    """The examples ticked in the table, or every example matching its filters, and what to do
    with them."""

    ACTIONS = [
        ("retag", "Retag"),
        ("hold_out", "Put in the test set"),
        ("train", "Take out of the test set"),
        ("delete", "Delete"),
    ]

    examples = forms.ModelMultipleChoiceField(queryset=FailedExample.objects.none(), required=False)
    # "Select all N matching": the server finds the examples again from the filters (`query`),
    # never from ids, and acts only if they still number what the page said.
    select_all = forms.BooleanField(required=False)
    matching_count = forms.IntegerField(required=False, min_value=0)
    action = forms.ChoiceField(choices=ACTIONS)
    failure_type = forms.ChoiceField(choices=failure_type_choices, required=False)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, project, query: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project, self.query = project, query
        # Only the project's own examples: an id from another project is refused.
        self.fields["examples"].queryset = project.examples.only("pk", "title")
        self.fields["examples"].error_messages["invalid_choice"] = (
            "One of the ticked examples no longer exists: it may have been deleted meanwhile."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("action") == "retag" and not cleaned.get("failure_type"):
            self.add_error("failure_type", "Choose the failure type to give them.")
        if cleaned.get("select_all"):
            cleaned["examples"] = self._all_matching(cleaned.get("matching_count"))
        elif not cleaned.get("examples") and "examples" not in self.errors:
            self.add_error("examples", "Tick at least one example first.")
        return cleaned

    def _all_matching(self, expected: int | None) -> list[FailedExample]:
        matching = ExampleFilter(QueryDict(self.query), queryset=self.project.examples.all()).qs
        chosen = list(matching.only("pk", "title").order_by("pk"))
        if expected is None or len(chosen) != expected:
            now = len(chosen)
            raise forms.ValidationError(
                f"{now} example{pluralize(now)} match{pluralize(now, 'es,')} these filters now, "
                f"not the {expected} the page showed: examples were added, changed or deleted "
                "meanwhile. Nothing was changed; look at the table again and choose.",
                code="stale_count",
            )
        if not chosen:
            raise forms.ValidationError("No example matches these filters.", code="none")
        return chosen


class TestSetForm(forms.Form):
    """How the PM chooses the test set: a share, by hash. Picking by hand is done by ticking
    examples in the table (BulkExamplesForm's hold-out actions)."""

    __test__ = False  # a form, not a pytest class

    share_percent = forms.IntegerField(
        label="Hold out (%)",
        min_value=MIN_SHARE_PERCENT,
        max_value=MAX_SHARE_PERCENT,
        initial=DEFAULT_SHARE_PERCENT,
        help_text=f"Of the examples with an expected output, {MIN_SHARE_PERCENT} to "
        f"{MAX_SHARE_PERCENT} %. Each example's place is fixed by a hash of it, so choosing the "
        "same share again holds out the same examples.",
    )
    # The test set's version the PM saw; a change that would leave trials on an old version
    # asks first (see test_set_change).
    confirmed_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
