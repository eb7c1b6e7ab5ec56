"""API serializers of the savings register, the levers and TCO comparisons.

Output serializers render rows the viewsets fetched through the access policy (realized savings,
TCO breakdowns and levers are computed by the selectors and handed over as plain values); input
serializers only parse types, the services decide the rest. Related rows are taken by id from the
rows the requesting user may see. Amounts are in the ledger's base currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.contracts.models import Contract
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, amount_field, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.people.selectors import internal_user_choices
from steward.savings import selectors
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import TcoComparison
from steward.savings.tco import tco_breakdown
from steward.spend.money import base_currency
from steward.suppliers.models import Category, Supplier

User = get_user_model()
START_STATUSES = [
    (value, label) for value, label in SavingsStatus.choices if value != SavingsStatus.CANCELLED
]


def _unit(help_text: str = "", *, output: bool = False) -> serializers.DecimalField:
    """A price or cost per unit (four decimal places)."""
    if output:
        return serializers.DecimalField(
            max_digits=18, decimal_places=4, allow_null=True, help_text=help_text
        )
    return serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _percent(help_text: str = "", *, output: bool = False) -> serializers.DecimalField:
    if output:
        return serializers.DecimalField(max_digits=6, decimal_places=3, help_text=help_text)
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


def _vendors(user: Any) -> Any:
    return selectors.vendor_choices(user=user)


def _categories(user: Any) -> Any:
    return selectors.category_choices(user=user)


def _contracts(user: Any) -> Any:
    return selectors.contract_choices(user=user)


# --- initiatives ---------------------------------------------------------------------------------


class RealizedSerializer(serializers.Serializer):
    realized = amount_field("Saved so far; null when nothing can be measured yet.", output=True)
    reason = serializers.CharField(help_text="Why nothing is measured (empty when it is).")
    months = serializers.IntegerField(help_text="Whole months measured.")
    first_month = serializers.CharField(allow_null=True, help_text="YYYY-MM")
    last_month = serializers.CharField(allow_null=True, help_text="YYYY-MM")
    amount = amount_field("Paid in the months measured.", output=True)
    expected = amount_field("What those months would have cost at the baseline.", output=True)
    quantity = serializers.DecimalField(max_digits=20, decimal_places=4)
    average_unit_price = _unit("Paid per unit (unit-price method).", output=True)


class SavingsInitiativeSerializer(RecordOutputSerializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=SavingsKind.choices)
    status = serializers.ChoiceField(choices=SavingsStatus.choices)
    owner = serializers.IntegerField(source="owner_id")
    supplier = serializers.IntegerField(source="supplier_id", allow_null=True)
    supplier_name = serializers.SerializerMethodField()
    category = serializers.IntegerField(source="category_id", allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    baseline_method = serializers.ChoiceField(choices=BaselineMethod.choices)
    item = serializers.CharField(allow_blank=True)
    baseline_unit_price = _unit(output=True)
    baseline_annual_spend = amount_field(output=True)
    estimated_annual_savings = amount_field(output=True)
    negotiated_unit_price = _unit(output=True)
    negotiated_annual_savings = amount_field("As typed.", output=True)
    negotiated_savings = amount_field(
        "As typed, else derived from the unit prices and the baseline annual spend.",
        output=True,
    )
    effective_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    lever_key = serializers.CharField(
        allow_blank=True, help_text="The lever the initiative was made from, if any."
    )
    currency = serializers.SerializerMethodField()
    realized = serializers.SerializerMethodField()

    def get_supplier_name(self, record: Any) -> str:
        return str(record.supplier) if record.supplier_id else ""

    def get_currency(self, record: Any) -> str:
        return base_currency()

    @extend_schema_field(RealizedSerializer)
    def get_realized(self, record: Any) -> dict[str, Any]:
        """What the initiative realized, measured over the spend the reader may see."""
        measured = getattr(record, "measured", None)
        return dict(RealizedSerializer(realized_value(measured)).data)


def realized_value(measured: Any) -> dict[str, Any]:
    """The plain values ``RealizedSerializer`` renders (nothing measured when ``measured`` is
    None)."""
    if measured is None:
        return {
            "realized": None,
            "reason": "",
            "months": 0,
            "first_month": None,
            "last_month": None,
            "amount": Decimal(0),
            "expected": Decimal(0),
            "quantity": Decimal(0),
            "average_unit_price": None,
        }
    months = [figure.month for figure in measured.months]

    def label(month: int | None) -> str | None:
        return None if month is None else f"{month // 100}-{month % 100:02d}"

    return {
        "realized": measured.realized,
        "reason": measured.reason,
        "months": len(months),
        "first_month": label(months[0] if months else None),
        "last_month": label(months[-1] if months else None),
        "amount": measured.amount,
        "expected": measured.expected,
        "quantity": measured.quantity,
        "average_unit_price": measured.average_unit_price,
    }


class SavingsInitiativeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SavingsKind.choices)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to you."
    )
    supplier = VisibleRelatedField(
        model=Supplier,
        choices=_vendors,
        required=False,
        allow_null=True,
        help_text="The vendor (its id is its relationship's) whose later spend measures it.",
    )
    category = VisibleRelatedField(
        model=Category, choices=_categories, required=False, allow_null=True
    )
    contract = VisibleRelatedField(
        model=Contract,
        choices=_contracts,
        required=False,
        allow_null=True,
        help_text="The contract the negotiation or award led to (with the vendor).",
    )
    baseline_method = serializers.ChoiceField(choices=BaselineMethod.choices, required=False)
    item = serializers.CharField(max_length=80, required=False, allow_blank=True)
    baseline_unit_price = _unit()
    baseline_annual_spend = amount_field()
    estimated_annual_savings = amount_field()
    negotiated_unit_price = _unit()
    negotiated_annual_savings = amount_field()
    effective_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class SavingsInitiativeCreateSerializer(SavingsInitiativeInputSerializer):
    status = serializers.ChoiceField(
        choices=START_STATUSES,
        required=False,
        help_text="identified by default; in progress or delivered need what measuring needs.",
    )


class SavingsInitiativeUpdateSerializer(SavingsInitiativeInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=SavingsKind.choices, required=False)
    version = version_field()


class SavingsTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=SavingsStatus.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to cancel."
    )
    version = version_field()


class FromLeverSerializer(serializers.Serializer):
    lever = serializers.CharField(
        max_length=80, help_text="The key of a lever listed at savings-levers."
    )


# --- levers --------------------------------------------------------------------------------------


class LeverFigureSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField()


class LeverSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable: kind, subject and id.")
    kind = serializers.ChoiceField(choices=SavingsKind.choices)
    title = serializers.CharField()
    reason = serializers.CharField()
    supplier = serializers.IntegerField(allow_null=True)
    supplier_name = serializers.CharField(allow_blank=True)
    category = serializers.IntegerField(allow_null=True)
    category_name = serializers.CharField(allow_blank=True)
    contract = serializers.IntegerField(
        allow_null=True, help_text="The contract in force that ends soon (longer term)."
    )
    period_from = serializers.CharField(help_text="YYYY-MM")
    period_to = serializers.CharField(help_text="YYYY-MM")
    spend = amount_field("The twelve months' spend the lever applies to.", output=True)
    saving_rate = serializers.DecimalField(
        max_digits=6, decimal_places=4, help_text="The share of the spend assumed saved."
    )
    estimated_saving = amount_field("Per year.", output=True)
    figures = LeverFigureSerializer(many=True)
    taken_up = serializers.BooleanField(help_text="An initiative was made from it.")
    initiative = serializers.IntegerField(
        allow_null=True, help_text="That initiative, when you may see it."
    )


def lever_value(lever: Any) -> dict[str, Any]:
    def month(value: int) -> str:
        return f"{value // 100}-{value % 100:02d}"

    return {
        "key": lever.key,
        "kind": lever.kind,
        "title": lever.title,
        "reason": lever.reason,
        "supplier": lever.supplier_id,
        "supplier_name": lever.supplier_name,
        "category": lever.category_id,
        "category_name": lever.category_name,
        "contract": lever.contract_id,
        "period_from": month(lever.period.first),
        "period_to": month(lever.period.last),
        "spend": lever.spend,
        "saving_rate": lever.rate,
        "estimated_saving": lever.estimated_saving,
        "figures": [{"label": label, "value": value} for label, value in lever.figures],
        "taken_up": lever.taken_up,
        "initiative": lever.initiative_id,
    }


# --- TCO -----------------------------------------------------------------------------------------


class TcoBreakdownSerializer(serializers.Serializer):
    units = serializers.DecimalField(
        max_digits=22, decimal_places=4, help_text="Annual quantity x horizon years."
    )
    purchase = amount_field(output=True)
    acquisition = amount_field("Freight, duties and other landed costs.", output=True)
    operating = amount_field(output=True)
    support = amount_field(output=True)
    poor_quality = amount_field("Rejections x cost per rejection.", output=True)
    late_delivery = amount_field("Late deliveries x cost per late delivery.", output=True)
    risk = amount_field(output=True)
    total = amount_field("The total cost of ownership over the horizon.", output=True)
    per_unit = _unit("The total per unit bought.", output=True)
    per_year = amount_field(output=True)


class TcoOptionSerializer(RecordOutputSerializer):
    comparison = serializers.IntegerField(source="comparison_id")
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.SerializerMethodField()
    unit_price = _unit(output=True)
    freight_per_unit = _unit(output=True)
    duties_pct = _percent("Of the unit price.", output=True)
    other_landed_per_unit = _unit(output=True)
    operating_cost_per_year = amount_field(output=True)
    support_cost_per_year = amount_field(output=True)
    rejection_rate_pct = _percent(output=True)
    cost_per_rejection = _unit(output=True)
    late_delivery_rate_pct = _percent(output=True)
    cost_per_late_delivery = _unit(output=True)
    risk_cost_per_year = amount_field(output=True)
    notes = serializers.CharField(allow_blank=True)
    defaults = serializers.DictField(
        child=serializers.CharField(),
        help_text="Inputs still at their suggested value → where the suggestion came from.",
    )
    breakdown = serializers.SerializerMethodField()

    def get_supplier_name(self, record: Any) -> str:
        return str(record.supplier)

    @extend_schema_field(TcoBreakdownSerializer)
    def get_breakdown(self, record: Any) -> dict[str, Any]:
        breakdown = tco_breakdown(record)
        values = {name: amount for name, _, amount in breakdown.components()}
        return dict(
            TcoBreakdownSerializer(
                {
                    "units": breakdown.units,
                    **values,
                    "total": breakdown.total,
                    "per_unit": breakdown.per_unit,
                    "per_year": breakdown.per_year,
                }
            ).data
        )


class TcoOptionInputSerializer(serializers.Serializer):
    unit_price = _unit("Empty or left out: the average price paid over 12 months.")
    freight_per_unit = _unit()
    duties_pct = _percent("Of the unit price.")
    other_landed_per_unit = _unit()
    operating_cost_per_year = amount_field()
    support_cost_per_year = amount_field()
    rejection_rate_pct = _percent("Left out: the vendor's latest defect rate.")
    cost_per_rejection = _unit()
    late_delivery_rate_pct = _percent("Left out: 100 minus its latest on-time delivery.")
    cost_per_late_delivery = _unit()
    risk_cost_per_year = amount_field("Left out: derived from the vendor's risk score.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class TcoOptionCreateSerializer(TcoOptionInputSerializer):
    comparison = VisibleRelatedField(
        model=TcoComparison,
        choices=lambda user: TcoComparison.objects.restrict(user, Action.VIEW),
    )
    supplier = VisibleRelatedField(model=Supplier, choices=_vendors)


class TcoOptionUpdateSerializer(TcoOptionInputSerializer):
    version = version_field()


class TcoComparisonSerializer(RecordOutputSerializer):
    title = serializers.CharField()
    category = serializers.IntegerField(source="category_id", allow_null=True)
    item = serializers.CharField(allow_blank=True)
    annual_quantity = serializers.DecimalField(max_digits=18, decimal_places=4)
    horizon_years = serializers.IntegerField()
    owner = serializers.IntegerField(source="owner_id")
    notes = serializers.CharField(allow_blank=True)
    currency = serializers.SerializerMethodField()
    options = serializers.SerializerMethodField()

    def get_currency(self, record: Any) -> str:
        return base_currency()

    @extend_schema_field(TcoOptionSerializer(many=True))
    def get_options(self, record: Any) -> list[Any]:
        """The vendors compared (not archived), each with its breakdown."""
        return list(
            TcoOptionSerializer(
                selectors.live_options(record), many=True, context=self.context
            ).data
        )


class TcoComparisonInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    category = VisibleRelatedField(
        model=Category, choices=_categories, required=False, allow_null=True
    )
    item = serializers.CharField(max_length=80, required=False, allow_blank=True)
    annual_quantity = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=Decimal("0.0001")
    )
    horizon_years = serializers.IntegerField(min_value=1, max_value=30, required=False)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to you."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class TcoComparisonUpdateSerializer(TcoComparisonInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    annual_quantity = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=Decimal("0.0001"), required=False
    )
    version = version_field()
