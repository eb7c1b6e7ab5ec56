"""The post-visit note's form: it parses what people typed; the service decides.

Its fields are built for the account: one "was there" tick (and, for people on the plan's
relationship map, a new sentiment) per person of the account, one "done" tick per open action,
and a few rows for new actions. ``field_for`` maps a service error's field
(``attendees[1].sentiment``) back to the form field it came from.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from steward.accountplans.choices import Sentiment
from steward.core.forms import StewardForm, label_of_user
from steward.parties.models import Contact, Relationship, Site
from steward.reviews.choices import ActionSide
from steward.reviews.models import ActionItem
from steward.visits.choices import VISIT_KIND_CHOICES
from steward.visits.services import Attendee, NewAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_ROWS = 3
UNCHANGED = [("", "unchanged"), *Sentiment.choices]
_ROW = re.compile(r"^(attendees|new_actions|done_actions)\[(\d+)\](?:\.(\w+))?$")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class VisitNoteForm(StewardForm):
    visited_on = forms.DateField(widget=DATE, label="Visit date")
    kind = forms.ChoiceField(choices=VISIT_KIND_CHOICES, label="Kind")
    face_to_face = forms.BooleanField(required=False, initial=True, label="Face to face")
    location = forms.ModelChoiceField(
        queryset=Site.objects.none(), required=False, label="Location visited"
    )
    subject = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="What was discussed and agreed.",
    )

    def __init__(
        self,
        *args: Any,
        relationship: Relationship,
        people: list[Contact],
        mapped: dict[int, Any],
        actions: list[ActionItem],
        locations: Any,
        owners: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.relationship = relationship
        self.people = people
        self.mapped = mapped
        self.actions = actions
        self.limit_choices("location", locations)
        for contact in people:
            self.fields[f"met_{contact.pk}"] = forms.BooleanField(
                required=False, label=f"{contact} was there"
            )
            if contact.pk in mapped:
                self.fields[f"sentiment_{contact.pk}"] = forms.ChoiceField(
                    choices=UNCHANGED, required=False, label=f"Sentiment of {contact}"
                )
        for action in actions:
            self.fields[f"done_{action.pk}"] = forms.BooleanField(
                required=False, label=f"{action.title} is done"
            )
        contacts = Contact.objects.filter(pk__in=[c.pk for c in people])
        for row in range(NEW_ROWS):
            n = row + 1
            self.fields[f"new_{row}_title"] = forms.CharField(
                max_length=200, required=False, label=f"New action {n}"
            )
            self.fields[f"new_{row}_due_on"] = forms.DateField(
                widget=DATE, required=False, label=f"Due (action {n})"
            )
            self.fields[f"new_{row}_side"] = forms.ChoiceField(
                choices=ActionSide.choices, initial=ActionSide.OURS, label=f"Side (action {n})"
            )
            self.fields[f"new_{row}_owner"] = PersonChoiceField(
                queryset=owners, required=False, label=f"Our owner (action {n})"
            )
            self.fields[f"new_{row}_owner_contact"] = forms.ModelChoiceField(
                queryset=contacts, required=False, label=f"Their owner (action {n})"
            )
        self.used_rows: list[int] = []
        self.attendee_ids: list[int] = []
        self.style_fields()

    # --- rows for the template -------------------------------------------------------------------

    def people_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "contact": c,
                "stakeholder": self.mapped.get(c.pk),
                "met": self[f"met_{c.pk}"],
                "sentiment": self[f"sentiment_{c.pk}"] if c.pk in self.mapped else None,
            }
            for c in self.people
        ]

    def action_rows(self) -> list[dict[str, Any]]:
        return [{"action": a, "done": self[f"done_{a.pk}"]} for a in self.actions]

    def new_rows(self) -> list[dict[str, Any]]:
        names = ("title", "due_on", "side", "owner", "owner_contact")
        return [
            {"number": row + 1, "fields": [self[f"new_{row}_{name}"] for name in names]}
            for row in range(NEW_ROWS)
        ]

    def visit_fields(self) -> list[Any]:
        return [self[name] for name in ("visited_on", "kind", "location", "subject")]

    # --- what the service receives ---------------------------------------------------------------

    def note_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        attendees = []
        self.attendee_ids = []
        for contact in self.people:
            if data.get(f"met_{contact.pk}"):
                attendees.append(
                    Attendee(contact=contact, sentiment=data.get(f"sentiment_{contact.pk}") or "")
                )
                self.attendee_ids.append(contact.pk)
        new_actions = []
        self.used_rows = []
        for row in range(NEW_ROWS):
            if not data.get(f"new_{row}_title"):
                continue
            self.used_rows.append(row)
            side = data.get(f"new_{row}_side") or ActionSide.OURS
            new_actions.append(
                NewAction(
                    title=data[f"new_{row}_title"],
                    due_on=data.get(f"new_{row}_due_on"),
                    side=side,
                    owner=data.get(f"new_{row}_owner") if side == ActionSide.OURS else None,
                    owner_contact=(
                        data.get(f"new_{row}_owner_contact") if side == ActionSide.THEIRS else None
                    ),
                )
            )
        return {
            "visited_on": data["visited_on"],
            "kind": data["kind"],
            "face_to_face": data.get("face_to_face", False),
            "location": data.get("location"),
            "subject": data.get("subject", ""),
            "summary": data["summary"],
            "attendees": attendees,
            "new_actions": new_actions,
            "done_actions": [a for a in self.actions if data.get(f"done_{a.pk}")],
        }

    def field_for(self, field: str | None) -> str | None:
        """The form field a service error names (None: above the form)."""
        if field in self.fields:
            return field
        match = _ROW.match(field or "")
        if match is None:
            return None
        group, index, part = match.group(1), int(match.group(2)), match.group(3)
        name = None
        if group == "attendees" and index < len(self.attendee_ids):
            pk = self.attendee_ids[index]
            name = f"sentiment_{pk}" if part == "sentiment" else f"met_{pk}"
        elif group == "new_actions" and index < len(self.used_rows):
            name = f"new_{self.used_rows[index]}_{part or 'title'}"
        elif group == "done_actions":
            done = [a for a in self.actions if self.cleaned_data.get(f"done_{a.pk}")]
            name = f"done_{done[index].pk}" if index < len(done) else None
        return name if name in self.fields else None
