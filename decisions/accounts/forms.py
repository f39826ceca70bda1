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
