"""The API of spend analytics: the cube, trend, Pareto, concentration, maverick spend …, and
the drill-down to lines.

Every answer starts from ``scope_for(request.user)``: a vendor manager gets the figures of the
vendors they may see, finance (and administrators and auditors) all of them; spend by cost
center only those who see all spend (403 for others). Portal users are refused (403),
anonymous clients asked to authenticate (401). Bad query parameters answer 400 naming the
parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from steward.core.access import principal_for
from steward.core.api.errors import translate_exception
from steward.core.api.pagination import StewardPagination
from steward.core.api.schema import StewardAutoSchema
from steward.core.api.viewsets import ErrorCodes
from steward.core.errors import DomainError
from steward.spend import analytics
from steward.spend.analytics import drilldown
from steward.spend.analytics.period import Period
from steward.spend.api import serializers_analytics as s
from steward.spend.models import SpendLine, SpendSegment
from steward.spend.money import base_currency
from steward.spend.scope import SpendScope, scope_for


class SeesSpend(BasePermission):
    message = "Spend is for people inside the organization."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(principal_for(request.user).is_internal)


def error_codes(query: type[serializers.Serializer], **extra: tuple[str, ...]) -> ErrorCodes:
    """The validation codes each query parameter can answer with (for the schema)."""
    fields = get_serializer_fields_with_error_codes(get_flat_serializer_fields(query()))
    codes = {field.name: set(field.error_codes) for field in fields}
    for name, more in extra.items():
        codes.setdefault(name, set()).update(more)
    return {"list": {name: tuple(sorted(found)) for name, found in codes.items()}}


PERIOD_CODES = {"year": ("invalid",), "from": ("invalid",), "to": ("invalid",)}
FILTER_CODES = {**PERIOD_CODES, "cost_center": ("invalid",)}


class SpendReadViewSet(viewsets.GenericViewSet):
    """What the spend endpoints share: read only (a list, no records by id), inside users,
    query parameters parsed by ``query_serializer_class``, errors in the API's one shape and a
    refused cost-center figure answered 403."""

    schema = StewardAutoSchema()
    http_method_names = ["get", "head", "options"]
    permission_classes = [IsAuthenticated, SeesSpend]
    queryset: QuerySet[Any] = SpendSegment.objects.none()
    filter_backends = ()
    # Figures page themselves (``page``, ``page_size``).
    pagination_class: type[BasePagination] | None = None
    # Read by StewardAutoSchema.
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ("list",)
    validation_error_codes: ClassVar[ErrorCodes] = {}
    query_serializer_class: ClassVar[type[serializers.Serializer]]
    output_serializer_class: ClassVar[type[serializers.Serializer]]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError) and exc.code == "forbidden":
            exc = exceptions.PermissionDenied(exc.message)
        return super().handle_exception(translate_exception(exc))

    def get_output_serializer_class(self) -> type[serializers.Serializer]:
        return self.output_serializer_class

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.output_serializer_class

    def query(self) -> dict[str, Any]:
        query = self.query_serializer_class(data=s.plain_query(self.request.query_params))
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def envelope(self, period: Period, **more: Any) -> dict[str, Any]:
        return {"currency": base_currency(), "first": period.first, "last": period.last, **more}

    def paged(self, rows: Sequence[Any], query: dict[str, Any]) -> dict[str, Any]:
        """One page of ``rows`` with the count and the links to its neighbours."""
        page, size = query["page"], min(query["page_size"], s.MAX_PAGE_SIZE)
        url = self.request.build_absolute_uri()
        start = (page - 1) * size
        previous = None
        if page > 1:
            before = min(page - 1, max(1, -(-len(rows) // size)))
            previous = (
                replace_query_param(url, "page", before)
                if before > 1
                else remove_query_param(url, "page")
            )
        return {
            "count": len(rows),
            "next": replace_query_param(url, "page", page + 1)
            if start + size < len(rows)
            else None,
            "previous": previous,
            "results": rows[start : start + size],
        }

    def render_figure(self, data: dict[str, Any], **context: Any) -> Response:
        serializer = self.get_output_serializer_class()(data, context=context)
        return Response(serializer.data)


def narrowed(scope: SpendScope, suppliers: tuple[int, ...]) -> SpendScope:
    """The scope limited to ``suppliers`` (the figures that take no filters take this one)."""
    if not suppliers:
        return scope
    visible = set(suppliers) if scope.supplier_ids is None else scope.supplier_ids & set(suppliers)
    return SpendScope(supplier_ids=frozenset(visible), cost_centers=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.CubeQuerySerializer],
        description="Spend and lines per combination of the asked dimensions, largest first.",
    )
)
class SpendCubeViewSet(SpendReadViewSet):
    query_serializer_class = s.CubeQuerySerializer
    output_serializer_class = s.CubeSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.CubeQuerySerializer, **FILTER_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        rows = analytics.cube(
            scope_for(request.user), query["period"], query["dims"], query["filters"]
        )
        data = self.envelope(query["period"], dims=list(query["dims"]), **self.paged(rows, query))
        return self.render_figure(data, dims=query["dims"])


@extend_schema_view(
    list=extend_schema(
        parameters=[s.TrendQuerySerializer],
        description="Spend per month of the period (zeros included), with the year before.",
    )
)
class SpendTrendViewSet(SpendReadViewSet):
    query_serializer_class = s.TrendQuerySerializer
    output_serializer_class = s.TrendSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.TrendQuerySerializer, **FILTER_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        points = analytics.trend(scope_for(request.user), query["period"], query["filters"])
        return self.render_figure(self.envelope(query["period"], results=points))


@extend_schema_view(
    list=extend_schema(
        parameters=[s.ParetoQuerySerializer],
        description="Vendors (or categories) by spend, largest first, with their share, "
        "cumulative share and ABC class.",
    )
)
class SpendParetoViewSet(SpendReadViewSet):
    query_serializer_class = s.ParetoQuerySerializer
    output_serializer_class = s.ParetoSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.ParetoQuerySerializer, **FILTER_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        rows = analytics.pareto(
            scope_for(request.user), query["period"], query["by"], query["filters"]
        )
        data = self.envelope(query["period"], by=query["by"], **self.paged(rows, query))
        return self.render_figure(data)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.MaverickQuerySerializer],
        description="Spend without a contract: in total, by vendor and by category.",
    )
)
class SpendMaverickViewSet(SpendReadViewSet):
    query_serializer_class = s.MaverickQuerySerializer
    output_serializer_class = s.MaverickSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.MaverickQuerySerializer, **FILTER_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        summary = analytics.maverick(scope_for(request.user), query["period"], query["filters"])
        return self.render_figure(self.envelope(query["period"], summary=summary))


class SupplierFigureViewSet(SpendReadViewSet):
    """A figure that takes no filters but ``supplier``, which narrows the scope."""

    query_serializer_class: ClassVar[type[serializers.Serializer]] = s.PagedSupplierQuerySerializer

    def scope(self, query: dict[str, Any]) -> SpendScope:
        return narrowed(scope_for(self.request.user), query.get("supplier", ()))


class PagedSupplierFigureViewSet(SupplierFigureViewSet):
    """A paged list of rows that ``rows`` computes over the narrowed scope."""

    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.PagedSupplierQuerySerializer, **PERIOD_CODES
    )

    def rows(self, scope: SpendScope, period: Period) -> Sequence[Any]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        rows = self.rows(self.scope(query), query["period"])
        return self.render_figure(self.envelope(query["period"], **self.paged(rows, query)))


@extend_schema_view(
    list=extend_schema(
        parameters=[s.PagedSupplierQuerySerializer],
        description="Per category: its vendors with spend, the top vendor and its share, the "
        "HHI and whether it is single-sourced; largest spend first.",
    )
)
class SpendConcentrationViewSet(PagedSupplierFigureViewSet):
    output_serializer_class = s.ConcentrationSerializer

    def rows(self, scope: SpendScope, period: Period) -> Sequence[Any]:
        return analytics.concentration(scope, period)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.ConsolidationQuerySerializer],
        description="Categories spread over at least `min_vendors` vendors with no dominant "
        "one (HHI below 1500): candidates to consolidate, largest spend first.",
    )
)
class SpendConsolidationViewSet(SupplierFigureViewSet):
    query_serializer_class = s.ConsolidationQuerySerializer
    output_serializer_class = s.ConsolidationSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.ConsolidationQuerySerializer, **PERIOD_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        rows = analytics.consolidation(self.scope(query), query["period"], query["min_vendors"])
        data = self.envelope(
            query["period"], min_vendors=query["min_vendors"], **self.paged(rows, query)
        )
        return self.render_figure(data)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.PagedSupplierQuerySerializer],
        description="Per contract: the value it commits for the period (prorated to the months "
        "it covers, converted at the latest rate) against the spend booked on it.",
    )
)
class SpendUtilizationViewSet(PagedSupplierFigureViewSet):
    output_serializer_class = s.UtilizationSerializer

    def rows(self, scope: SpendScope, period: Period) -> Sequence[Any]:
        return analytics.utilization(scope, period)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.PagedSupplierQuerySerializer],
        description="Paid against contracted prices per vendor and contract, largest "
        "overpayment first.",
    )
)
class SpendPriceVarianceViewSet(PagedSupplierFigureViewSet):
    output_serializer_class = s.PriceVarianceSerializer

    def rows(self, scope: SpendScope, period: Period) -> Sequence[Any]:
        return analytics.price_variance(scope, period)


@extend_schema_view(
    list=extend_schema(
        parameters=[s.SupplierQuerySerializer],
        description="Tail spend: the vendors of Pareto class C, their number, spend and share.",
    )
)
class SpendTailViewSet(SupplierFigureViewSet):
    query_serializer_class = s.SupplierQuerySerializer
    output_serializer_class = s.TailSerializer
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.SupplierQuerySerializer, **PERIOD_CODES
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        summary = analytics.tail(self.scope(query), query["period"])
        return self.render_figure(self.envelope(query["period"], summary=summary))


@extend_schema_view(
    list=extend_schema(
        parameters=[s.LineQuerySerializer],
        description="The spend lines behind a figure, newest first (by month, then as stored, "
        "last first), with the same period and filters as the figures.",
    )
)
class SpendLineViewSet(SpendReadViewSet):
    queryset = SpendLine.objects.none()
    pagination_class = StewardPagination
    query_serializer_class = s.LineQuerySerializer
    output_serializer_class = s.SpendLineSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ("list",)
    validation_error_codes: ClassVar[ErrorCodes] = error_codes(
        s.LineQuerySerializer, **FILTER_CODES, page_size=("invalid",)
    )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query()
        page = _page_number(request)
        size = self.paginator.get_page_size(request)  # type: ignore[union-attr]
        found = drilldown.lines(
            scope_for(request.user), query["period"], query["filters"], page=page, per_page=size
        )
        if page > found.pages:
            raise exceptions.NotFound("Invalid page.")
        url = request.build_absolute_uri()
        rows = s.SpendLineSerializer(found.lines, many=True, context={"currency": base_currency()})
        return Response(
            {
                "count": found.total,
                "next": replace_query_param(url, "page", page + 1) if page < found.pages else None,
                "previous": None
                if page == 1
                else (
                    replace_query_param(url, "page", page - 1)
                    if page > 2
                    else remove_query_param(url, "page")
                ),
                "results": rows.data,
            }
        )


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "") or "1"
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise exceptions.NotFound("Invalid page.")
    return int(text)


ROUTES: list[tuple[str, Any, str]] = [("spend-lines", SpendLineViewSet, "spend-line")]

# Figures are not collections of records: they sit beside the router.
FIGURES: tuple[tuple[str, Any], ...] = (
    ("cube", SpendCubeViewSet),
    ("trend", SpendTrendViewSet),
    ("pareto", SpendParetoViewSet),
    ("concentration", SpendConcentrationViewSet),
    ("maverick", SpendMaverickViewSet),
    ("utilization", SpendUtilizationViewSet),
    ("price-variance", SpendPriceVarianceViewSet),
    ("consolidation", SpendConsolidationViewSet),
    ("tail", SpendTailViewSet),
)
PATHS: list[Any] = [
    path(f"spend/{name}/", viewset.as_view({"get": "list"}), name=f"spend-{name}")
    for name, viewset in FIGURES
]
