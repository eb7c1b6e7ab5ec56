"""Forms parse and check input types; the issue services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.contracts.models import Contract, ServiceLevel
from steward.core.access import Action
from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.issues.choices import IssueStatus
from steward.issues.models import EscalationLevel, Issue, SeverityTarget
from steward.parties.forms import UserChoiceField
from steward.parties.models import Contact, Relationship
from steward.people.selectors import internal_user_choices
from steward.plans.models import Initiative

TEXT = forms.Textarea(attrs={"rows": 3})


class IssueForm(StewardModelForm):
    """A new issue on a relationship; links are offered from that relationship only."""

    owner = UserChoiceField(
        queryset=None, required=False, help_text="Defaults to the relationship's owner."
    )
    contract = forms.ModelChoiceField(queryset=Contract.objects.none(), required=False)
    service_level = forms.ModelChoiceField(
        queryset=ServiceLevel.objects.none(), required=False, label="SLA"
    )
    initiative = forms.ModelChoiceField(queryset=Initiative.objects.none(), required=False)

    class Meta:
        model = Issue
        fields = [
            "title",
            "category",
            "severity",
            "owner",
            "contract",
            "service_level",
            "initiative",
            "description",
            "shared_with_portal",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.limit_choices(
            "contract",
            Contract.objects.restrict(user, Action.VIEW).active().filter(relationship=relationship),
        )
        self.limit_choices(
            "service_level",
            ServiceLevel.objects.restrict(user, Action.VIEW)
            .active()
            .filter(contract__relationship=relationship)
            .select_related("contract"),
        )
        self.limit_choices(
            "initiative",
            Initiative.objects.restrict(user, Action.VIEW)
            .active()
            .filter(relationship=relationship),
        )

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


class IssueEditForm(StewardModelForm):
    owner = UserChoiceField(queryset=None)
    version = VersionField(required=False)

    class Meta:
        model = Issue
        fields = ["title", "category", "severity", "owner", "description", "shared_with_portal"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"severity": "A new severity sets the due dates again from the opening."}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TransitionForm(StewardForm):
    to = forms.ChoiceField(choices=IssueStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=TEXT, max_length=5000)
    root_cause = forms.CharField(required=False, widget=TEXT, max_length=5000)
    corrective_action = forms.CharField(required=False, widget=TEXT, max_length=5000)


class EscalateForm(StewardForm):
    note = forms.CharField(widget=TEXT, max_length=5000, label="Why escalate now")


class EscalationLevelForm(StewardModelForm):
    internal_contact = UserChoiceField(queryset=None, help_text="One of our people.")
    counterparty_contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, help_text="Someone at the counterparty."
    )
    version = VersionField(required=False)

    class Meta:
        model = EscalationLevel
        fields = ["level", "name", "internal_contact", "counterparty_contact", "after_hours"]

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("internal_contact", internal_user_choices(user=user))
        self.limit_choices(
            "counterparty_contact",
            Contact.objects.restrict(user, Action.VIEW)
            .active()
            .filter(organization_id=relationship.organization_id),
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class SeverityTargetForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = SeverityTarget
        fields = ["response_hours", "resolution_hours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
