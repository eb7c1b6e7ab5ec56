"""Serializers of the awards API: outputs render rows (and the comparison), inputs only parse
types; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from steward.awards import evaluation as ev
from steward.awards.matrix import Cell, Comparison, Row, VendorTotal
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.core.access import Action, principal_for
from steward.core.api.fields import FlatListField, VisibleRelatedField
from steward.sourcing.models import EvaluationCriterion, EventInvitation

TEXT_MAX = 4000


def _amount(places: int = 2, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=30, decimal_places=places, **kwargs)


def _id(help_text: str, *, required: bool = True) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=required, help_text=help_text
    )


def _text(*, required: bool = False) -> serializers.CharField:
    if required:
        return serializers.CharField(max_length=TEXT_MAX)
    return serializers.CharField(max_length=TEXT_MAX, allow_blank=True, required=False, default="")


# --- criterion scores ------------------------------------------------------------------------


class SourcingCriterionScoreSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="invitation.event_id", read_only=True)

    class Meta:
        model = CriterionScore
        fields = [
            "id",
            "event",
            "invitation",
            "criterion",
            "value",
            "note",
            "scored_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SourcingCriterionScoreInputSerializer(serializers.Serializer):
    invitation = VisibleRelatedField(
        model=EventInvitation,
        choices=lambda user: EventInvitation.objects.restrict(user, Action.VIEW),
    )
    criterion = VisibleRelatedField(
        model=EvaluationCriterion,
        choices=lambda user: EvaluationCriterion.objects.restrict(user, Action.VIEW),
    )
    value = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal(0), max_value=Decimal("0.3")
    )
    note = _text()


# --- awards ------------------------------------------------------------------------------------


class _VendorView(serializers.ModelSerializer):
    """Portal users read their own award without the buyer's internal notes and links."""

    internal_fields: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and principal_for(request.user).is_external:
            for name in self.internal_fields:
                data[name] = "" if isinstance(data.get(name), str) else None
        return data


class AwardLineSerializer(_VendorView):
    internal_fields = ("baseline_unit_price",)
    number = serializers.IntegerField(source="line.number", read_only=True)
    description = serializers.CharField(source="line.description", read_only=True)
    unit = serializers.CharField(source="line.unit", read_only=True)
    total = _amount(read_only=True)

    class Meta:
        model = AwardLine
        fields = [
            "id",
            "award",
            "line",
            "number",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "total",
            "baseline_unit_price",
            "bid_line",
        ]
        read_only_fields = fields


