"""API endpoints of the contracts app's service-level area.

Service levels, their measurements, judged periods, credits and breaches follow their contract's
access (whoever sees the contract sees them; whoever may change it may write them). Writes go
through the SLA services; period results and breaches are read-only (the evaluation writes them).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.contracts import selectors_sla, services
from steward.contracts.api.sla_serializers import (
    CreditMarkSerializer,
    MeasurementImportResultSerializer,
    MeasurementImportSerializer,
    ServiceCreditSerializer,
    ServiceLevelCreateSerializer,
    ServiceLevelSerializer,
    ServiceLevelUpdateSerializer,
    SlaBreachSerializer,
    SlaMeasurementCreateSerializer,
    SlaMeasurementSerializer,
    SlaPeriodResultSerializer,
)
from steward.contracts.models.sla import (
    CreditStatus,
    MeasurementSource,
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.sla_import import measurements_import
from steward.core.access import Action, get_for_user, principal_for
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.core.uploads import ALLOWED_TYPES, check_upload
from steward.parties.api.views import PartiesViewSet

_LEVEL_RULES: dict[str, tuple[str, ...]] = {
    "name": ("invalid",),
    "metric": ("invalid", "duplicate"),
    "unit": ("invalid",),
    "target": ("invalid",),
    "direction": ("invalid",),
    "window": ("invalid",),
    "aggregation": ("invalid",),
    "credit_tiers": ("invalid",),
    "cap_percent": ("invalid",),
    "period_fee": ("invalid",),
    "currency": ("invalid",),
}
_IMPORT_TYPES = {ext: ALLOWED_TYPES[ext] for ext in (".csv", ".xlsx")}


# --- service levels --------------------------------------------------------------------------


class ServiceLevelFilterSet(StewardFilterSet):
    search_fields = ("name", "metric")

    contract = IdFilter(field_name="contract_id", label="Contract id")
    metric = django_filters.CharFilter()
    active = django_filters.BooleanFilter()

    class Meta:
        model = ServiceLevel
        fields = ["q", "contract", "metric", "active", "archived"]


@extend_schema_view(
    create=extend_schema(
        description=(
            "Define a service level on a contract: metric, target and direction, the window and "
            "how its measurements combine, and the credit rule (rising tiers, optional cap). "
            "A metric is used once per contract (code `duplicate`)."
        )
    ),
    partial_update=extend_schema(
        description=(
            "Edit the definition. Judged periods keep their results until judged again; the "
            "window cannot change once periods were judged by it."
        )
    ),
    destroy=extend_schema(description="Archive the service level (it can be restored)."),
)
class ServiceLevelViewSet(PartiesViewSet):
    queryset = ServiceLevel.objects.none()
    filterset_class = ServiceLevelFilterSet
    output_serializer_class = ServiceLevelSerializer
    create_serializer_class = ServiceLevelCreateSerializer
    update_serializer_class = ServiceLevelUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _LEVEL_RULES,
        "update": _LEVEL_RULES,
        "partial_update": _LEVEL_RULES,
        "restore": {"metric": ("duplicate",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> ServiceLevel:
        return selectors_sla.service_level_get(self.request.user, self.kwargs["pk"], action)

    def perform_create_record(self, data: dict[str, Any]) -> ServiceLevel:
        return services.service_level_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ServiceLevel, data: dict[str, Any], version: int
    ) -> ServiceLevel:
        return services.service_level_update(
            actor=self.request.user, service_level=record, expected_version=version, **data
        )


# --- measurements ----------------------------------------------------------------------------


class SlaMeasurementFilterSet(StewardFilterSet):
    service_level = IdFilter(field_name="service_level_id", label="Service level id")
    contract = IdFilter(field_name="service_level__contract_id", label="Contract id")
    source = django_filters.MultipleChoiceFilter(choices=MeasurementSource.choices)
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte")
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte")

    class Meta:
        model = SlaMeasurement
        fields = [
            "service_level",
            "contract",
            "source",
            "measured_after",
            "measured_before",
            "archived",
        ]


@extend_schema_view(
    create=extend_schema(
        description=(
            "Post one day's value of a service level (source `api`); its period is judged "
            "again at once. One value per service level and day (code `duplicate`)."
        )
    )
)
class SlaMeasurementViewSet(StewardViewSet):
    queryset = SlaMeasurement.objects.none()
    filterset_class = SlaMeasurementFilterSet
    output_serializer_class = SlaMeasurementSerializer
    create_serializer_class = SlaMeasurementCreateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        "import_file": MeasurementImportSerializer
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "import_file")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "measured_on": ("invalid", "duplicate"),
            "value": ("invalid",),
            "metric": ("invalid",),
        },
        "import_file": {
            "file": (
                "import_refused",
                "file_type",
                "file_empty",
                "file_too_large",
                "file_content",
            ),
        },
    }

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return MeasurementImportResultSerializer
        return super().get_output_serializer_class()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        measurement = services.measurement_record(
            actor=request.user, source=MeasurementSource.API, **self.parse()
        )
        return self.answer(measurement, code=status.HTTP_201_CREATED)

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Import a CSV or XLSX file of measurements into a contract: all rows or none.

        A refused file writes nothing and is answered 400 with one error on `file` (code
        `import_refused`) per problem, each naming its row and column, e.g.
        "row 3, metric: “uptime” is not a service level of this contract".
        """
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not import measurements.")
        data = self.parse()
        upload = data["file"]
        check_upload(upload, allowed=_IMPORT_TYPES)
        # A refused file is answered by the API's error handler, row by row.
        result = measurements_import(
            actor=request.user,
            contract=data["contract"],
            file=upload,
            filename=upload.name or "",
        )
        body = {
            "created": result.created,
            "periods": [
                {"service_level": level.pk, "period_start": start}
                for level, start in result.periods
            ],
        }
        return Response(
            MeasurementImportResultSerializer(body).data, status=status.HTTP_201_CREATED
        )


