"""API serializers for contracts, their approvals, the negotiation log and approval rules.

Output serializers render rows the viewsets fetched through the access policy; input serializers
only parse and check types (the services decide the rest). Related rows are taken by id from the
rows the requesting user may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.contracts.choices import (
    ConcededBy,
    ContractKind,
    ContractStatus,
    Decision,
    NegotiatedTerm,
    PeriodUnit,
)
from steward.contracts.models import ApprovalRule, Contract
from steward.contracts.selectors_rules import rule_in_words
from steward.contracts.services.rules import MAX_ORDER
from steward.core.access import Action
from steward.core.api.fields import (
    FlatListField,
    VisibleRelatedField,
    amount_field,
    version_field,
)
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.models import Relationship
from steward.people.choices import Function
from steward.people.selectors import internal_user_choices

User = get_user_model()
CURRENCY_HELP = "ISO 4217 code, e.g. EUR."
SIDES = [("buy", "Buy side"), ("sell", "Sell side")]


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _contracts(user: Any) -> Any:
    return Contract.objects.restrict(user, Action.VIEW)


# --- contracts ---------------------------------------------------------------------------------


class ContractSerializer(RecordOutputSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    organization_name = serializers.CharField(source="relationship.organization.display_name")
    side = serializers.ChoiceField(choices=SIDES, help_text="buy: a vendor's; sell: a customer's.")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    reference = serializers.CharField(allow_blank=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, help_text="The master agreement it falls under."
    )
    owner = serializers.IntegerField(source="owner_id")
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    description = serializers.CharField(allow_blank=True)
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    total_value = amount_field(output=True)
    annual_value = amount_field(output=True)
    payment_terms = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField(allow_null=True)
    term_months = serializers.IntegerField(allow_null=True)
    end_date = serializers.DateField(allow_null=True, help_text="End of the current term.")
    evergreen = serializers.BooleanField()
    auto_renews = serializers.BooleanField()
    renewal_term_months = serializers.IntegerField(allow_null=True)
    notice_count = serializers.IntegerField()
    notice_unit = serializers.ChoiceField(choices=PeriodUnit.choices)
    notice_deadline = serializers.DateField(
        allow_null=True, help_text="The last day to give notice (derived from the terms)."
    )


class ContractInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    parent = VisibleRelatedField(  # type: ignore[assignment]
        model=Contract,
        choices=_contracts,
        required=False,
        allow_null=True,
        help_text="The master agreement (needed by statements of work and amendments).",
    )
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to the relationship's."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", max_length=3, required=False, help_text=CURRENCY_HELP
    )
    total_value = amount_field()
    annual_value = amount_field()
    payment_terms = serializers.CharField(max_length=60, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    term_months = serializers.IntegerField(
        min_value=1, max_value=1200, required=False, allow_null=True, help_text="Sets the end."
    )
    end_date = serializers.DateField(required=False, allow_null=True)
    evergreen = serializers.BooleanField(required=False)
    auto_renews = serializers.BooleanField(required=False)
    renewal_term_months = serializers.IntegerField(
        min_value=1, max_value=1200, required=False, allow_null=True
    )
    notice_count = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    notice_unit = serializers.ChoiceField(choices=PeriodUnit.choices, required=False)


class ContractCreateSerializer(ContractInputSerializer):
    relationship = VisibleRelatedField(
        model=Relationship,
        choices=lambda user: Relationship.objects.restrict(user, Action.VIEW),
        help_text="The relationship (a vendor's id is its relationship's id).",
    )


class ContractUpdateSerializer(ContractInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=ContractKind.choices, required=False)
    version = version_field()


class ContractTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ContractStatus.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to terminate."
    )


# --- approvals ---------------------------------------------------------------------------------


class ContractApprovalSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    rule = serializers.IntegerField(source="rule_id", allow_null=True)
    function = serializers.ChoiceField(choices=Function.choices)
    approver = serializers.IntegerField(source="approver_id")
    round = serializers.IntegerField(help_text="Each submission for approval opens a round.")
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(Decision.APPROVED, "Approve"), (Decision.REJECTED, "Reject")]
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, help_text="Required to reject."
    )


# --- the negotiation log -----------------------------------------------------------------------


class NegotiationEntrySerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    term = serializers.ChoiceField(choices=NegotiatedTerm.choices)
    our_position = serializers.CharField(allow_blank=True)
    their_position = serializers.CharField(allow_blank=True)
    conceded_by = serializers.ChoiceField(choices=ConcededBy.choices, allow_blank=True)
    concession = serializers.CharField(allow_blank=True)
    logged_on = serializers.DateField()
    logged_by = serializers.IntegerField(source="logged_by_id")


class NegotiationEntryCreateSerializer(serializers.Serializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")
    term = serializers.ChoiceField(choices=NegotiatedTerm.choices)
    our_position = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    their_position = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    conceded_by = serializers.ChoiceField(
        choices=ConcededBy.choices, required=False, allow_blank=True
    )
    concession = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    logged_on = serializers.DateField(required=False, help_text="Defaults to today.")


# --- approval rules ----------------------------------------------------------------------------


class ApprovalRuleSerializer(RecordOutputSerializer):
    name = serializers.CharField()
    function = serializers.ChoiceField(choices=Function.choices)
    approver = serializers.IntegerField(source="approver_id")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ContractKind.choices),
        help_text="Contract kinds it applies to; empty means all.",
    )
    side = serializers.ChoiceField(
        choices=SIDES, allow_blank=True, help_text="Empty means both sides."
    )
    min_annual_value = amount_field(
        "Applies from this yearly value up (in the contract's currency); empty: always.",
        output=True,
    )
    order = serializers.IntegerField()
    in_words = serializers.SerializerMethodField(
        help_text='The rule as a sentence, e.g. "Legal (Ana Ruiz) approves every contract".'
    )

    @extend_schema_field(serializers.CharField())
    def get_in_words(self, rule: ApprovalRule) -> str:
        return rule_in_words(rule)


class ApprovalRuleInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    function = serializers.ChoiceField(
        choices=Function.choices, help_text="The approver must work in this function."
    )
    approver = VisibleRelatedField(
        model=User, choices=_people, help_text="An active inside person; user id."
    )
    kinds = FlatListField(
        child=serializers.ChoiceField(choices=ContractKind.choices),
        required=False,
        max_length=len(ContractKind.choices),
        help_text="Contract kinds it applies to; empty means all.",
    )
    side = serializers.ChoiceField(
        choices=SIDES, allow_blank=True, required=False, help_text="Empty means both sides."
    )
    min_annual_value = amount_field(
        "Applies from this yearly value up (in the contract's currency); empty: always."
    )
    order = serializers.IntegerField(
        min_value=0, max_value=MAX_ORDER, required=False, help_text="Lower comes first."
    )


class ApprovalRuleUpdateSerializer(ApprovalRuleInputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    function = serializers.ChoiceField(choices=Function.choices, required=False)
    approver = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="An active inside person."
    )
    version = version_field()
