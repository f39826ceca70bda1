from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from decisions.accounts.models import Role, Team
from decisions.lib.forms import PlainNamesMixin, StatedLimitsMixin


class SignupForm(StatedLimitsMixin, UserCreationForm):
    email = forms.EmailField(max_length=254, help_text="For teammates to find you.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form>, with its action and CSRF
        self.helper.add_input(Submit("submit", "Create account"))


class TeamForm(PlainNamesMixin, StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ("name",)

    def __init__(self, *args, submit_label: str = "Save", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form>, with its action and CSRF
        self.helper.add_input(Submit("submit", submit_label))


class InviteForm(StatedLimitsMixin, forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form>, with its action and CSRF
        self.helper.add_input(Submit("submit", "Send invitation"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


MAX_REQUIRED_ACCEPTANCES = 10
MAX_REMINDER_DAYS = 90


class ReviewSettingsForm(forms.Form):
    """How the team reviews decisions; the version is the one the page was drawn from."""

    default_reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Asked by default",
        help_text="Prefilled when someone proposes a revision; editors and owners only.",
    )
    required_acceptances = forms.IntegerField(
        min_value=1,
        max_value=MAX_REQUIRED_ACCEPTANCES,
        label="Acceptances needed",
        help_text="Different reviewers who must accept a revision (1 to 10).",
    )
    review_reminder_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_REMINDER_DAYS,
        label="Remind after (days)",
        help_text="A revision proposed for longer reminds its reviewers once a day (1 to 90).",
    )
    second_reviewer_required = forms.BooleanField(
        required=False, label="The author cannot accept their own revision"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, team: Team, reviewers, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "default_reviewers": [user.pk for user in team.default_reviewers.all()],
                "required_acceptances": team.required_acceptances,
                "review_reminder_days": team.review_reminder_days,
                "second_reviewer_required": team.second_reviewer_required,
                "version": team.review_settings_version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["default_reviewers"].queryset = reviewers
        self.fields["default_reviewers"].widget.attrs["size"] = 4
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes <form>, with its action and CSRF
        self.helper.add_input(Submit("submit", "Save review settings"))
