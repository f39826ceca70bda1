from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from decisions.accounts.models import Membership, Role, Team
from decisions.lib.forms import VersionedForm
from decisions.projects.models import Project


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = (
            "name",
            "team",
            "description",
            "use_case",
            "model_in_use",
            "owner",
            "monthly_requests",
        )
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