# --- judged periods --------------------------------------------------------------------------


class SlaPeriodResultFilterSet(django_filters.FilterSet):
    service_level = IdFilter(field_name="service_level_id", label="Service level id")
    contract = IdFilter(field_name="service_level__contract_id", label="Contract id")
    breached = django_filters.BooleanFilter()
    closed = django_filters.BooleanFilter()
    starts_after = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = SlaPeriodResult
        fields = [
            "service_level",
            "contract",
            "breached",
            "closed",
            "starts_after",
            "starts_before",
        ]


class SlaPeriodResultViewSet(StewardViewSet):
    """Judged periods: the value, attainment, verdict and credit of each. Read-only: every
    change of a period's measurements judges it again."""

    queryset = SlaPeriodResult.objects.none()
    filterset_class = SlaPeriodResultFilterSet
    output_serializer_class = SlaPeriodResultSerializer

    def select_list(self) -> QuerySet[SlaPeriodResult]:
        return selectors_sla.period_results(self.request.user).order_by(
            "service_level_id", "period_start"
        )

    def select_one(self, action: Action = Action.VIEW) -> SlaPeriodResult:
        return get_for_user(
            SlaPeriodResult.objects.select_related("service_level"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )


# --- credits ---------------------------------------------------------------------------------


class ServiceCreditFilterSet(StewardFilterSet):
    contract = IdFilter(field_name="period_result__service_level__contract_id", label="Contract id")
    service_level = IdFilter(field_name="period_result__service_level_id", label="Service level id")
    status = django_filters.MultipleChoiceFilter(choices=CreditStatus.choices)

    class Meta:
        model = ServiceCredit
        fields = ["contract", "service_level", "status", "archived"]


class ServiceCreditViewSet(StewardViewSet):
    """The credits ledger: what breached periods earned, from owed to claimed to received."""

    queryset = ServiceCredit.objects.none()
    filterset_class = ServiceCreditFilterSet
    output_serializer_class = ServiceCreditSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"mark": CreditMarkSerializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = ("mark",)
    versioned_actions: ClassVar[tuple[str, ...]] = ("mark",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "mark": {
            "status": ("invalid_transition",),
            "on": ("invalid",),
            "note": ("required",),
            "non_field_errors": ("archived",),
        }
    }

    def select_list(self) -> QuerySet[ServiceCredit]:
        return selectors_sla.all_credits(self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> ServiceCredit:
        return selectors_sla.credit_get(self.request.user, self.kwargs["pk"], action)

    @action(detail=True, methods=["post"])
    def mark(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the credit claimed, received or waived (a waiver needs a note). Moves go
        owed → claimed → received; a move the ledger does not allow is answered 400 on
        `status` with code `invalid_transition`."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        marked = services.credit_mark(
            actor=request.user,
            credit=record,
            status=data["status"],
            on=data.get("on"),
            note=data.get("note", ""),
            expected_version=data.get("version"),
        )
        return self.answer(marked)


# --- breaches --------------------------------------------------------------------------------


class SlaBreachFilterSet(StewardFilterSet):
    contract = IdFilter(field_name="period_result__service_level__contract_id", label="Contract id")
    service_level = IdFilter(field_name="period_result__service_level_id", label="Service level id")
    open = django_filters.BooleanFilter(
        field_name="cleared_at", lookup_expr="isnull", label="Not cleared"
    )

    class Meta:
        model = SlaBreach
        fields = ["contract", "service_level", "open", "archived"]


class SlaBreachViewSet(StewardViewSet):
    """Breached periods, kept so that an issue can be opened and linked for each. Read-only."""

    queryset = SlaBreach.objects.none()
    filterset_class = SlaBreachFilterSet
    output_serializer_class = SlaBreachSerializer

    def select_list(self) -> QuerySet[SlaBreach]:
        return selectors_sla.all_breaches(self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SlaBreach:
        return get_for_user(
            SlaBreach.objects.select_related("period_result__service_level"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )


# (prefix, viewset, basename) for the /api/v1/ router.
ROUTES: list[tuple[str, Any, str]] = [
    ("service-levels", ServiceLevelViewSet, "service-level"),
    ("sla-measurements", SlaMeasurementViewSet, "sla-measurement"),
    ("sla-period-results", SlaPeriodResultViewSet, "sla-period-result"),
    ("service-credits", ServiceCreditViewSet, "service-credit"),
    ("sla-breaches", SlaBreachViewSet, "sla-breach"),
]
