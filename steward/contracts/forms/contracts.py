"""The contract's own forms: its terms, workflow moves, approval decisions, negotiation log."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.contracts.choices import ContractStatus, Decision
from steward.contracts.models import Contract, NegotiationEntry
from steward.core.access import Action
from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.parties.models import Relationship
from steward.people.selectors import internal_user_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(StewardModelForm):
    owner = UserChoiceField(
        queryset=None, required=False, help_text="Defaults to the relationship's owner."
    )
    version = VersionField(required=False)

    class Meta:
        model = Contract
        fields = [
            "title",
            "kind",
            "reference",
            "parent",
            "owner",
            "description",
            "currency",
            "total_value",
            "annual_value",
            "payment_terms",
            "start_date",
            "term_months",
            "end_date",
            "evergreen",
            "auto_renews",
            "renewal_term_months",
            "notice_count",
            "notice_unit",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"parent": "Master agreement", "notice_count": "Notice period"}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))
        masters = (
            Contract.objects.restrict(user, Action.VIEW)
            .active()
            .filter(relationship__organization_id=relationship.organization_id, kind="master")
            .exclude(pk=self.instance.pk)
        )
        self.limit_choices("parent", masters)
        if self.instance.pk:
            self.fields["owner"].required = True
            self.fields["owner"].help_text = ""
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The edited fields, as the service takes them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class TransitionForm(StewardForm):
    to_status = forms.ChoiceField(choices=ContractStatus.choices, label="Move to")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalDecisionForm(StewardForm):
    decision = forms.ChoiceField(
        choices=[(Decision.APPROVED, "Approve"), (Decision.REJECTED, "Reject")]
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you reject.",
    )


class NegotiationForm(StewardModelForm):
    class Meta:
        model = NegotiationEntry
        fields = [
            "term",
            "our_position",
            "their_position",
            "conceded_by",
            "concession",
            "logged_on",
        ]
        widgets = {
            "logged_on": DATE,
            "our_position": forms.Textarea(attrs={"rows": 2}),
            "their_position": forms.Textarea(attrs={"rows": 2}),
            "concession": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"logged_on": "Defaults to today."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logged_on"].required = False
