"""Forms parse and check input types; the reviews services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardModelForm, VersionField, label_of_user
from steward.parties import selectors as parties_selectors
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.reviews.models import Activity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class ActivityForm(StewardModelForm):
    participants = PeopleField(
        queryset=None,
        required=False,
        label="Our participants",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contacts: forms.ModelMultipleChoiceField[Contact] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Their participants",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    version = VersionField(required=False)

    class Meta:
        model = Activity
        fields = [
            "subject",
            "kind",
            "occurred_on",
            "participants",
            "contacts",
            "summary",
            "follow_up_on",
            "face_to_face",
        ]
        widgets = {
            "occurred_on": DATE,
            "follow_up_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"occurred_on": "Date", "follow_up_on": "Follow up on"}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("participants", internal_user_choices(user=user))
        contacts = parties_selectors.contact_list(
            user=user, filters={"organization": relationship.organization_id}
        )
        self.limit_choices("contacts", contacts)
        self.fields["participants"].help_text = "Hold Ctrl (or ⌘) to choose several."
        self.fields["contacts"].help_text = f"People of {relationship.organization} who took part."
        if self.instance.pk:
            self.fields["participants"].initial = list(self.instance.participants.all())
            self.fields["contacts"].initial = list(self.instance.contacts.all())
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
