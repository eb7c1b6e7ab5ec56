"""Serializers of the spend analytics API: the query parameters each figure takes, and the
figures as the API renders them.

Amounts are decimal strings in the base currency (``currency`` on every answer); shares and
utilizations are percentages with two decimals; months are ``YYYY-MM``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers

from steward.core.errors import DomainError
from steward.spend.analytics.figures import DIMENSIONS
from steward.spend.analytics.period import MAX_MONTHS, Filters, Period
from steward.spend.money import from_cents

MAX_PAGE_SIZE = 200


def month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def plain_query(params: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters as one string each; a repeated one arrives comma-joined (ids may be
    repeated; any other parameter given twice is then refused as invalid). An empty one, as a
    web form sends it, is left out."""
    getlist = getattr(params, "getlist", None)
    joined = {key: ",".join(getlist(key)) if getlist else str(params[key]) for key in params}
    return {key: value for key, value in joined.items() if value.strip(",")}


class RenamedFieldsMixin:
    """Fields whose names are Python keywords (``from``) are declared as ``from_``."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        return {name.removesuffix("_"): field for name, field in fields.items()}


# --- query parameters ----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class IdsField(serializers.Field):
    """Ids as ``3,4`` (or the parameter repeated)."""

    default_error_messages = {"invalid": "Give whole-number ids separated by commas."}

    def to_internal_value(self, data: Any) -> tuple[int, ...]:
        parts = [part.strip() for part in str(data).split(",") if part.strip()]
        if any(not part.isdigit() or len(part) > 18 for part in parts):
            self.fail("invalid")
        return tuple(sorted({int(part) for part in parts}))

    def to_representation(self, value: Any) -> str:
        return ",".join(str(item) for item in value)


class PeriodQuerySerializer(RenamedFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=9998, help_text="A calendar year, e.g. 2026."
    )
    from_ = serializers.CharField(
        required=False,
        max_length=7,
        help_text="First month, YYYY-MM (with or without `to`: twelve months from it).",
    )
    to = serializers.CharField(
        required=False,
        max_length=7,
        help_text=f"Last month, YYYY-MM. Without year, from and to: the last twelve whole "
        f"months. At most {MAX_MONTHS} months.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["period"] = Period.from_params(
                {key: str(attrs[key]) for key in ("year", "from", "to") if key in attrs},
                timezone.localdate(),
            )
        except DomainError as error:
            raise serializers.ValidationError(
                {error.field or "year": [exceptions.ErrorDetail(error.message, error.code)]}
            ) from error
        return attrs


class SupplierQuerySerializer(PeriodQuerySerializer):
    supplier = IdsField(required=False, help_text="Only these vendors (ids).")


class FilterQuerySerializer(SupplierQuerySerializer):
    category = IdsField(required=False, help_text="Only these categories (ids).")
    contract = IdsField(required=False, help_text="Only lines on these contracts (ids).")
    cost_center = IdsField(
        required=False,
        help_text="Only these cost centers (ids): for those who see all spend, with months and "
        "categories only.",
    )
    maverick = serializers.ChoiceField(
        choices=[("1", "1"), ("0", "0")],
        required=False,
        help_text="1: only spend without a contract; 0: only spend on a contract.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        attrs["filters"] = Filters(
            suppliers=attrs.get("supplier", ()),
            categories=attrs.get("category", ()),
            contracts=attrs.get("contract", ()),
            cost_centers=attrs.get("cost_center", ()),
            maverick=None if "maverick" not in attrs else attrs["maverick"] == "1",
        )
        return attrs


class PageQueryMixin(serializers.Serializer):
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=1_000_000, default=1, help_text="Page, from 1."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        default=50,
        help_text=f"Rows per page: 50 by default, at most {MAX_PAGE_SIZE}.",
    )


@extend_schema_field(OpenApiTypes.STR)
class DimensionsField(serializers.Field):
    default_error_messages = {
        "invalid": f"Name dimensions separated by commas, each once: {', '.join(DIMENSIONS)}."
    }

    def to_internal_value(self, data: Any) -> tuple[str, ...]:
        names = tuple(part.strip() for part in str(data).split(",") if part.strip())
        if not names or len(set(names)) != len(names) or not set(names) <= set(DIMENSIONS):
            self.fail("invalid")
        return names

    def to_representation(self, value: Any) -> str:
        return ",".join(value)


class CubeQuerySerializer(PageQueryMixin, FilterQuerySerializer):
    dims = DimensionsField(
        required=False,
        default=("supplier",),
        help_text=f"The dimensions, comma-separated, of {', '.join(DIMENSIONS)} (supplier by "
        "default). cost_center only for those who see all spend, and not with supplier or "
        "contract.",
    )


class TrendQuerySerializer(FilterQuerySerializer):
    pass


class ParetoQuerySerializer(PageQueryMixin, FilterQuerySerializer):
    by = serializers.ChoiceField(
        choices=[("supplier", "supplier"), ("category", "category")],
        required=False,
        default="supplier",
        help_text="Rank vendors (supplier) or categories.",
    )


class MaverickQuerySerializer(FilterQuerySerializer):
    pass


class PagedSupplierQuerySerializer(PageQueryMixin, SupplierQuerySerializer):
    pass


class ConsolidationQuerySerializer(PagedSupplierQuerySerializer):
    min_vendors = serializers.IntegerField(
        required=False,
        min_value=2,
        max_value=10_000,
        default=5,
        help_text="Categories spread over at least this many vendors (5 by default).",
    )


class LineQuerySerializer(FilterQuerySerializer):
    pass


# --- answers -------------------------------------------------------------------------------------


class CentsField(serializers.DecimalField):
    """Int cents rendered as a decimal string of the base currency."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(from_cents(value))


