from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model

from decisions.accounts.models import Membership, Role, Team
from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin
from decisions.projects.models import FailedExample, Project
from decisions.projects.vocabulary import technique_choices


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


class ExampleForm(VersionedForm):
    techniques_tried = forms.MultipleChoiceField(
        label="Prompt techniques already tried",
        choices=technique_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

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

    def clean_techniques_tried(self) -> list[str]:
        chosen = set(self.cleaned_data["techniques_tried"])
        return [technique_id for technique_id, _ in technique_choices() if technique_id in chosen]
