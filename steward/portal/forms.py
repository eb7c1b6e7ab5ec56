"""Forms of the portal: inviting, accepting, asking for a sign-in link, entering a code."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardForm
from steward.parties.models import Contact


class ContactField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} <{obj.email}>" if obj.email else str(obj)


class InvitationForm(StewardForm):
    contact = ContactField(
        queryset=Contact.objects.none(),
        required=False,
        help_text="Optional: fills in the name and address from the contact on record.",
    )
    email = forms.EmailField(required=False, max_length=254)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)

    def __init__(self, *args: Any, contacts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contacts is not None:
            self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]


class AcceptForm(StewardForm):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Optional: without one, you sign in with a link we email you.",
    )
    password_again = forms.CharField(
        required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password", "") != data.get("password_again", ""):
            self.add_error("password_again", "The two passwords differ.")
        return data


class EmailForm(StewardForm):
    email = forms.EmailField(max_length=254, label="Your email address")


class CodeForm(StewardForm):
    code = forms.CharField(
        max_length=8,
        label="Code from your authenticator app",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