def percent_field(help_text: str, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text=help_text, **kwargs
    )


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"})
class MonthField(serializers.Field):
    def to_representation(self, value: int) -> str:
        return month_text(value)


class FigureSerializer(RenamedFieldsMixin, serializers.Serializer):
    currency = serializers.CharField(help_text="The base currency every amount is in.")
    from_ = MonthField(source="first", help_text="The period's first month.")
    to = MonthField(source="last", help_text="The period's last month.")


class PagedFigureSerializer(FigureSerializer):
    count = serializers.IntegerField(help_text="Rows in all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class CubeRowSerializer(serializers.Serializer):
    """One combination of the asked dimensions; only those dimensions appear."""

    month = MonthField(required=False)
    supplier = serializers.IntegerField(required=False, allow_null=True)
    category = serializers.IntegerField(required=False, allow_null=True)
    contract = serializers.IntegerField(required=False, allow_null=True)
    cost_center = serializers.IntegerField(required=False, allow_null=True)
    amount = CentsField()
    lines = serializers.IntegerField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        dims = self.context["dims"]
        row = {
            "amount": str(from_cents(instance.amount_cents)),
            "lines": instance.lines,
        }
        for dim, key in zip(dims, instance.keys, strict=True):
            row[dim] = month_text(key) if dim == "month" and key is not None else key
        return row


# One figure per request, served by a list action: not an array of them.
@extend_schema_serializer(many=False)
class CubeSerializer(PagedFigureSerializer):
    dims = serializers.ListField(child=serializers.CharField())
    results = CubeRowSerializer(many=True)


class TrendPointSerializer(serializers.Serializer):
    month = MonthField()
    amount = CentsField(source="amount_cents")
    lines = serializers.IntegerField()
    prior_year_amount = CentsField(
        source="prior_year_cents", help_text="The same month a year before."
    )


@extend_schema_serializer(many=False)
class TrendSerializer(FigureSerializer):
    results = TrendPointSerializer(many=True)


class ParetoRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(
        allow_null=True, help_text="Vendor or category id (null: lines without a category)."
    )
    amount = CentsField(source="amount_cents")
    share = percent_field("Share of the positive total.")
    cumulative_share = percent_field("Share of this row and all above it.")
    abc = serializers.ChoiceField(
        choices=[("A", "A"), ("B", "B"), ("C", "C")],
        help_text="A while less than 80 % comes before the row, B less than 95 %, else C.",
    )


@extend_schema_serializer(many=False)
class ParetoSerializer(PagedFigureSerializer):
    by = serializers.CharField()
    results = ParetoRowSerializer(many=True)


class KeyTotalSerializer(serializers.Serializer):
    amount = CentsField(source="amount_cents")
    lines = serializers.IntegerField()


class SupplierTotalSerializer(KeyTotalSerializer):
    supplier = serializers.IntegerField(source="key")


class CategoryTotalSerializer(KeyTotalSerializer):
    category = serializers.IntegerField(source="key", allow_null=True)


@extend_schema_serializer(many=False)
class MaverickSerializer(FigureSerializer):
    amount = CentsField(source="summary.amount_cents", help_text="Spend without a contract.")
    total = CentsField(source="summary.total_cents", help_text="All spend matching the query.")
    share = percent_field("amount of total.", source="summary.share")
    by_supplier = SupplierTotalSerializer(many=True, source="summary.by_supplier")
    by_category = CategoryTotalSerializer(many=True, source="summary.by_category")


@extend_schema_serializer(many=False)
class TailSerializer(FigureSerializer):
    vendors = serializers.IntegerField(source="summary.vendors", help_text="Vendors of class C.")
    amount = CentsField(source="summary.amount_cents")
    share = percent_field("Their share of the positive total.", source="summary.share")


class ConcentrationRowSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category_id")
    amount = CentsField(source="amount_cents")
    vendors = serializers.IntegerField(help_text="Vendors with positive spend.")
    top_supplier = serializers.IntegerField(source="top_supplier_id")
    top_share = percent_field("The top vendor's share.")
    hhi = serializers.IntegerField(help_text="Herfindahl-Hirschman index, 0 to 10000.")
    single_source = serializers.BooleanField()


@extend_schema_serializer(many=False)
class ConcentrationSerializer(PagedFigureSerializer):
    results = ConcentrationRowSerializer(many=True)


@extend_schema_serializer(many=False)
class ConsolidationSerializer(ConcentrationSerializer):
    min_vendors = serializers.IntegerField()


class UtilizationRowSerializer(serializers.Serializer):
    contract = serializers.IntegerField(source="contract_id")
    supplier = serializers.IntegerField(source="supplier_id")
    committed = CentsField(
        source="committed_cents",
        allow_null=True,
        help_text="Prorated to the months covered, converted; null when not known.",
    )
    actual = CentsField(source="actual_cents")
    utilization = percent_field("actual of committed.", allow_null=True)


@extend_schema_serializer(many=False)
class UtilizationSerializer(PagedFigureSerializer):
    results = UtilizationRowSerializer(many=True)


class VarianceRowSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(source="supplier_id")
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    variance = CentsField(source="variance_cents", help_text="Positive: paid above contract.")
    priced_lines = serializers.IntegerField()


@extend_schema_serializer(many=False)
class PriceVarianceSerializer(PagedFigureSerializer):
    results = VarianceRowSerializer(many=True)


class SpendLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    batch = serializers.IntegerField(source="batch_id", help_text="The import it came with.")
    date = serializers.DateField()
    month = MonthField()
    supplier = serializers.IntegerField(source="supplier_id")
    category = serializers.IntegerField(source="category_id", allow_null=True)
    cost_center = serializers.IntegerField(source="cost_center_id", allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    document = serializers.CharField()
    item = serializers.CharField()
    description = serializers.CharField()
    gl_account = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    currency = serializers.CharField(help_text="The currency it was paid in.")
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=4, help_text="As paid, in its currency."
    )
    amount_base = CentsField(
        source="amount_base_cents", help_text="In the base currency (`base_currency`)."
    )
    base_currency = serializers.SerializerMethodField()
    price_variance = CentsField(
        source="price_variance_cents",
        allow_null=True,
        help_text="(paid - contracted unit price) x quantity, in the base currency.",
    )

    def get_base_currency(self, line: Any) -> str:
        return str(self.context["currency"])
