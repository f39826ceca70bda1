from __future__ import annotations

import hashlib

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model

from decisions.accounts.models import Membership, Role, Team
from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.projects.exports import MAX_HELD_OUT_PERCENT
from decisions.projects.imports import ALL_VARIABLES, FIELDS
from decisions.projects.models import NOTES_MAX, FailedExample, Project, PromptTrial
from decisions.projects.vocabulary import failure_type_choices, technique_choices


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


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = ("name", "team", "description", "use_case", "model_in_use", "owner")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editable = Membership.objects.editable_by(user).values("team_id")
        self.fields["team"].queryset = Team.objects.filter(pk__in=editable)
        self.fields["team"].empty_label = None
        if self.instance.pk:
            self._limit_moves(user)
        # Owner candidates: people in the teams the user can edit; clean() narrows to the team.
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__team__in=editable)
            .distinct()
            .order_by("username")
        )
        self.fields["owner"].label_from_instance = lambda person: person.username
        if not self.instance.pk:
            self.initial.setdefault("owner", user.pk)

    def _limit_moves(self, user) -> None:
        """A move takes the project's examples, decisions and share links to the new team:
        only someone who owns both teams may move it."""
        owned = Membership.objects.for_user(user).filter(role=Role.OWNER).values("team_id")
        field = self.fields["team"]
        if Membership.objects.filter(
            user=user, team_id=self.instance.team_id, role=Role.OWNER
        ).exists():
            field.queryset = Team.objects.filter(pk__in=owned)
            field.help_text = "Moving the project takes its examples and decisions along."
        else:
            field.queryset = Team.objects.filter(pk=self.instance.team_id)
            field.disabled = True
            field.help_text = "Only an owner of this team can move the project to another team."

    def clean(self) -> dict:
        cleaned = super().clean()
        team, owner = cleaned.get("team"), cleaned.get("owner")
        if team and owner and not team.memberships.filter(user=owner).exists():
            self.add_error("owner", f"{owner.username} is not a member of {team.name}.")
        return cleaned


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

    def clean_techniques_tried(self) -> list[str]:
        return in_vocabulary_order(self.cleaned_data["techniques_tried"])


class BulkExamplesForm(forms.Form):
    """The examples ticked in the table and what to do with them."""

    ACTIONS = [("retag", "Retag"), ("delete", "Delete")]

    examples = forms.ModelMultipleChoiceField(
        queryset=FailedExample.objects.none(),
        error_messages={"required": "Tick at least one example first."},
    )
    action = forms.ChoiceField(choices=ACTIONS)
    failure_type = forms.ChoiceField(choices=failure_type_choices, required=False)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the project's own examples: an id from another project is refused.
        self.fields["examples"].queryset = project.examples.only("pk", "title")
        self.fields["examples"].error_messages["invalid_choice"] = (
            "One of the ticked examples no longer exists: it may have been deleted meanwhile."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("action") == "retag" and not cleaned.get("failure_type"):
            self.add_error("failure_type", "Choose the failure type to give them.")
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="CSV, JSONL or a JSON array, in UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.jsonl,.ndjson,.json"}),
    )


class ImportMappingForm(forms.Form):
    """Which column feeds each field, what unknown failure types mean, and the type for rows
    without one. Fields are built from the file: one select per field, one per unknown type."""

    def __init__(self, *args, columns, unknown_types, allow_variables, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        column_choices = [("", "— not in the file —")]
        if allow_variables:
            column_choices.append((ALL_VARIABLES, "All variable columns (promptfoo)"))
        column_choices += [(column, column) for column in columns]
        for import_field in FIELDS:
            self.fields[f"map_{import_field.name}"] = forms.ChoiceField(
                label=import_field.label, choices=column_choices, required=False
            )
        type_choices = failure_type_choices()
        self.fields["default_failure_type"] = forms.ChoiceField(
            label="Failure type for rows without one", choices=type_choices
        )
        self.unknown_types = unknown_types
        for raw in unknown_types:
            self.fields[type_field_name(raw)] = forms.ChoiceField(
                label=f"“{raw}” in the file means",
                choices=[("", "— choose —"), *type_choices],
                required=False,
            )

    def mapping_fields(self):
        return [self[f"map_{f.name}"] for f in FIELDS]

    def type_fields(self):
        return [self[type_field_name(raw)] for raw in self.unknown_types]

    def chosen(self) -> tuple[dict[str, str], dict[str, str], str]:
        data = self.cleaned_data
        mapping = {f.name: data.get(f"map_{f.name}", "") for f in FIELDS}
        types = {
            raw: data[type_field_name(raw)]
            for raw in self.unknown_types
            if data.get(type_field_name(raw))
        }
        return mapping, types, data["default_failure_type"]


def mapping_initial(example_import, unknown_types) -> dict:
    initial = {f"map_{f.name}": example_import.mapping.get(f.name, "") for f in FIELDS}
    initial["default_failure_type"] = example_import.default_failure_type
    for raw in unknown_types:
        initial[type_field_name(raw)] = example_import.type_mapping.get(raw, "")
    return initial


def type_field_name(raw: str) -> str:
    """A field name that stays the same for a value whatever else the mapping turns up."""
    return "type_" + hashlib.sha256(raw.encode()).hexdigest()[:12]


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
        help_text="promptfoo's --output JSON, or a CSV with case_id and pass columns.",
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
