"""Total cost of ownership: the arithmetic by hand and by property, and the suggested inputs."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.services.tco import OPTION_INPUTS, tco_option_add, tco_option_update
from steward.savings.tco import COMPONENTS, TcoInputs, breakdown_of, tco_breakdown, tco_per_unit
from steward.savings.tco_defaults import (
    DEFECT_RATE_MEASURE,
    ON_TIME_DELIVERY_MEASURE,
    RISK_PREMIUM_AT_FULL_RISK,
)
from steward.savings.tests.factories import TcoComparisonFactory, TcoOptionFactory, month_ago
from steward.savings.views.tco import INPUT_ROWS
from steward.scorecards.measures import measure_get
from steward.scorecards.tests.factories import MeasurementFactory
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal


def worked_example() -> TcoInputs:
    return TcoInputs(
        annual_quantity=D(1000),
        horizon_years=3,
        unit_price=D("10"),
        freight_per_unit=D("0.50"),
        duties_pct=D("5"),
        other_landed_per_unit=D("0.25"),
        operating_cost_per_year=D("1000"),
        support_cost_per_year=D("500"),
        rejection_rate_pct=D("2"),
        cost_per_rejection=D("15"),
        late_delivery_rate_pct=D("10"),
        cost_per_late_delivery=D("2.50"),
        risk_cost_per_year=D("400"),
    )


def test_a_worked_example_by_hand() -> None:
    # 3,000 units over 3 years; landed cost per unit 0.50 + 5 % of 10 + 0.25 = 1.25
    breakdown = breakdown_of(worked_example())
    assert breakdown.units == D(3000)
    assert breakdown.purchase == D("30000.00")
    assert breakdown.acquisition == D("3750.00")
    assert breakdown.operating == D("3000.00")
    assert breakdown.support == D("1500.00")
    assert breakdown.poor_quality == D("900.00")  # 60 rejections x 15
    assert breakdown.late_delivery == D("750.00")  # 300 late deliveries x 2.50
    assert breakdown.risk == D("1200.00")
    assert breakdown.total == D("41100.00")
    assert breakdown.per_unit == D("13.7000")
    assert breakdown.per_year == D("13700.00")
    assert breakdown.beyond_price == D("11100.00")
    assert [name for name, _, _ in breakdown.components()] == [name for name, _ in COMPONENTS]


def test_a_saved_option_reads_its_comparison() -> None:
    option = TcoOptionFactory(
        comparison=TcoComparisonFactory(annual_quantity=D(200), horizon_years=2),
        unit_price=D("4.5"),
        support_cost_per_year=D("100"),
    )
    assert tco_breakdown(option).total == D("2000.00")  # 400 x 4.5 + 2 x 100
    assert tco_per_unit(option) == D("5.0000")


def test_the_pages_list_every_input() -> None:
    assert {name for name, _ in INPUT_ROWS} == set(OPTION_INPUTS)


money = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)
quantities = st.decimals(
    min_value=D("0.0001"), max_value=1_000_000, places=4, allow_nan=False, allow_infinity=False
)


@st.composite
def inputs(draw: st.DrawFn) -> TcoInputs:
    return TcoInputs(
        annual_quantity=draw(quantities),
        horizon_years=draw(st.integers(min_value=1, max_value=30)),
        unit_price=draw(money),
        freight_per_unit=draw(money),
        duties_pct=draw(rates),
        other_landed_per_unit=draw(money),
        operating_cost_per_year=draw(money),
        support_cost_per_year=draw(money),
        rejection_rate_pct=draw(rates),
        cost_per_rejection=draw(money),
        late_delivery_rate_pct=draw(rates),
        cost_per_late_delivery=draw(money),
        risk_cost_per_year=draw(money),
    )


@given(inputs())
def test_the_components_add_up_to_the_total(tco: TcoInputs) -> None:
    breakdown = breakdown_of(tco)
    amounts = [amount for _, _, amount in breakdown.components()]
    assert breakdown.total == sum(amounts)
    assert all(amount >= 0 and amount == amount.quantize(D("0.01")) for amount in amounts)
    assert abs(breakdown.per_unit * breakdown.units - breakdown.total) <= breakdown.units / 10_000


@given(inputs())
def test_with_nothing_but_the_price_tco_is_the_purchase(tco: TcoInputs) -> None:
    bare = TcoInputs(
        annual_quantity=tco.annual_quantity,
        horizon_years=tco.horizon_years,
        unit_price=tco.unit_price,
    )
    breakdown = breakdown_of(bare)
    expected = (tco.unit_price * tco.annual_quantity * tco.horizon_years).quantize(
        D("0.01"), ROUND_HALF_UP
    )
    assert breakdown.total == breakdown.purchase == expected


@given(inputs(), st.sampled_from(sorted(OPTION_INPUTS)), money)
def test_a_higher_cost_never_lowers_the_tco(tco: TcoInputs, field: str, more: Decimal) -> None:
    higher = getattr(tco, field) + more
    if field.endswith("_pct"):
        higher = min(higher, D(100))
    raised = TcoInputs(**{**vars(tco), field: higher})
    assert breakdown_of(raised).total >= breakdown_of(tco).total


# --- suggested inputs ---------------------------------------------------------------------------


def test_the_defaults_read_the_ledger_scorecards_and_risk(cast: Cast) -> None:
    # Given a vendor with priced spend in the category, measurements and a risk score
    steel, other = CategoryFactory(), CategoryFactory()
    vendor = SupplierFactory(relationship=cast.rel_a, risk_score=D("40"))
    store(
        [
            Line(vendor, month_ago(2, day=5), D("1000"), category=steel, quantity=D(100)),
            Line(vendor, month_ago(3, day=9), D("1100"), category=steel, quantity=D(100)),
            Line(vendor, month_ago(3, day=10), D("5000"), category=other, quantity=D(10)),
            Line(vendor, month_ago(4, day=2), D("700"), category=steel),  # no quantity
            Line(vendor, month_ago(14, day=1), D("9999"), category=steel, quantity=D(1)),
        ]
    )
    MeasurementFactory(
        relationship=cast.rel_a, measure=DEFECT_RATE_MEASURE, value=D("9"), measured_on=month_ago(6)
    )
    MeasurementFactory(
        relationship=cast.rel_a,
        measure=DEFECT_RATE_MEASURE,
        value=D("3.5"),
        measured_on=month_ago(1),
    )
    MeasurementFactory(
        relationship=cast.rel_a,
        measure=ON_TIME_DELIVERY_MEASURE,
        value=D("92"),
        measured_on=month_ago(1),
    )
    comparison = TcoComparisonFactory(owner=cast.owner, category=steel, annual_quantity=D(1000))
    # When the owner adds the vendor without typing anything
    option = tco_option_add(actor=cast.owner, comparison=comparison, supplier=vendor)
    # Then the price is the average paid in the category over 12 months, the rates come from
    # the latest measurements and the risk cost from the risk score
    assert option.unit_price == D("10.5000")  # 2,100 for 200 units
    assert option.rejection_rate_pct == D("3.500")
    assert option.late_delivery_rate_pct == D("8.000")
    assert D("0.10") == RISK_PREMIUM_AT_FULL_RISK
    assert option.risk_cost_per_year == D("420.00")  # 10.5 x 1000 x 40 % x 10 %
    assert set(option.defaults) == {
        "unit_price",
        "rejection_rate_pct",
        "late_delivery_rate_pct",
        "risk_cost_per_year",
    }
    assert "200 units" in option.defaults["unit_price"]
    assert option.freight_per_unit == 0


def test_typed_values_win_and_leave_the_defaults(cast: Cast) -> None:
    vendor = SupplierFactory(relationship=cast.rel_a, risk_score=D("50"))
    comparison = TcoComparisonFactory(owner=cast.owner, annual_quantity=D(100))
    option = tco_option_add(
        actor=cast.owner, comparison=comparison, supplier=vendor, unit_price=D("20")
    )
    assert option.unit_price == D("20")
    assert set(option.defaults) == {"risk_cost_per_year"}
    assert option.risk_cost_per_year == D("100.00")  # 20 x 100 x 50 % x 10 %
    # When the risk cost is typed later, it is no longer a suggestion
    changed = tco_option_update(
        actor=cast.owner,
        option=option,
        expected_version=option.version,
        risk_cost_per_year=D("75"),
    )
    assert changed.defaults == {}
    assert changed.risk_cost_per_year == D("75")


def test_without_a_price_paid_the_unit_price_must_be_typed(cast: Cast) -> None:
    vendor = SupplierFactory(relationship=cast.rel_a)
    comparison = TcoComparisonFactory(owner=cast.owner)
    with pytest.raises(DomainError) as refused:
        tco_option_add(actor=cast.owner, comparison=comparison, supplier=vendor)
    assert refused.value.field == "unit_price"
    assert not comparison.options.exists()


def test_a_price_is_suggested_only_from_spend_the_user_may_see(cast: Cast) -> None:
    # Given spend with a vendor of B's relationship, which A's owner does not see
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    store([Line(vendor_b, month_ago(1, day=3), D("100"), quantity=D(10))])
    finance = UserFactory(profile__function=Function.FINANCE)
    comparison = TcoComparisonFactory(owner=finance)
    # Finance sees all spend: the price is suggested
    option = tco_option_add(actor=finance, comparison=comparison, supplier=vendor_b)
    assert option.unit_price == D("10.0000")
    # A's owner may not even name the vendor
    mine = TcoComparisonFactory(owner=cast.owner)
    with pytest.raises(DomainError) as refused:
        tco_option_add(actor=cast.owner, comparison=mine, supplier=vendor_b, unit_price=D(1))
    assert refused.value.field == "supplier"


def test_the_measures_the_defaults_read_exist() -> None:
    assert measure_get(DEFECT_RATE_MEASURE) is not None
    assert measure_get(ON_TIME_DELIVERY_MEASURE) is not None
