"""The quotas API: quotas, account revenue, costs to serve, training objectives, and the figures
(attainment, an account's profitability, retention, the accountability dashboard).

Each handler parses, calls one selector or service, and renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.parties.models import Relationship
from steward.quotas import figures, selectors, services
from steward.quotas.accountability import accountability
from steward.quotas.api import serializers as s
from steward.quotas.attainment import Attainment
from steward.quotas.filtersets import (
    AccountRevenueFilterSet,
    QuotaFilterSet,
    ServiceCostFilterSet,
    TrainingObjectiveFilterSet,
)
from steward.quotas.models import AccountRevenue, Quota, ServiceCost, TrainingObjective
from steward.spend.money import base_currency

UPLOAD_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
IMPORT_CODES: dict[str, tuple[str, ...]] = {"file": ("import_refused", *UPLOAD_CODES)}
MONEY = ("invalid", "min_value", "max_digits", "max_decimal_places", "max_whole_digits")
CURRENCY = ("required", "invalid", "invalid_currency")
QUOTA_FIELDS: dict[str, tuple[str, ...]] = {
    "starts_on": ("overlap", "required"),
    "ends_on": ("order", "required"),
    "currency": CURRENCY,
    "sales_target": MONEY,
    "margin_target": MONEY,
    "notes": ("too_long", "invalid"),
    "person": ("inactive", "not_internal"),
    "non_field_errors": ("archived", "invalid"),
}
REVENUE_FIELDS: dict[str, tuple[str, ...]] = {
    "relationship": ("not_account", "archived"),
    "month": ("duplicate", "required"),
    "product": ("archived",),
    "currency": CURRENCY,
    "revenue": MONEY,
    "cost": MONEY,
    "non_field_errors": ("archived", "invalid"),
}
COST_FIELDS: dict[str, tuple[str, ...]] = {
    "relationship": ("not_account", "archived"),
    "month": ("required",),
    "kind": ("duplicate", "invalid"),
    "currency": CURRENCY,
    "amount": MONEY,
    "notes": ("too_long", "invalid"),
    "non_field_errors": ("archived", "invalid"),
}
TRAINING_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("required", "too_long", "invalid"),
    "due_on": ("required",),
    "required": ("invalid",),
    "person": ("inactive", "not_internal"),
    "non_field_errors": ("archived", "invalid"),
}


def _inside(request: Request) -> None:
    if not principal_for(request.user).is_internal:
        raise exceptions.PermissionDenied("Quotas and figures are for inside users.")


class InsideRecordViewSet(RecordViewSet):
    """Records only inside users reach (portal users are refused)."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _inside(request)


def _import_schema(description: str) -> Any:
    return extend_schema(
        description=description,
        request=s.QuotasImportFileSerializer,
        responses={200: s.QuotasImportResultSerializer},
    )


