"""The Kraljic portfolio matrix: profit impact against supply risk, both scored 0 to 100.

Each factor maps to a score from 0 to 100; an axis is the weighted average of the factors that
have data (a factor without data is left out and the other weights are renormalised); a vendor
with no data on an axis is not placed. At or above a threshold counts as high:

    high profit impact, high supply risk  -> strategic
    high profit impact, low supply risk   -> leverage
    low profit impact,  high supply risk  -> bottleneck
    low profit impact,  low supply risk   -> non-critical

``score_in_python`` states the rules for one vendor (and for tests); ``segment_queryset``
applies the same rules to any number of vendors in three set-based statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Least
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from steward.core.expressions import RoundHundredths
from steward.suppliers.choices import Segment, SupplyNature

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Scores of the nature of what is bought: the less standard, the riskier.
NATURE_SCORES: dict[str, Decimal] = {
    SupplyNature.COMMODITY: Decimal(0),
    SupplyNature.STANDARD: Decimal(25),
    SupplyNature.SPECIALIZED: Decimal(75),
    SupplyNature.UNIQUE: Decimal(100),
}
PROFIT_FACTORS = (
    "spend",
    "category_share",
    "criticality",
    "process_integration",
    "knowledge_sharing",
)
RISK_FACTORS = ("alternatives", "switching_cost", "market_scarcity", "risk_score", "supply_nature")
# Input field of each factor on Supplier.
FACTOR_FIELD = {
    "spend": "annual_spend",
    "category_share": "category_share",
    "criticality": "criticality",
    "process_integration": "process_integration",
    "knowledge_sharing": "knowledge_sharing",
    "alternatives": "alternatives",
    "switching_cost": "switching_cost",
    "market_scarcity": "market_scarcity",
    "risk_score": "risk_score",
    "supply_nature": "supply_nature",
}
LEVEL_FACTORS = frozenset(
    {"criticality", "process_integration", "knowledge_sharing", "switching_cost", "market_scarcity"}
)


@dataclass(frozen=True)
class Policy:
    """The numbers segmentation needs, read from SegmentationPolicy."""

    weights: Mapping[str, int]
    profit_threshold: Decimal
    risk_threshold: Decimal
    spend_full_scale: Decimal

    @classmethod
    def from_model(cls, policy: Any) -> Policy:
        return cls(
            weights={f: getattr(policy, f"weight_{f}") for f in (*PROFIT_FACTORS, *RISK_FACTORS)},
            profit_threshold=Decimal(policy.profit_threshold),
            risk_threshold=Decimal(policy.risk_threshold),
            spend_full_scale=Decimal(policy.spend_full_scale),
        )


def check_weights(weights: Mapping[str, int]) -> list[str]:
    """Problems with a set of weights: each axis must sum to 100, none may be negative."""
    problems = []
    for axis, factors in (("profit impact", PROFIT_FACTORS), ("supply risk", RISK_FACTORS)):
        total = sum(weights[f] for f in factors)
        if any(weights[f] < 0 for f in factors):
            problems.append(f"The {axis} weights may not be negative.")
        if total != 100:
            problems.append(f"The {axis} weights add up to {total}; they must add up to 100.")
    return problems


def classify(profit: Decimal | None, risk: Decimal | None, policy: Policy) -> str:
    """The quadrant for two scores, or '' when either axis has no data."""
    if profit is None or risk is None:
        return ""
    high_profit = profit >= policy.profit_threshold
    high_risk = risk >= policy.risk_threshold
    if high_profit:
        return Segment.STRATEGIC if high_risk else Segment.LEVERAGE
    return Segment.BOTTLENECK if high_risk else Segment.NON_CRITICAL


# --- one vendor, in Python ---------------------------------------------------------------------


def factor_score(factor: str, value: Any, policy: Policy) -> Decimal | None:
    """A factor's score from 0 to 100, or None when there is no data."""
    if value is None or value == "":
        return None
    if factor == "spend":
        return min(Decimal(value) / policy.spend_full_scale, Decimal(1)) * HUNDRED
    if factor in ("category_share", "risk_score"):
        return Decimal(value)
    if factor in LEVEL_FACTORS:
        return (Decimal(value) - 1) * 25
    if factor == "alternatives":
        return max(Decimal(0), HUNDRED - 25 * Decimal(value))
    if factor == "supply_nature":
        return NATURE_SCORES[value]
    raise ValueError(factor)


