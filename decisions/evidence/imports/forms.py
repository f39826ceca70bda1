from __future__ import annotations

import hashlib

from django import forms

from decisions.evidence.imports.parse import ALL_VARIABLES, FIELDS
from decisions.evidence.imports.sources import PASS_SCORE
from decisions.projects.vocabulary import failure_type_choices


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="CSV, JSONL or a JSON array, in UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.jsonl,.ndjson,.json"}),
    )


class ImportMappingForm(forms.Form):
    """Which column feeds each field, what unknown failure types mean, and the type for rows
    without one. Fields are built from the file: one select per field, one per unknown type."""

    def __init__(
        self, *args, columns, unknown_types, allow_variables, passing=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        column_choices = [("", "— not in the file —")]
        if allow_variables:
            column_choices.append((ALL_VARIABLES, "All variable columns (promptfoo)"))
        column_choices += [(column, column) for column in columns]
        for import_field in FIELDS:
            self.fields[f"map_{import_field.name}"] = forms.ChoiceField(
                label=import_field.label, choices=column_choices, required=False
            )
        self.fields["skip_existing"] = forms.BooleanField(
            label="Skip rows already in this project",
            help_text="A row is already there when an example has the same input and outputs.",
            required=False,
        )
        if passing is not None:
            # Only for a file that says which rows passed (promptfoo results, scores).
            known, passed = passing
            self.fields["only_failing"] = forms.BooleanField(
                label="Only the failing rows",
                help_text=only_failing_help(known, passed),
                required=False,
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

    def chosen(self) -> dict:
        """The keyword arguments of `import_choose`."""
        data = self.cleaned_data
        mapping = {f.name: data.get(f"map_{f.name}", "") for f in FIELDS}
        types = {
            raw: data[type_field_name(raw)]
            for raw in self.unknown_types
            if data.get(type_field_name(raw))
        }
        return {
            "mapping": mapping,
            "type_mapping": types,
            "default_type": data["default_failure_type"],
            "skip_existing": data["skip_existing"],
            # A file without pass or fail keeps the default: nothing in it passed.
            "only_failing": data.get("only_failing", True),
        }


def mapping_initial(example_import, unknown_types) -> dict:
    initial = {f"map_{f.name}": example_import.mapping.get(f.name, "") for f in FIELDS}
    initial["default_failure_type"] = example_import.default_failure_type
    initial["skip_existing"] = example_import.skip_existing
    initial["only_failing"] = example_import.only_failing
    for raw in unknown_types:
        initial[type_field_name(raw)] = example_import.type_mapping.get(raw, "")
    return initial


def type_field_name(raw: str) -> str:
    """A field name that stays the same for a value whatever else the mapping turns up."""
    return "type_" + hashlib.sha256(raw.encode()).hexdigest()[:12]


def only_failing_help(known: int, passed: int) -> str:
    """What the box leaves out, in numbers, and the rule that decides a pass."""
    rows = "row" if passed == 1 else "rows"
    return (
        f"Leaves out {passed:,} passing {rows} of {known:,}. A score of {PASS_SCORE:g} or "
        "more passes; a row with several scores passes only when all of them do."
    )
