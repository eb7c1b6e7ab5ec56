"""API endpoints for supplier strategies, their KPIs and negotiation levers.

A strategy belongs to a vendor and follows its access: whoever may change the vendor may start
and change its strategy, KPIs and levers. A new strategy starts from the vendor's quadrant
playbook (``strategy_get_or_create``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, get_for_user, principal_for, require
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.core.api.viewsets import ErrorCodes
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.api.views import PartiesViewSet
from steward.people.selectors import internal_user_choices
from steward.suppliers import services
from steward.suppliers.api.fields import EscalationLadderField, RaciField
from steward.suppliers.api.reference import CURRENCY, CURRENCY_HELP
from steward.suppliers.api.serializers import SMALL_MAX, vendor_field
from steward.suppliers.api.views import PartialRecordViewSet
from steward.suppliers.choices import InformationSharing, KpiDirection, LeverKind
from steward.suppliers.models import NegotiationLever, StrategyKpi, SupplierStrategy

User = get_user_model()
INT_MAX = 2_147_483_647  # the largest integer every database stores in an integer column


def _people(user: Any) -> QuerySet[Any]:
    return internal_user_choices(user=user)


def _strategies(user: Any) -> QuerySet[SupplierStrategy]:
    return SupplierStrategy.objects.restrict(user, Action.VIEW).active()


# --- strategies --------------------------------------------------------------------------------


class SupplierStrategySerializer(RecordOutputSerializer):
    vendor = serializers.IntegerField(source="supplier_id")
    objectives = serializers.CharField(allow_blank=True)
    expectations = serializers.CharField(allow_blank=True)
    review_every_days = serializers.IntegerField(
        allow_null=True, help_text="Empty: the quadrant playbook's cadence applies."
    )
    information_sharing = serializers.ChoiceField(
        choices=InformationSharing.choices, allow_blank=True
    )
    escalation_ladder = EscalationLadderField(people=_people)
    raci = RaciField()
    resource_people = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=User.objects.none(),
        help_text="User ids of the people who work on the vendor.",
    )
    resource_hours_per_month = serializers.IntegerField(allow_null=True)
    resource_budget = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    resource_currency = serializers.CharField(help_text=CURRENCY_HELP)


class SupplierStrategyCreateSerializer(serializers.Serializer):
    vendor = vendor_field()


class SupplierStrategyUpdateSerializer(serializers.Serializer):
    objectives = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    expectations = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    review_every_days = serializers.IntegerField(
        min_value=1, max_value=SMALL_MAX, required=False, allow_null=True
    )
    information_sharing = serializers.ChoiceField(
        choices=InformationSharing.choices, required=False, allow_blank=True
    )
    escalation_ladder = EscalationLadderField(people=_people, required=False)
    raci = RaciField(required=False)
    resource_people = VisibleRelatedField(
        model=User,
        choices=_people,
        many=True,
        required=False,
        help_text="User ids of the people who work on the vendor.",
    )
    resource_hours_per_month = serializers.IntegerField(
        min_value=0, max_value=INT_MAX, required=False, allow_null=True
    )
    resource_budget = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    resource_currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )
    version = version_field()


class SupplierStrategyFilterSet(StewardFilterSet):
    vendor = IdFilter(field_name="supplier_id", label="Vendor id")

    class Meta:
        model = SupplierStrategy
        fields = ["vendor", "archived"]


_STRATEGY_ERRORS: dict[str, tuple[str, ...]] = {
    "escalation_ladder": ("invalid",),
    "raci": ("invalid",),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Start the vendor's strategy from its quadrant's playbook (201), or answer the "
            "strategy it has (200). Needs the right to change the vendor."
        ),
        responses={201: SupplierStrategySerializer, 200: SupplierStrategySerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Change objectives, governance (review cadence, escalation ladder, RACI) or "
            "resources. Escalation steps must not come sooner than the step before; each "
            "RACI activity has at most one accountable function."
        )
    ),
)
class SupplierStrategyViewSet(PartialRecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    omitted_actions = ("restore",)
    queryset = SupplierStrategy.objects.none()
    filterset_class = SupplierStrategyFilterSet
    output_serializer_class = SupplierStrategySerializer
    create_serializer_class = SupplierStrategyCreateSerializer
    update_serializer_class = SupplierStrategyUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "update": _STRATEGY_ERRORS,
        "partial_update": _STRATEGY_ERRORS,
    }

    def select_list(self) -> QuerySet[SupplierStrategy]:
        return (
            SupplierStrategy.objects.restrict(self.request.user, Action.VIEW)
            .prefetch_related("resource_people")
            .order_by("pk")
        )

    def select_one(self, action: Action = Action.VIEW) -> SupplierStrategy:
        strategies = SupplierStrategy.objects.prefetch_related("resource_people")
        return get_for_user(strategies, user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        supplier = self.parse()["vendor"]
        # Answering an existing strategy is still a write request: it needs the right to write.
        require(request.user, Action.CHANGE, supplier)
        existed = SupplierStrategy.objects.filter(supplier=supplier).exists()
        strategy = services.strategy_get_or_create(actor=request.user, supplier=supplier)
        return self.answer(
            strategy, code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    def perform_update_record(
        self, record: SupplierStrategy, data: dict[str, Any], version: int
    ) -> SupplierStrategy:
        return services.strategy_update(
            actor=self.request.user,
            strategy=record,
            expected_version=version,
            resource_people=data.pop("resource_people", None),
            **data,
        )


# --- KPIs and levers ---------------------------------------------------------------------------


class StrategyKpiSerializer(RecordOutputSerializer):
    strategy = serializers.IntegerField(source="strategy_id")
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=4)
    direction = serializers.ChoiceField(choices=KpiDirection.choices)


class StrategyKpiUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    unit = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="%, days, EUR, …"
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
    direction = serializers.ChoiceField(choices=KpiDirection.choices, required=False)
    version = version_field()


class StrategyKpiCreateSerializer(serializers.Serializer):
    strategy = VisibleRelatedField(
        model=SupplierStrategy, choices=_strategies, help_text="Strategy id."
    )
    name = serializers.CharField(max_length=120)
    unit = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="%, days, EUR, …"
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=4)
    direction = serializers.ChoiceField(choices=KpiDirection.choices, required=False)


class StrategyKpiFilterSet(StewardFilterSet):
    search_fields = ("name",)

    strategy = IdFilter(field_name="strategy_id", label="Strategy id")
    vendor = IdFilter(field_name="strategy__supplier_id", label="Vendor id")

    class Meta:
        model = StrategyKpi
        fields = ["q", "strategy", "vendor", "archived"]


class StrategyKpiViewSet(PartiesViewSet):
    """KPIs a strategy commits to, with targets; delete archives."""

    queryset = StrategyKpi.objects.none()
    filterset_class = StrategyKpiFilterSet
    output_serializer_class = StrategyKpiSerializer
    create_serializer_class = StrategyKpiCreateSerializer
    update_serializer_class = StrategyKpiUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"name": ("duplicate",)},
        "update": {"name": ("duplicate",)},
        "partial_update": {"name": ("duplicate",)},
    }

    def perform_create_record(self, data: dict[str, Any]) -> StrategyKpi:
        return services.kpi_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: StrategyKpi, data: dict[str, Any], version: int
    ) -> StrategyKpi:
        return services.kpi_update(
            actor=self.request.user, kpi=record, expected_version=version, **data
        )


class NegotiationLeverSerializer(RecordOutputSerializer):
    strategy = serializers.IntegerField(source="strategy_id")
    kind = serializers.ChoiceField(choices=LeverKind.choices)
    description = serializers.CharField()
    expected_saving = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    in_play = serializers.BooleanField()


class NegotiationLeverInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeverKind.choices)
    description = serializers.CharField(max_length=10_000)
    expected_saving = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    currency = serializers.RegexField(
        CURRENCY, max_length=3, required=False, help_text=CURRENCY_HELP
    )


class NegotiationLeverCreateSerializer(NegotiationLeverInputSerializer):
    strategy = VisibleRelatedField(
        model=SupplierStrategy, choices=_strategies, help_text="Strategy id."
    )


class NegotiationLeverUpdateSerializer(NegotiationLeverInputSerializer):
    kind = serializers.ChoiceField(choices=LeverKind.choices, required=False)
    description = serializers.CharField(max_length=10_000, required=False)
    in_play = serializers.BooleanField(required=False)
    version = version_field()


class NegotiationLeverFilterSet(StewardFilterSet):
    search_fields = ("description",)

    strategy = IdFilter(field_name="strategy_id", label="Strategy id")
    vendor = IdFilter(field_name="strategy__supplier_id", label="Vendor id")
    kind = django_filters.MultipleChoiceFilter(choices=LeverKind.choices)
    in_play = django_filters.BooleanFilter()

    class Meta:
        model = NegotiationLever
        fields = ["q", "strategy", "vendor", "kind", "in_play", "archived"]


class NegotiationLeverViewSet(PartiesViewSet):
    """What we offer or ask in negotiation with the vendor; delete archives."""

    queryset = NegotiationLever.objects.none()
    filterset_class = NegotiationLeverFilterSet
    output_serializer_class = NegotiationLeverSerializer
    create_serializer_class = NegotiationLeverCreateSerializer
    update_serializer_class = NegotiationLeverUpdateSerializer

    def perform_create_record(self, data: dict[str, Any]) -> NegotiationLever:
        return services.lever_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: NegotiationLever, data: dict[str, Any], version: int
    ) -> NegotiationLever:
        return services.lever_update(
            actor=self.request.user, lever=record, expected_version=version, **data
        )