class AwardSerializer(_VendorView):
    internal_fields = ("low_bid_justification", "contract", "savings", "previous", "rank")
    event_reference = serializers.CharField(source="event.reference", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    currency = serializers.CharField(source="event.currency", read_only=True)
    supplier = serializers.IntegerField(source="invitation.supplier_id", read_only=True)
    supplier_name = serializers.CharField(source="invitation.supplier", read_only=True)
    rank = serializers.IntegerField(read_only=True, allow_null=True)
    lines = AwardLineSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "event",
            "event_reference",
            "event_title",
            "invitation",
            "supplier",
            "supplier_name",
            "bid",
            "status",
            "rank",
            "previous",
            "confirm_by",
            "responded_at",
            "response_note",
            "low_bid_justification",
            "total",
            "currency",
            "contract",
            "savings",
            "lines",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class AwardReasonSerializer(serializers.Serializer):
    reason = _text(required=True)


class AwardAllocationSerializer(serializers.Serializer):
    line = _id("An event line's id.")
    invitation = _id("The invitation (vendor) it goes to.")


class AwardProposeSerializer(serializers.Serializer):
    invitation = _id("A single award: the invitation that gets every line.", required=False)
    lines = FlatListField(
        child=AwardAllocationSerializer(),
        required=False,
        help_text="A split award: each line and the invitation it goes to.",
    )
    rationale = _text(required=True)
    low_bid_justification = _text()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("invitation" in attrs) == ("lines" in attrs):
            raise serializers.ValidationError(
                {"invitation": "Give either an invitation (single) or lines (split)."},
                code="invalid",
            )
        return attrs


# --- the comparison ----------------------------------------------------------------------------


class ComparisonFeatureSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    value = _amount(4)


class ComparisonOfferSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    supplier = serializers.IntegerField()
    supplier_name = serializers.CharField()
    rank = serializers.IntegerField()
    bid = serializers.IntegerField()
    bid_currency = serializers.CharField()
    bid_unit_price = _amount(4)
    price_per = _amount(3)
    unit_price = _amount(4, help_text="Per line unit, in the event's currency.")
    line_total = _amount()
    lead_time_days = serializers.IntegerField()
    expected_delivery = serializers.DateField()
    days_late = serializers.IntegerField()
    delivery_cost = _amount()
    lifecycle_cost = _amount()
    features = ComparisonFeatureSerializer(many=True)
    evaluated_price = _amount()
    quality_cost = _amount()
    scorecard_adjustment = _amount()
    scorecard_note = serializers.CharField(allow_blank=True)
    tco = _amount()
    abnormally_low = serializers.ListField(child=serializers.CharField())
    saving = _amount(allow_null=True)


class ComparisonLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    number = serializers.IntegerField()
    description = serializers.CharField()
    quantity = _amount(3)
    unit = serializers.CharField()
    target_delivery_date = serializers.DateField(allow_null=True)
    baseline = _amount(4, allow_null=True)
    baseline_kind = serializers.CharField(allow_blank=True)
    offers = ComparisonOfferSerializer(many=True)
    without_offer = serializers.ListField(child=serializers.IntegerField())


class ComparisonVendorTotalSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    supplier = serializers.IntegerField()
    supplier_name = serializers.CharField()
    lines_bid = serializers.IntegerField()
    complete = serializers.BooleanField()
    price = _amount()
    tco = _amount()
    saving = _amount(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    scorecard_score = _amount(allow_null=True)


class ComparisonSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    currency = serializers.CharField()
    rate_day = serializers.DateField()
    rates = serializers.DictField(child=_amount(10))
    evaluation_method = serializers.CharField()
    award_rule = serializers.CharField()
    lines = ComparisonLineSerializer(many=True)
    totals = ComparisonVendorTotalSerializer(many=True)


def _offer(cell: Cell) -> dict[str, Any]:
    cost = cell.cost
    return {
        "invitation": cell.invitation.pk,
        "supplier": cell.invitation.supplier_id,
        "supplier_name": str(cell.invitation.supplier),
        "rank": cell.rank,
        "bid": cell.bid_line.bid_id,
        "bid_currency": cell.currency,
        "bid_unit_price": cell.bid_line.unit_price,
        "price_per": cell.bid_line.price_per,
        "unit_price": ev.money(cost.unit_price, ev.UNIT),
        "line_total": ev.money(cost.price),
        "lead_time_days": cell.bid_line.lead_time_days,
        "expected_delivery": cell.expected_delivery,
        "days_late": cell.days_late,
        "delivery_cost": ev.money(cost.delivery_cost),
        "lifecycle_cost": ev.money(cost.lifecycle_cost),
        "features": [
            {"criterion": c.pk, "name": c.name, "value": value} for c, value in cell.features
        ],
        "evaluated_price": ev.money(cost.evaluated),
        "quality_cost": ev.money(cost.quality_cost),
        "scorecard_adjustment": ev.money(cost.scorecard_adjustment),
        "scorecard_note": cost.scorecard_note,
        "tco": ev.money(cost.tco),
        "abnormally_low": cell.flag_labels,
        "saving": ev.money(cell.saving) if cell.saving is not None else None,
    }


def _line(row: Row) -> dict[str, Any]:
    line = row.line
    return {
        "line": line.pk,
        "number": line.number,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "target_delivery_date": line.target_delivery_date,
        "baseline": row.baseline,
        "baseline_kind": row.baseline_kind,
        "offers": [_offer(cell) for cell in row.cells],
        "without_offer": [i.pk for i in row.without_offer],
    }


def _total(total: VendorTotal) -> dict[str, Any]:
    card = total.scorecard
    return {
        "invitation": total.invitation.pk,
        "supplier": total.invitation.supplier_id,
        "supplier_name": str(total.invitation.supplier),
        "lines_bid": total.lines_bid,
        "complete": total.complete,
        "price": ev.money(total.price),
        "tco": ev.money(total.tco),
        "saving": ev.money(total.saving) if total.saving is not None else None,
        "rank": total.rank,
        "scorecard_score": card.score if card is not None else None,
    }


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    event = comparison.event
    return {
        "event": event.pk,
        "currency": event.currency,
        "rate_day": comparison.sheet.rate_day,
        "rates": comparison.sheet.rates,
        "evaluation_method": event.evaluation_method,
        "award_rule": event.award_rule,
        "lines": [_line(row) for row in comparison.rows],
        "totals": [_total(total) for total in comparison.totals],
    }