def axis_score(
    values: Mapping[str, Any], factors: tuple[str, ...], policy: Policy
) -> Decimal | None:
    weighted, weights = Decimal(0), 0
    for factor in factors:
        score = factor_score(factor, values.get(FACTOR_FIELD[factor]), policy)
        weight = policy.weights[factor]
        if score is not None and weight:
            weighted += score * weight
            weights += weight
    if not weights:
        return None
    return (weighted / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def score_in_python(
    values: Mapping[str, Any], policy: Policy
) -> tuple[Decimal | None, Decimal | None, str]:
    """(profit impact, supply risk, quadrant) for one vendor's inputs."""
    profit = axis_score(values, PROFIT_FACTORS, policy)
    risk = axis_score(values, RISK_FACTORS, policy)
    return profit, risk, classify(profit, risk, policy)


# --- many vendors, in SQL ----------------------------------------------------------------------

SCORE_FIELD = DecimalField(max_digits=5, decimal_places=2)


def _factor_expression(factor: str, policy: Policy) -> Expression:
    field = F(FACTOR_FIELD[factor])
    if factor == "spend":
        ratio = Cast(field, FloatField()) / Value(float(policy.spend_full_scale))
        return Least(ratio, Value(1.0)) * Value(100.0)
    if factor in ("category_share", "risk_score"):
        return Cast(field, FloatField())
    if factor in LEVEL_FACTORS:
        return (Cast(field, FloatField()) - Value(1.0)) * Value(25.0)
    if factor == "alternatives":
        return Case(
            When(alternatives__gte=4, then=Value(0.0)),
            default=Value(100.0) - Cast(field, FloatField()) * Value(25.0),
            output_field=FloatField(),
        )
    if factor == "supply_nature":
        return Case(
            *[When(supply_nature=k, then=Value(float(v))) for k, v in NATURE_SCORES.items()],
            output_field=FloatField(),
        )
    raise ValueError(factor)


def _has_data(factor: str) -> Q:
    field = FACTOR_FIELD[factor]
    if factor == "supply_nature":
        return Q(supply_nature__in=list(NATURE_SCORES))
    return Q(**{f"{field}__isnull": False})


def axis_expression(factors: tuple[str, ...], policy: Policy) -> Expression:
    """SQL for one axis: the weighted mean of the factors that have data, rounded to 0.01."""
    numerator: Any = Value(0.0)
    denominator: Any = Value(0.0)
    for factor in factors:
        weight = float(policy.weights[factor])
        if not weight:
            continue
        has_data = _has_data(factor)
        numerator += Case(
            When(has_data, then=_factor_expression(factor, policy) * Value(weight)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        denominator += Case(
            When(has_data, then=Value(weight)), default=Value(0.0), output_field=FloatField()
        )
    mean = ExpressionWrapper(numerator / denominator, output_field=FloatField())
    return Case(
        When(GreaterThan(denominator, Value(0.0)), then=RoundHundredths(mean)),
        default=Value(None),
        output_field=SCORE_FIELD,
    )


def classify_expression(policy: Policy) -> Case:
    """SQL for the quadrant from the stored scores."""
    placed = Q(profit_impact__isnull=False, supply_risk__isnull=False)
    high_profit = Q(profit_impact__gte=policy.profit_threshold)
    high_risk = Q(supply_risk__gte=policy.risk_threshold)
    return Case(
        When(placed & high_profit & high_risk, then=Value(Segment.STRATEGIC.value)),
        When(placed & high_profit, then=Value(Segment.LEVERAGE.value)),
        When(placed & high_risk, then=Value(Segment.BOTTLENECK.value)),
        When(placed, then=Value(Segment.NON_CRITICAL.value)),
        default=Value(""),
    )


def effective_segment_expression(policy: Policy) -> Case:
    """The override when one is set, else the computed quadrant."""
    return Case(
        When(~Q(segment_override=""), then=F("segment_override")),
        default=classify_expression(policy),
    )


def with_category_peers(suppliers: QuerySet[Any]) -> QuerySet[Any]:
    """``suppliers`` and every vendor sharing a category with one of them.

    A vendor's share of its categories depends on its peers' spend, so a change to one vendor
    moves its peers' shares too.
    """
    through = suppliers.model.categories.through
    touched = through.objects.filter(supplier_id__in=suppliers.values("pk")).values("category_id")
    peers = through.objects.filter(category_id__in=touched).values("supplier_id")
    return suppliers.model.objects.filter(Q(pk__in=suppliers.values("pk")) | Q(pk__in=peers))


def write_category_shares(suppliers: QuerySet[Any]) -> int:
    """Statements one and two: derive each vendor's share of category spend from the data held.

    A vendor's share is its annual spend over the annual spend of all live vendors in a
    category it supplies, taken in the category where that share is largest (where the vendor
    matters most); that is its spend over the smallest of its categories' totals. The totals
    are one grouped query; the update reads each vendor's own category rows only, so the work
    grows with vendors times their categories, never with vendors times peers. Vendors without
    categories or without spend keep the share typed for them.
    """
    model = suppliers.model
    through = model.categories.through
    totals = dict(
        through.objects.filter(supplier__archived_at__isnull=True, supplier__annual_spend__gt=0)
        .order_by()
        .values("category_id")
        .annotate(total=Sum("supplier__annual_spend"))
        .values_list("category_id", "total")
    )
    if not totals:
        return 0
    total_of = Case(
        *[
            When(category_id=category, then=Value(float(total)))
            for category, total in totals.items()
        ],
        output_field=FloatField(),
    )
    smallest_total = (
        through.objects.filter(supplier_id=OuterRef("pk"), category_id__in=list(totals))
        .order_by()
        .values("supplier_id")
        .annotate(smallest=Min(total_of))
        .values("smallest")
    )
    share = Cast(F("annual_spend"), FloatField()) * Value(100.0) / Subquery(smallest_total)
    has_categories = Exists(through.objects.filter(supplier_id=OuterRef("pk")))
    return int(
        suppliers.filter(has_categories, annual_spend__gt=0).update(
            category_share=Cast(RoundHundredths(share), SCORE_FIELD)
        )
    )


def write_scores(suppliers: QuerySet[Any], policy: Policy) -> int:
    """Statement two: store both axes for every vendor in ``suppliers``."""
    return int(
        suppliers.update(
            profit_impact=axis_expression(PROFIT_FACTORS, policy),
            supply_risk=axis_expression(RISK_FACTORS, policy),
        )
    )


def write_segments(
    suppliers: QuerySet[Any], policy: Policy, *, now: dt.datetime | None = None
) -> int:
    """Statement three: place every vendor from its stored scores (and override)."""
    return int(
        suppliers.update(
            computed_segment=classify_expression(policy),
            segment=effective_segment_expression(policy),
            segmented_at=now or timezone.now(),
        )
    )
