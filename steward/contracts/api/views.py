"""API endpoints for contracts, their approvals, the negotiation log and approval rules.

Reads start from the access policy (a contract reaches its owner, its stakeholders and the
relationship's team; approvals and negotiation entries follow their contract; approval rules
are reference data, written by administrators). Writes go through
``steward.contracts.services``; delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.contracts import services
from steward.contracts.api.serializers import (
    ApprovalRuleInputSerializer,
    ApprovalRuleSerializer,
    ApprovalRuleUpdateSerializer,
    ContractApprovalSerializer,
    ContractCreateSerializer,
    ContractSerializer,
    ContractTransitionSerializer,
    ContractUpdateSerializer,
    DecideSerializer,
    NegotiationEntryCreateSerializer,
    NegotiationEntrySerializer,
)
from steward.contracts.choices import Decision, NegotiatedTerm
from steward.contracts.filtersets import ContractFilterSet
from steward.contracts.models import ApprovalRule, Contract, ContractApproval, NegotiationEntry
from steward.contracts.selectors_rules import (
    ApprovalRuleFilterSet,
    approval_rule_get,
    approval_rules_visible,
)
from steward.contracts.services.contracts import TERM_FIELDS
from steward.core.access import Action, get_for_user, principal_for, require_create
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.api.views import PartiesViewSet

_TERMS: dict[str, tuple[str, ...]] = {
    "evergreen": ("invalid",),
    "start_date": ("invalid",),
    "end_date": ("invalid",),
    "auto_renews": ("invalid",),
    "parent": ("invalid",),
}
_TERMS_FIXED = dict.fromkeys(sorted(TERM_FIELDS), ("invalid", "terms_fixed"))


class ContractApiFilterSet(ContractFilterSet):
    """The contract list's filters (the page's), plus windows on the notice deadline and the end.

    "Pending my approval" is the requesting user's, as on the page.
    """

    notice_after = django_filters.DateFilter(field_name="notice_deadline", lookup_expr="gte")
    notice_before = django_filters.DateFilter(field_name="notice_deadline", lookup_expr="lte")
    ends_after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta(ContractFilterSet.Meta):
        fields = [
            *ContractFilterSet.Meta.fields,
            "notice_after",
            "notice_before",
            "ends_after",
            "ends_before",
        ]

    def __init__(self, data: Any = None, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        self.user = getattr(self.request, "user", None)


@extend_schema_view(
    create=extend_schema(
        description=(
            "Draft a contract on a relationship (buy side for a vendor's, sell side for a "
            "customer's). The end date and the notice deadline follow from the terms."
        )
    ),
    partial_update=extend_schema(
        description=(
            "Edit the contract. Its commercial terms change only in draft or negotiation; "
            "later they are fixed (code `terms_fixed`) and a change is an amendment."
        )
    ),
    destroy=extend_schema(description="Archive the contract (it can be restored)."),
)
class ContractViewSet(PartiesViewSet):
    queryset = Contract.objects.none()
    filterset_class = ContractApiFilterSet
    output_serializer_class = ContractSerializer
    create_serializer_class = ContractCreateSerializer
    update_serializer_class = ContractUpdateSerializer
    action_input_serializers = {
        **PartiesViewSet.action_input_serializers,
        "transition": ContractTransitionSerializer,
    }
    paginated_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.paginated_actions,
        "approvals",
    )
    forbidden_actions: ClassVar[tuple[str, ...]] = (*PartiesViewSet.forbidden_actions, "transition")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_TERMS, "relationship": ("archived",)},
        "update": {**_TERMS, **_TERMS_FIXED},
        "partial_update": {**_TERMS, **_TERMS_FIXED},
        "transition": {
            "to_status": ("invalid_transition", "approvals_missing"),
            "start_date": ("invalid_transition",),
            "reason": ("required",),
        },
        "approvals": {"page_size": ("invalid",)},
    }

    def select_list(self) -> QuerySet[Contract]:
        return Contract.objects.restrict(self.request.user, Action.VIEW).select_related(
            "relationship__organization"
        )

    def select_one(self, action: Action = Action.VIEW) -> Contract:
        return get_for_user(
            Contract.objects.select_related("relationship__organization"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    def get_output_serializer_class(self) -> Any:
        if self.action == "transition":
            return ContractSerializer
        if self.action == "approvals":
            return ContractApprovalSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Contract:
        return services.contract_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Contract, data: dict[str, Any], version: int) -> Any:
        return services.contract_update(
            actor=self.request.user, contract=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the contract along its workflow.

        Only the moves of the workflow table are allowed; submitting for approval opens a round
        of approvals and becoming active needs all of them. A refused move answers 400 on
        `to_status` saying where the contract may go.
        """
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        moved = services.contract_transition(
            actor=request.user,
            contract=record,
            to_status=data["to_status"],
            reason=data.get("reason", ""),
        )
        return self.answer(moved)

    @action(detail=True, methods=["get"], filter_backends=[])
    def approvals(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The contract's approvals, the latest round first."""
        record = self.select_one(Action.VIEW)
        rows = ContractApproval.objects.restrict(request.user, Action.VIEW).filter(contract=record)
        page = self.paginate_queryset(rows.order_by("-round", "pk"))
        return self.get_paginated_response(ContractApprovalSerializer(page, many=True).data)


# --- approvals ---------------------------------------------------------------------------------


class ContractApprovalFilterSet(StewardFilterSet):
    contract = IdFilter(field_name="contract_id", label="Contract id")
    approver = IdFilter(field_name="approver_id", label="Approver id")
    decision = django_filters.MultipleChoiceFilter(choices=Decision.choices)

    class Meta:
        model = ContractApproval
        fields = ["contract", "approver", "decision", "archived"]


class ContractApprovalViewSet(StewardViewSet):
    """The approvals contracts need: read them, and decide the ones that are yours."""

    queryset = ContractApproval.objects.none()
    filterset_class = ContractApprovalFilterSet
    output_serializer_class = ContractApprovalSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"decide": DecideSerializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = ("decide",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "decide": {
            "decision": ("not_the_approver", "closed", "decided"),
            "comment": ("required",),
        }
    }

    def select_one(self, action: Action = Action.VIEW) -> ContractApproval:
        return get_for_user(
            ContractApproval.objects.select_related("contract"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    @action(detail=True, methods=["post"])
    def decide(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Approve or reject (a rejection needs a comment and sends the contract back to
        negotiation). Only the named approver decides; anyone else is answered 400 on
        `decision` with code `not_the_approver`."""
        record = self.select_one(Action.VIEW)
        data = self.parse()
        decided = services.approval_decide(
            actor=request.user,
            approval=record,
            decision=data["decision"],
            comment=data.get("comment", ""),
        )
        return self.answer(decided)


# --- the negotiation log -----------------------------------------------------------------------


class NegotiationEntryFilterSet(StewardFilterSet):
    search_fields = ("our_position", "their_position", "concession")

    contract = IdFilter(field_name="contract_id", label="Contract id")
    term = django_filters.MultipleChoiceFilter(choices=NegotiatedTerm.choices)

    class Meta:
        model = NegotiationEntry
        fields = ["q", "contract", "term", "archived"]


@extend_schema_view(
    create=extend_schema(
        description="Log where each side stands on a term of a contract that has not ended."
    )
)
class NegotiationEntryViewSet(StewardViewSet):
    queryset = NegotiationEntry.objects.none()
    filterset_class = NegotiationEntryFilterSet
    output_serializer_class = NegotiationEntrySerializer
    create_serializer_class = NegotiationEntryCreateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"term": ("invalid",), "our_position": ("invalid",)}
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        entry = services.negotiation_log(actor=request.user, **self.parse())
        return self.answer(entry, code=status.HTTP_201_CREATED)


# --- approval rules (reference data) -----------------------------------------------------------

_APPROVER = ("inactive", "not_internal", "wrong_function", "duplicate")
_RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("required",),
    "approver": _APPROVER,
    "kinds": ("invalid", "invalid_choice"),
    "side": ("invalid_choice",),
    "min_annual_value": ("invalid", "min_value", "max_value"),
    "order": ("invalid",),
}


@extend_schema_view(
    list=extend_schema(description="Who must approve which contracts; every inside user reads."),
    create=extend_schema(
        description=(
            "Add a rule (administrators only; anyone else is answered 403). The approver must "
            "be an active inside person who works in the rule's function (`wrong_function` "
            "otherwise); a rule identical to a current one is refused with `duplicate`."
        )
    ),
    partial_update=extend_schema(
        description=(
            "Change a rule (administrators only). The approver is checked again when the "
            "approver or the function change."
        )
    ),
    destroy=extend_schema(
        description=(
            "Archive the rule (administrators only): rounds of approval opened from now on no "
            "longer ask for it; it can be restored."
        )
    ),
    restore=extend_schema(
        description=(
            "Bring an archived rule back, unless its approver no longer has access or an "
            "identical rule was made meanwhile."
        )
    ),
)
class ApprovalRuleViewSet(RecordViewSet):
    """Who must approve which contracts: read by inside users, written by administrators."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = ApprovalRule.objects.none()
    filterset_class = ApprovalRuleFilterSet
    output_serializer_class = ApprovalRuleSerializer
    create_serializer_class = ApprovalRuleInputSerializer
    update_serializer_class = ApprovalRuleUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _RULE_FIELDS,
        "partial_update": _RULE_FIELDS,
        "restore": {"approver": ("inactive", "not_internal", "duplicate")},
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Only administrators add rules: refuse others before reading the body.
        require_create(request.user, ApprovalRule)
        return super().create(request, *args, **kwargs)

    def select_list(self) -> QuerySet[ApprovalRule]:
        return approval_rules_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> ApprovalRule:
        return approval_rule_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> ApprovalRule:
        return services.approval_rule_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ApprovalRule, data: dict[str, Any], version: int
    ) -> ApprovalRule:
        return services.approval_rule_update(
            actor=self.request.user, rule=record, expected_version=version, **data
        )

    def perform_archive(self, record: ApprovalRule, version: int | None) -> ApprovalRule:
        return services.approval_rule_archive(
            actor=self.request.user, rule=record, expected_version=version
        )

    def perform_restore(self, record: ApprovalRule, version: int | None) -> ApprovalRule:
        return services.approval_rule_restore(
            actor=self.request.user, rule=record, expected_version=version
        )
