"""Forms of the approval rules pages: a rule, and the "which rules would apply" preview."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from steward.contracts.choices import ContractKind
from steward.contracts.models import ApprovalRule
from steward.contracts.selectors_rules import SIDES
from steward.core.forms import StewardForm, StewardModelForm, VersionField
from steward.parties.forms import UserChoiceField
from steward.people.selectors import internal_user_choices

THRESHOLD_HELP = "In the contract's own currency; empty: whatever the value."
FIELDS = ("name", "function", "approver", "kinds", "side", "min_annual_value", "order")


class ApprovalRuleForm(StewardModelForm):
    approver = UserChoiceField(
        queryset=None, help_text="An inside person who works in the rule's function."
    )
    kinds = forms.MultipleChoiceField(
        choices=ContractKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Contract kinds",
        help_text="None ticked: every kind.",
    )
    side = forms.ChoiceField(
        choices=[("", "Both sides"), *SIDES], required=False, help_text="Empty: both sides."
    )
    version = VersionField(required=False)

    class Meta:
        model = ApprovalRule
        fields = list(FIELDS)
        labels = {"min_annual_value": "From a yearly value of", "order": "Order in the round"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("approver", internal_user_choices(user=user))
        self.fields["min_annual_value"].help_text = THRESHOLD_HELP
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["kinds"].initial = list(self.instance.kinds or [])

    def changes(self) -> dict[str, Any]:
        """The fields as the services take them."""
        return {name: self.cleaned_data[name] for name in FIELDS}

    def style_fields(self) -> None:
        super().style_fields()
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"


class RulePreviewForm(StewardForm):
    """A contract described by what the rules look at: its kind, side and yearly value."""

    kind = forms.ChoiceField(choices=ContractKind.choices, label="Contract kind")
    side = forms.ChoiceField(choices=SIDES, label="Side")
    annual_value = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        label="Yearly value",
        help_text="Empty if not known: rules from a yearly value then do not apply.",
    )
