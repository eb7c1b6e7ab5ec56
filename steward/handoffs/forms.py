"""Forms of the handoff pages: they parse what people typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.handoffs import selectors
from steward.handoffs.choices import ItemKind
from steward.handoffs.models import Handoff, HandoffItem
from steward.parties.models import Contact, Relationship
from steward.pipeline.models import Opportunity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
SEVERITIES = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class HandoffForm(StewardForm):
    """A new handoff (its account chosen once) or the changes to a draft."""

    relationship = forms.ModelChoiceField(queryset=Relationship.objects.none(), label="Account")
    receiver = PersonChoiceField(
        queryset=selectors.User.objects.none(),
        required=False,
        help_text="The account manager who receives the account; empty: the account's owner.",
    )
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(), required=False, label="Won opportunity"
    )
    implementation_start = forms.DateField(widget=DATE, required=False)
    go_live = forms.DateField(widget=DATE, required=False, label="Go-live")
    first_review_on = forms.DateField(
        widget=DATE, required=False, label="First review", help_text="Needed to hand over."
    )
    summary = forms.CharField(widget=TEXT, required=False, max_length=10_000)
    version = VersionField(required=False)

    FIELDS = (
        "receiver",
        "opportunity",
        "implementation_start",
        "go_live",
        "first_review_on",
        "summary",
    )

    def __init__(self, *args: Any, user: Any, handoff: Handoff | None = None, **kwargs: Any):
        if handoff is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(handoff, name) for name in self.FIELDS},
                "version": handoff.version,
            }
        super().__init__(*args, **kwargs)
        self.handoff = handoff
        self.limit_choices("receiver", selectors.people_choices(user=user))
        if handoff is None:
            self.limit_choices("relationship", selectors.account_choices(user=user))
            self.fields["relationship"].label_from_instance = lambda r: str(r.organization)  # type: ignore[attr-defined]
            self.limit_choices("opportunity", selectors.won_opportunities())
        else:
            del self.fields["relationship"]
            self.limit_choices("opportunity", selectors.won_opportunities(handoff.relationship))

    def changes(self, handoff: Handoff) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data.get(name) for name in self.FIELDS}
        changes["summary"] = changes["summary"] or ""
        if changes["receiver"] is None:
            changes["receiver"] = handoff.relationship.owner
        return changes


class ItemForm(StewardForm):
    kind = forms.ChoiceField(choices=ItemKind.choices)
    title = forms.CharField(
        max_length=200,
        help_text="The step, the milestone, what was promised, the risk, or the contact's part.",
    )
    owner = PersonChoiceField(
        queryset=selectors.User.objects.none(), help_text="Who sees it through."
    )
    due_on = forms.DateField(widget=DATE, required=False, label="Due")
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        help_text="Of a commitment: to whom it was promised; of a named contact: who.",
    )
    contact_role = forms.CharField(
        max_length=120, required=False, label="Role in the implementation"
    )
    severity = forms.TypedChoiceField(
        choices=SEVERITIES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Of a risk: 1 (minor) to 5 (severe).",
    )
    mitigation = forms.CharField(widget=TEXT, required=False, max_length=10_000)
    details = forms.CharField(widget=TEXT, required=False, max_length=10_000)
    version = VersionField(required=False)

    FIELDS = (
        "kind",
        "title",
        "owner",
        "due_on",
        "contact",
        "contact_role",
        "severity",
        "mitigation",
        "details",
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        handoff: Handoff,
        item: HandoffItem | None = None,
        **kwargs: Any,
    ):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(item, name) for name in self.FIELDS},
                "version": item.version,
            }
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", selectors.people_choices(user=user))
        self.limit_choices(
            "contact", selectors.contact_choices(user=user, relationship=handoff.relationship)
        )
        if item is None:
            self.fields["owner"].initial = getattr(user, "pk", None)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.FIELDS}
        for name in ("contact_role", "mitigation", "details"):
            values[name] = values[name] or ""
        return values


class NoteForm(StewardForm):
    note = forms.CharField(widget=TEXT, required=False, max_length=10_000)
    version = VersionField(required=False)


class ReasonForm(StewardForm):
    reason = forms.CharField(widget=TEXT, max_length=10_000)
