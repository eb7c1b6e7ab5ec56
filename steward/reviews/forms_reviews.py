"""Forms of business reviews and action items: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from steward.core.forms import StewardForm, StewardModelForm, VersionField, label_of_user
from steward.parties import selectors as parties_selectors
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.reviews.forms import DATE, PeopleField
from steward.reviews.models import ActionItem, BusinessReview

MULTI_HELP = "Hold Ctrl (or ⌘) to choose several."


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


def _their_people(user: Any, relationship: Relationship) -> Any:
    return parties_selectors.contact_list(
        user=user, filters={"organization": relationship.organization_id}
    )


class ReviewForm(StewardModelForm):
    owner = PersonField(queryset=None, required=False, help_text="Empty: the relationship's owner.")
    attendees = PeopleField(
        queryset=None,
        required=False,
        label="Our attendees",
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=MULTI_HELP,
    )
    contacts: forms.ModelMultipleChoiceField[Contact] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Their attendees",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    version = VersionField(required=False)

    class Meta:
        model = BusinessReview
        fields = ["title", "kind", "scheduled_on", "owner", "attendees", "contacts"]
        widgets = {"scheduled_on": DATE}
        labels = {"scheduled_on": "Date"}
        help_texts = {"title": "Empty: named after the kind, the counterparty and the month."}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.limit_choices("owner", internal_user_choices(user=user))
        self.limit_choices("attendees", internal_user_choices(user=user))
        self.limit_choices("contacts", _their_people(user, relationship))
        self.fields["contacts"].help_text = f"People of {relationship.organization}."
        if self.instance.pk:
            self.fields["attendees"].initial = list(self.instance.attendees.all())
            self.fields["contacts"].initial = list(self.instance.contacts.all())
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class RecordForm(StewardForm):
    held_on = forms.DateField(widget=DATE, label="Held on")
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=100_000)
    attendees = PeopleField(
        queryset=None,
        required=False,
        label="Our attendees",
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=MULTI_HELP,
    )
    contacts: forms.ModelMultipleChoiceField[Contact] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Their attendees",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args: Any, user: Any, review: BusinessReview, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "held_on": min(review.scheduled_on, timezone.localdate()),
                "minutes": review.minutes,
                "attendees": list(review.attendees.all()),
                "contacts": list(review.contacts.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.limit_choices("attendees", internal_user_choices(user=user))
        self.limit_choices("contacts", _their_people(user, review.relationship))


class ReasonForm(StewardForm):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(StewardForm):
    note = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalNoteForm(StewardForm):
    note = forms.CharField(max_length=5000, required=False, label="Note (optional)")


class DecisionForm(StewardForm):
    text = forms.CharField(
        label="Decision", max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionItemForm(StewardModelForm):
    owner = PersonField(
        queryset=None, required=False, label="Our owner", help_text="For an action on our side."
    )
    version = VersionField(required=False)

    class Meta:
        model = ActionItem
        fields = ["title", "side", "owner", "owner_contact", "due_on", "shared_with_portal"]
        widgets = {"due_on": DATE}
        labels = {"owner_contact": "Their owner", "due_on": "Due on"}
        help_texts = {"owner_contact": "For an action on their side."}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.limit_choices("owner_contact", _their_people(user, relationship))
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
