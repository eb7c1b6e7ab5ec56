from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from steward.core.forms import StewardForm, VersionField
from steward.people.choices import Function, JobRole
from steward.people.selectors import internal_user_choices

User = get_user_model()


class ManagerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class TokenForm(StewardForm):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “spend import script”.")
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. After this day the token stops working.",
    )


class PersonalDetailsForm(StewardForm):
    title = forms.CharField(max_length=120, required=False, label="Job title")
    phone = forms.CharField(max_length=40, required=False)
    digest_enabled = forms.BooleanField(
        required=False, label="Email me a daily digest of what is due"
    )
    version = VersionField()


class UserAdminForm(StewardForm):
    """What an administrator sets for a person: roles, function, reporting line."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField()
    roles = forms.MultipleChoiceField(
        choices=JobRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Job roles",
    )
    function = forms.ChoiceField(choices=[("", "—"), *Function.choices], required=False)
    title = forms.CharField(max_length=120, required=False, label="Job title")
    manager = ManagerField(queryset=None, required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("manager", internal_user_choices(user=user))
        self.fields["roles"].widget.attrs["class"] = "form-check-input"


class UserCreateForm(UserAdminForm):
    username = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        help_text="The person changes it after signing in.",
    )

    field_order = ["username", "first_name", "last_name", "email", "password"]


class TeamForm(StewardForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead = ManagerField(queryset=None)
    members: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = internal_user_choices(user=user)
        self.limit_choices("lead", people)
        self.limit_choices("members", people)
        self.fields["members"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.username
        )
