"""Total cost of ownership: what buying from a vendor costs over a horizon, component by component.

The public interface other apps use (the sourcing award, scorecards)::

    from steward.savings.tco import tco_breakdown, tco_per_unit

    breakdown = tco_breakdown(option)    # a TcoBreakdown: every component, the total, per unit
    per_unit = tco_per_unit(option)      # Decimal, the total divided by the units bought

Both read a ``TcoOption`` and its comparison (quantity per year, horizon in years) and touch no
database beyond those two rows. ``breakdown_of(inputs)`` does the same arithmetic for inputs
that are not saved (a what-if, a bid), through the ``TcoInputs`` value.

The arithmetic, with Q = annual quantity x horizon years (units bought over the horizon) and Y =
horizon years:

- purchase       = unit price x Q
- acquisition    = (freight per unit + unit price x duties % + other landed cost per unit) x Q
- operating      = operating cost per year x Y
- support        = support cost per year x Y
- poor quality   = Q x rejection rate % x cost per rejection
- late delivery  = Q x late-delivery rate % x cost per late delivery
- risk           = risk cost per year x Y
- total          = the sum of the seven; per unit = total / Q

Amounts are ``Decimal`` in the base currency, each component rounded to cents once (half up),
and the total is the sum of the rounded components, so the parts always add up to the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from steward.savings.models import TcoOption

CENT = Decimal("0.01")
UNIT = Decimal("0.0001")
HUNDRED = Decimal(100)

# (attribute, label) in the order the pages and the chart stack them.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("purchase", "Purchase"),
    ("acquisition", "Acquisition (freight, duties, landed)"),
    ("operating", "Operating"),
    ("support", "Support"),
    ("poor_quality", "Cost of poor quality"),
    ("late_delivery", "Late delivery"),
    ("risk", "Risk"),
)


@dataclass(frozen=True)
class TcoInputs:
    """What the arithmetic needs; ``TcoInputs.of(option)`` reads a saved option."""

    annual_quantity: Decimal
    horizon_years: int
    unit_price: Decimal
    freight_per_unit: Decimal = Decimal(0)
    duties_pct: Decimal = Decimal(0)
    other_landed_per_unit: Decimal = Decimal(0)
    operating_cost_per_year: Decimal = Decimal(0)
    support_cost_per_year: Decimal = Decimal(0)
    rejection_rate_pct: Decimal = Decimal(0)
    cost_per_rejection: Decimal = Decimal(0)
    late_delivery_rate_pct: Decimal = Decimal(0)
    cost_per_late_delivery: Decimal = Decimal(0)
    risk_cost_per_year: Decimal = Decimal(0)

    @classmethod
    def of(cls, option: TcoOption) -> TcoInputs:
        comparison = option.comparison
        return cls(
            annual_quantity=comparison.annual_quantity,
            horizon_years=comparison.horizon_years,
            unit_price=option.unit_price,
            freight_per_unit=option.freight_per_unit,
            duties_pct=option.duties_pct,
            other_landed_per_unit=option.other_landed_per_unit,
            operating_cost_per_year=option.operating_cost_per_year,
            support_cost_per_year=option.support_cost_per_year,
            rejection_rate_pct=option.rejection_rate_pct,
            cost_per_rejection=option.cost_per_rejection,
            late_delivery_rate_pct=option.late_delivery_rate_pct,
            cost_per_late_delivery=option.cost_per_late_delivery,
            risk_cost_per_year=option.risk_cost_per_year,
        )


@dataclass(frozen=True)
class TcoBreakdown:
    """Every component over the horizon, their total, and the total per unit bought."""

    units: Decimal  # annual quantity x horizon years
    horizon_years: int
    purchase: Decimal
    acquisition: Decimal
    operating: Decimal
    support: Decimal
    poor_quality: Decimal
    late_delivery: Decimal
    risk: Decimal

    @property
    def total(self) -> Decimal:
        return sum((amount for _, _, amount in self.components()), Decimal(0))

    @property
    def per_unit(self) -> Decimal:
        return (self.total / self.units).quantize(UNIT, ROUND_HALF_UP)

    @property
    def per_year(self) -> Decimal:
        return (self.total / self.horizon_years).quantize(CENT, ROUND_HALF_UP)

    @property
    def beyond_price(self) -> Decimal:
        """What the vendor costs on top of the price paid."""
        return self.total - self.purchase

    def components(self) -> list[tuple[str, str, Decimal]]:
        """(attribute, label, amount) in the order of ``COMPONENTS``."""
        return [(name, label, getattr(self, name)) for name, label in COMPONENTS]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def breakdown_of(inputs: TcoInputs) -> TcoBreakdown:
    """The TCO of ``inputs`` (see the module's docstring for the arithmetic)."""
    years = Decimal(inputs.horizon_years)
    units = inputs.annual_quantity * years
    landed = (
        inputs.freight_per_unit
        + inputs.unit_price * inputs.duties_pct / HUNDRED
        + inputs.other_landed_per_unit
    )
    return TcoBreakdown(
        units=units,
        horizon_years=inputs.horizon_years,
        purchase=_cents(inputs.unit_price * units),
        acquisition=_cents(landed * units),
        operating=_cents(inputs.operating_cost_per_year * years),
        support=_cents(inputs.support_cost_per_year * years),
        poor_quality=_cents(
            units * inputs.rejection_rate_pct / HUNDRED * inputs.cost_per_rejection
        ),
        late_delivery=_cents(
            units * inputs.late_delivery_rate_pct / HUNDRED * inputs.cost_per_late_delivery
        ),
        risk=_cents(inputs.risk_cost_per_year * years),
    )


def tco_breakdown(option: TcoOption) -> TcoBreakdown:
    """The TCO of a saved option over its comparison's horizon, component by component."""
    return breakdown_of(TcoInputs.of(option))


def tco_per_unit(option: TcoOption) -> Decimal:
    """What one unit bought from the option's vendor really costs (4 decimal places)."""
    return tco_breakdown(option).per_unit