# --- quotas --------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description="Set a report's quota (their managers and administrators only); periods "
        "of one person may not overlap."
    ),
    import_file=_import_schema(
        "Import quotas from a CSV or XLSX (username, start, end, currency, sales_target, "
        "gross_profit_target): all rows or none; a quota is known by person and start."
    ),
)
class QuotaViewSet(InsideRecordViewSet):
    """Sales and gross-profit targets per person and period: read by the person and their
    managers, set by the managers."""

    queryset = Quota.objects.none()
    filterset_class = QuotaFilterSet
    output_serializer_class = s.QuotaSerializer
    create_serializer_class = s.QuotaInputSerializer
    update_serializer_class = s.QuotaUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "import_file": s.QuotasImportFileSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "import_file",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": QUOTA_FIELDS,
        "partial_update": QUOTA_FIELDS,
        "restore": {"non_field_errors": ("overlap",)},
        "import_file": IMPORT_CODES,
    }

    def select_list(self) -> QuerySet[Quota]:
        return selectors.quota_list(user=self.request.user).order_by("person_id", "starts_on")

    def select_one(self, action: Action = Action.VIEW) -> Quota:
        return selectors.quota_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return s.QuotasImportResultSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Quota:
        data.pop("version", None)
        return services.quota_set(actor=self.request.user, **data)

    def perform_update_record(self, record: Quota, data: dict[str, Any], version: int) -> Quota:
        return services.quota_update(
            actor=self.request.user, quota=record, expected_version=version, **data
        )

    def perform_archive(self, record: Quota, version: int | None) -> Quota:
        return services.quota_archive(
            actor=self.request.user, quota=record, expected_version=version
        )

    def perform_restore(self, record: Quota, version: int | None) -> Quota:
        return services.quota_restore(
            actor=self.request.user, quota=record, expected_version=version
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not selectors.report_choices(user=request.user).exists():
            raise exceptions.PermissionDenied("Only managers import quotas, for their reports.")
        data = self.parse()
        changed = services.quotas_import(actor=request.user, upload=data["file"])
        return Response(s.QuotasImportResultSerializer({"changed": changed}).data)


# --- revenue and costs ---------------------------------------------------------------------------


@extend_schema_view(
    import_file=_import_schema(
        "Import revenue from a CSV or XLSX (account id, month, product SKU or empty, currency, "
        "revenue, cost): all rows or none; known by account, month and product."
    )
)
class AccountRevenueViewSet(InsideRecordViewSet):
    """What each account was invoiced per month (per product or in total) and what it cost:
    read by whoever reads the account, kept by finance (and whoever may change the account)."""

    queryset = AccountRevenue.objects.none()
    filterset_class = AccountRevenueFilterSet
    output_serializer_class = s.AccountRevenueSerializer
    create_serializer_class = s.AccountRevenueInputSerializer
    update_serializer_class = s.AccountRevenueUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "import_file": s.QuotasImportFileSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "import_file",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": REVENUE_FIELDS,
        "partial_update": REVENUE_FIELDS,
        "restore": {
            "month": ("duplicate",),
            "relationship": ("not_account", "archived"),
            "product": ("archived",),
        },
        "import_file": IMPORT_CODES,
    }

    def select_list(self) -> QuerySet[AccountRevenue]:
        return selectors.revenue_list(user=self.request.user).order_by(
            "relationship_id", "month", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> AccountRevenue:
        return selectors.revenue_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return s.QuotasImportResultSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> AccountRevenue:
        data.pop("version", None)
        if data.get("cost") is None:
            data.pop("cost", None)
        return services.account_revenue_record(actor=self.request.user, **data)

    def perform_update_record(
        self, record: AccountRevenue, data: dict[str, Any], version: int
    ) -> Any:
        return services.account_revenue_update(
            actor=self.request.user, row=record, expected_version=version, **data
        )

    def perform_archive(self, record: AccountRevenue, version: int | None) -> Any:
        return services.account_revenue_archive(
            actor=self.request.user, row=record, expected_version=version
        )

    def perform_restore(self, record: AccountRevenue, version: int | None) -> Any:
        return services.account_revenue_restore(
            actor=self.request.user, row=record, expected_version=version
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not import figures.")
        data = self.parse()
        changed = services.account_revenue_import(actor=request.user, upload=data["file"])
        return Response(s.QuotasImportResultSerializer({"changed": changed}).data)


@extend_schema_view(
    import_file=_import_schema(
        "Import costs to serve from a CSV or XLSX (account id, month, kind, currency, amount, "
        "notes): all rows or none; known by account, month and kind."
    )
)
class ServiceCostViewSet(InsideRecordViewSet):
    """What serving each account cost per month, by kind (besides the cost of goods)."""

    queryset = ServiceCost.objects.none()
    filterset_class = ServiceCostFilterSet
    output_serializer_class = s.ServiceCostSerializer
    create_serializer_class = s.ServiceCostInputSerializer
    update_serializer_class = s.ServiceCostUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "import_file": s.QuotasImportFileSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "import_file",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": COST_FIELDS,
        "partial_update": COST_FIELDS,
        "import_file": IMPORT_CODES,
    }

    def select_list(self) -> QuerySet[ServiceCost]:
        return selectors.cost_list(user=self.request.user).order_by(
            "relationship_id", "month", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> ServiceCost:
        return selectors.cost_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return s.QuotasImportResultSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> ServiceCost:
        data.pop("version", None)
        return services.service_cost_record(actor=self.request.user, **data)

    def perform_update_record(self, record: ServiceCost, data: dict[str, Any], version: int) -> Any:
        return services.service_cost_update(
            actor=self.request.user, row=record, expected_version=version, **data
        )

    def perform_archive(self, record: ServiceCost, version: int | None) -> Any:
        return services.service_cost_archive(
            actor=self.request.user, row=record, expected_version=version
        )

    def perform_restore(self, record: ServiceCost, version: int | None) -> Any:
        return services.service_cost_restore(
            actor=self.request.user, row=record, expected_version=version
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not import figures.")
        data = self.parse()
        changed = services.service_costs_import(actor=request.user, upload=data["file"])
        return Response(s.QuotasImportResultSerializer({"changed": changed}).data)


# --- training ------------------------------------------------------------------------------------


class TrainingObjectiveViewSet(InsideRecordViewSet):
    """Training a person must complete by a date: set by their managers, completed by the
    person (or a manager) with evidence."""

    queryset = TrainingObjective.objects.none()
    filterset_class = TrainingObjectiveFilterSet
    output_serializer_class = s.TrainingObjectiveSerializer
    create_serializer_class = s.TrainingObjectiveInputSerializer
    update_serializer_class = s.TrainingObjectiveUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "complete": s.CompletionSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.forbidden_actions, "complete")
    versioned_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.versioned_actions, "complete")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": TRAINING_FIELDS,
        "partial_update": TRAINING_FIELDS,
        "complete": {
            "completed_on": ("future", "required"),
            "evidence": ("too_long", "invalid"),
            "version": ("version_mismatch",),
            "If-Match": ("invalid",),
            "non_field_errors": ("archived",),
        },
    }

    def select_list(self) -> QuerySet[TrainingObjective]:
        return selectors.training_list(user=self.request.user).order_by("person_id", "due_on", "pk")

    def select_one(self, action: Action = Action.VIEW) -> TrainingObjective:
        return selectors.training_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> TrainingObjective:
        data.pop("version", None)
        return services.training_objective_set(actor=self.request.user, **data)

    def perform_update_record(
        self, record: TrainingObjective, data: dict[str, Any], version: int
    ) -> Any:
        return services.training_objective_update(
            actor=self.request.user, objective=record, expected_version=version, **data
        )

    def perform_archive(self, record: TrainingObjective, version: int | None) -> Any:
        return services.training_objective_archive(
            actor=self.request.user, objective=record, expected_version=version
        )

    def perform_restore(self, record: TrainingObjective, version: int | None) -> Any:
        return services.training_objective_restore(
            actor=self.request.user, objective=record, expected_version=version
        )

    @extend_schema(request=s.CompletionSerializer, responses=s.TrainingObjectiveSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the completion (today unless a day is given) with evidence."""
        objective = self.select_one(Action.VIEW)
        data = self.parse()
        version = self.requested_version(data.pop("version", None), required=False)
        return self.answer(
            services.training_objective_complete(
                actor=request.user, objective=objective, expected_version=version, **data
            )
        )


# --- figures -------------------------------------------------------------------------------------


class FiguresViewSet(StewardViewSet):
    """One answer computed from the facts (no collection): served as ``retrieve``."""

    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ("retrieve",)
    filter_backends: list[Any] = []
    pagination_class = None
    query_serializer_class: ClassVar[type[serializers.Serializer] | None] = None

    def query(self) -> dict[str, Any]:
        if self.query_serializer_class is None:
            return {}
        query = self.query_serializer_class(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _inside(request)


def _figure(a: Attainment) -> dict[str, Any]:
    return {
        "target": round(a.target, 2),
        "prorated": round(a.prorated, 2),
        "achieved": round(a.achieved, 2),
        "percent": None if a.percent is None else round(a.percent, 2),
        "on_pace": a.on_pace,
    }


def _rounded(value: Any) -> Any:
    return None if value is None else round(value, 2)


class AttainmentViewSet(FiguresViewSet):
    """Quota attainment to date: a person's quota in force on a day, or the user's team."""

    output_serializer_class = s.AttainmentSerializer
    query_serializer_class = s.AttainmentQuerySerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "retrieve": {
            "person": ("invalid", "min_value", "max_value"),
            "on": ("invalid",),
            "team": ("invalid",),
        }
    }

    @extend_schema(
        parameters=[s.AttainmentQuerySerializer],
        responses={status.HTTP_200_OK: s.AttainmentSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        on: dt.date = query.get("on") or timezone.localdate()
        visible = selectors.visible_people_ids(user=request.user)
        if query.get("team"):
            reports = list(selectors.people(ids=sorted(visible - {request.user.pk})))
            roll_up = figures.team_roll_up(reports, on)
            rows = [self._team_row(row) for row in roll_up.rows]
            total = self._team_row(roll_up.total, person=request.user.pk)
            return Response(
                self.render({"currency": roll_up.currency, "on": on, "rows": rows, "total": total})
            )
        person = query.get("person") or request.user.pk
        if person not in visible:
            raise Http404
        quotas = figures.quotas_in_force([person], on)
        found = figures.quota_figures(quotas, on)
        rows = [
            {
                "person": person,
                "quota": f.quota.pk,
                "starts_on": f.quota.starts_on,
                "ends_on": f.quota.ends_on,
                "bookings": _figure(f.bookings),
                "gross_profit": _figure(f.gross_profit),
            }
            for f in found
        ]
        currency = found[0].quota.currency if found else base_currency()
        return Response(self.render({"currency": currency, "on": on, "rows": rows, "total": None}))

    @staticmethod
    def _team_row(row: figures.TeamRow, person: int | None = None) -> dict[str, Any]:
        quota = row.figures.quota if row.figures else None
        return {
            "person": person if row.person is None else row.person.pk,  # type: ignore[attr-defined]
            "quota": quota.pk if quota else None,
            "starts_on": quota.starts_on if quota else None,
            "ends_on": quota.ends_on if quota else None,
            "bookings": _figure(row.bookings_attainment),
            "gross_profit": _figure(row.profit_attainment),
        }


def _period(query: dict[str, Any]) -> tuple[dt.date, dt.date]:
    first, last = figures.last_full_months(timezone.localdate())
    first = (query.get("first") or first).replace(day=1)
    last = (query.get("last") or last).replace(day=1)
    figures.check_period(first, last)
    return first, last


PERIOD_CODES: dict[str, tuple[str, ...]] = {
    "first": ("invalid", "out_of_range"),
    "last": ("invalid", "order", "out_of_range"),
}


class ProfitabilityViewSet(FiguresViewSet):
    """An account's revenue, cost of goods, gross margin, cost to serve and net margin over a
    period of months, in the account's currency, against its expected margin."""

    queryset = Relationship.objects.none()
    output_serializer_class = s.ProfitabilitySerializer
    query_serializer_class = s.PeriodQuerySerializer
    validation_error_codes: ClassVar[ErrorCodes] = {"retrieve": PERIOD_CODES}

    @extend_schema(
        parameters=[s.PeriodQuerySerializer],
        responses={status.HTTP_200_OK: s.ProfitabilitySerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = selectors.account_get(user=request.user, pk=self.kwargs["pk"])
        first, last = _period(self.query())
        found = figures.account_figures([account.pk], first, last)[account.pk]
        p = found.profitability
        return Response(
            self.render(
                {
                    "account": account.pk,
                    "currency": found.currency,
                    "first": first,
                    "last": last,
                    "revenue": round(p.revenue, 2),
                    "cost_of_goods": round(p.cost_of_goods, 2),
                    "gross_margin": round(p.gross_margin, 2),
                    "cost_to_serve": round(p.cost_to_serve, 2),
                    "net_margin": round(p.net_margin, 2),
                    "gross_margin_percent": _rounded(p.gross_margin_percent),
                    "net_margin_percent": _rounded(p.net_margin_percent),
                    "expected_margin_percent": p.expected_margin_percent,
                    "meets_expectation": p.meets_expectation,
                }
            )
        )


class RetentionViewSet(FiguresViewSet):
    """Net and gross revenue retention of the accounts the user may see (or one owner's, or the
    user's team's) over a period of months against the same length before, in the base
    currency."""

    output_serializer_class = s.RetentionSerializer
    query_serializer_class = s.RetentionQuerySerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "retrieve": {
            **PERIOD_CODES,
            "owner": ("invalid", "min_value", "max_value"),
            "team": ("invalid",),
        }
    }

    @extend_schema(
        parameters=[s.RetentionQuerySerializer],
        responses={status.HTTP_200_OK: s.RetentionSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        first, last = _period(query)
        accounts = selectors.account_list(user=request.user)
        if query.get("owner"):
            accounts = accounts.filter(owner_id=query["owner"])
        if query.get("team"):
            accounts = accounts.filter(
                owner_id__in=sorted(selectors.visible_people_ids(user=request.user))
            )
        periods = figures.retention_periods(first, last)
        kept = figures.retention_of(accounts.values_list("pk", flat=True), periods)
        return Response(
            self.render(
                {
                    "currency": base_currency(),
                    "first": periods.first,
                    "last": periods.last,
                    "base_first": periods.base_first,
                    "base_last": periods.base_last,
                    "accounts": kept.accounts,
                    "churned": kept.churned,
                    "base_revenue": round(kept.base, 2),
                    "current_revenue": round(kept.current, 2),
                    "nrr": _rounded(kept.nrr),
                    "grr": _rounded(kept.grr),
                }
            )
        )


class AccountabilityViewSet(FiguresViewSet):
    """The accountability dashboard: a row per account manager the user may see, a roll-up row
    per manager, a column per measure."""

    output_serializer_class = s.AccountabilitySerializer

    @extend_schema(responses={status.HTTP_200_OK: s.AccountabilitySerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        board = accountability(user=request.user, today=timezone.localdate())
        keys = [m.key for m in board.measures]
        return Response(
            self.render(
                {
                    "on": board.today,
                    "measures": [
                        {"key": m.key, "label": m.label, "help": m.help} for m in board.measures
                    ],
                    "rows": [
                        {
                            "person": row.person.pk,
                            "label": row.label,
                            "roll_up": row.is_roll_up,
                            "depth": row.depth,
                            "measures": [
                                {
                                    "key": key,
                                    "value": _rounded(value.value),
                                    "target": _rounded(value.target),
                                    "display": value.display,
                                    "meets": value.meets,
                                }
                                for key, value in zip(keys, row.values, strict=True)
                            ],
                        }
                        for row in board.rows
                    ],
                }
            )
        )
