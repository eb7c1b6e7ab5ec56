"""API endpoints of the contracts app's renewals area: the radar, renewal decisions and the
reminder policy.

The radar and the decisions read through the access policy (a decision follows its contract);
a decision is recorded by whoever may change the contract. The reminder policy is one record:
every internal user reads it, administrators change it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from steward.contracts import selectors_renewals as renewals
from steward.contracts import services
from steward.contracts.api.serializers import SIDES
from steward.contracts.models import Contract, RenewalDecision, RenewalReminderPolicy
from steward.contracts.models.renewals import RenewalChoice
from steward.contracts.services.renewals import MAX_OFFSET_DAYS
from steward.core.access import Action, principal_for
from steward.core.api.fields import FlatListField, VisibleRelatedField, version_field
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.api.serializers import RecordOutputSerializer
from steward.people.selectors import internal_user_choices

# --- the radar -------------------------------------------------------------------------------


class RadarQuerySerializer(serializers.Serializer):
    days = serializers.ChoiceField(
        choices=[(d, f"{d} days") for d in renewals.RADAR_WINDOWS],
        required=False,
        default=renewals.RADAR_WINDOWS[0],
        help_text="How far ahead to look, the last day included.",
    )
    scope = serializers.ChoiceField(
        choices=renewals.RADAR_SCOPES,
        required=False,
        default=renewals.SCOPE_MINE,
        help_text="mine: contracts you own; team: yours and your reports'; all: all you may see.",
    )
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Keep one owner's contracts (user id; with scope team or all).",
    )
    side = serializers.ChoiceField(choices=SIDES, required=False, help_text="buy or sell.")


class RadarEntrySerializer(serializers.Serializer):
    contract = serializers.IntegerField(source="contract.pk")
    title = serializers.CharField(source="contract.title")
    organization_name = serializers.CharField(
        source="contract.relationship.organization.display_name"
    )
    side = serializers.ChoiceField(choices=SIDES, source="contract.side")
    status = serializers.CharField(source="contract.status")
    owner = serializers.IntegerField(source="contract.owner_id")
    notice_deadline = serializers.DateField(source="contract.notice_deadline", allow_null=True)
    end_date = serializers.DateField(source="contract.end_date", allow_null=True)
    trigger = serializers.ChoiceField(
        choices=list(renewals.TRIGGER_LABELS.items()),
        help_text="Which date put the contract on the radar: the earliest inside the window.",
    )
    date = serializers.DateField()
    days_left = serializers.IntegerField()
    decision = serializers.ChoiceField(
        choices=RenewalChoice.choices,
        allow_blank=True,
        help_text="The decision standing for the current term; empty when none is recorded.",
    )


class RenewalRadarViewSet(StewardViewSet):
    """Contracts in force whose notice deadline or end of term falls in the next 30, 60 or 90
    days, soonest first."""

    http_method_names = ["get", "head", "options"]
    queryset = Contract.objects.none()
    filter_backends = ()
    output_serializer_class = RadarEntrySerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        action: {
            "days": ("invalid_choice",),
            "scope": ("invalid_choice",),
            "side": ("invalid_choice",),
            "owner": ("invalid", "min_value", "max_string_length", "does_not_exist"),
        }
        for action in ("list", "retrieve")
    }

    @extend_schema(parameters=[RadarQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        options = self._options()
        today = timezone.localdate()
        until = today + dt.timedelta(days=options["days"])
        contracts = renewals.radar_contracts(user=request.user, on=today, **options)
        page = self.paginate_queryset(contracts) or []
        entries = renewals.radar_entries(page, today=today, until=until)
        return self.get_paginated_response(RadarEntrySerializer(entries, many=True).data)

    @extend_schema(
        parameters=[RadarQuerySerializer],
        description="One contract's entry (by contract id); 404 when it is not on that radar.",
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        options = self._options()
        today = timezone.localdate()
        contract = (
            renewals.radar_contracts(user=request.user, on=today, **options)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if contract is None:
            raise exceptions.NotFound()
        until = today + dt.timedelta(days=options["days"])
        return Response(RadarEntrySerializer(renewals.radar_entry(contract, today, until)).data)

    def _options(self) -> dict[str, Any]:
        """The radar's arguments from the query string (400 on a bad one)."""
        query = RadarQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        scope = params["scope"]
        return {
            "days": int(params["days"]),
            "owner": self.request.user if scope == renewals.SCOPE_MINE else self._owner(params),
            "team": scope == renewals.SCOPE_TEAM,
            "side": params.get("side", ""),
        }

    def _owner(self, params: dict[str, Any]) -> Any:
        if "owner" not in params:
            return None
        owner = internal_user_choices(user=self.request.user).filter(pk=params["owner"]).first()
        if owner is None:
            raise serializers.ValidationError(
                {"owner": [exceptions.ErrorDetail("There is no such person.", "does_not_exist")]}
            )
        return owner


# --- decisions -------------------------------------------------------------------------------


def _contracts(user: Any) -> QuerySet[Contract]:
    return Contract.objects.restrict(user, Action.VIEW)


class RenewalDecisionSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    decision = serializers.ChoiceField(choices=RenewalChoice.choices)
    rationale = serializers.CharField()
    decided_by = serializers.IntegerField(source="decided_by_id")
    decided_on = serializers.DateField()
    for_term_ending = serializers.DateField(help_text="The end of the term the decision is about.")
    supersedes = serializers.IntegerField(
        source="supersedes_id",
        allow_null=True,
        help_text="The earlier decision for the same term this one replaced.",
    )
    superseded_at = serializers.DateTimeField(
        allow_null=True, help_text="Set once a later decision for the same term replaced it."
    )
    is_current = serializers.BooleanField()


class RenewalDecisionCreateSerializer(serializers.Serializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")
    decision = serializers.ChoiceField(choices=RenewalChoice.choices)
    rationale = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, help_text="Required: why."
    )
    for_term_ending = serializers.DateField(
        required=False, help_text="Defaults to the end of the current term."
    )


class RenewalDecisionFilterSet(StewardFilterSet):
    contract = IdFilter(field_name="contract_id", label="Contract id")
    decision = django_filters.MultipleChoiceFilter(choices=RenewalChoice.choices)
    current = django_filters.BooleanFilter(
        field_name="superseded_at", lookup_expr="isnull", label="Only decisions still standing"
    )

    class Meta:
        model = RenewalDecision
        fields = ["contract", "decision", "current", "archived"]


@extend_schema_view(
    list=extend_schema(description="Renewal decisions, superseded ones included, newest first."),
    create=extend_schema(
        description=(
            "Record renew, renegotiate or terminate for a term of a contract, with the reasons "
            "(400 on `rationale` with code `required` without them). A later decision for the "
            "same term supersedes the earlier one, which is kept. Only those who may change "
            "the contract decide."
        )
    ),
)
class RenewalDecisionViewSet(StewardViewSet):
    http_method_names = ["get", "post", "head", "options"]
    queryset = RenewalDecision.objects.none()
    filterset_class = RenewalDecisionFilterSet
    output_serializer_class = RenewalDecisionSerializer
    create_serializer_class = RenewalDecisionCreateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "decision": ("invalid",),
            "rationale": ("required",),
            "for_term_ending": ("invalid",),
        }
    }

    def select_list(self) -> QuerySet[RenewalDecision]:
        return (
            RenewalDecision.objects.restrict(self.request.user, Action.VIEW)
            .active()
            .order_by("-for_term_ending", "-created_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not record decisions.")
        data = self.parse()
        decision = services.renewal_decide(
            actor=request.user,
            contract=data["contract"],
            decision=data["decision"],
            rationale=data.get("rationale", ""),
            for_term_ending=data.get("for_term_ending"),
        )
        return self.answer(decision, code=status.HTTP_201_CREATED)


# --- the reminder policy ---------------------------------------------------------------------


class ReminderPolicySerializer(RecordOutputSerializer):
    offsets = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Days before each notice deadline that owners are reminded, largest first.",
    )


class ReminderPolicyUpdateSerializer(serializers.Serializer):
    offsets = FlatListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_OFFSET_DAYS),
        max_length=20,
        help_text="Days before the notice deadline, e.g. [90, 60, 30, 7].",
    )
    version = version_field()


@extend_schema_view(
    retrieve=extend_schema(description="The renewal reminder policy (there is exactly one)."),
    partial_update=extend_schema(
        description=(
            "Change the days before a notice deadline at which owners are reminded "
            "(administrators only). Duplicates are dropped; at least one is needed."
        )
    ),
)
class ReminderPolicyViewSet(RecordViewSet):
    """One record at ``renewal-reminder-policy/``: read it, patch it, read its history."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = RenewalReminderPolicy.objects.none()
    output_serializer_class = ReminderPolicySerializer
    update_serializer_class = ReminderPolicyUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {"partial_update": {"offsets": ("invalid",)}}

    def select_one(self, action: Action = Action.VIEW) -> RenewalReminderPolicy:
        return renewals.reminder_policy_get(user=self.request.user, action=action)

    def perform_update_record(
        self, record: RenewalReminderPolicy, data: dict[str, Any], version: int
    ) -> RenewalReminderPolicy:
        return services.reminder_policy_update(
            actor=self.request.user,
            expected_version=version,
            offsets=data.get("offsets", record.offsets),
        )


# (prefix, viewset, basename) for the /api/v1/ router.
ROUTES: list[tuple[str, Any, str]] = [
    ("renewal-radar", RenewalRadarViewSet, "renewal-radar"),
    ("renewal-decisions", RenewalDecisionViewSet, "renewal-decision"),
]

# The reminder policy is one record: no collection, no id in the path, so it sits beside the
# router (as the segmentation policy does); the API's urlpatterns include these.
PATHS = [
    path(
        "renewal-reminder-policy/",
        ReminderPolicyViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="renewal-reminder-policy",
    ),
    path(
        "renewal-reminder-policy/history/",
        ReminderPolicyViewSet.as_view({"get": "history"}),
        name="renewal-reminder-policy-history",
    ),
]
