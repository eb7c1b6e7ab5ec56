"""The Kraljic matrix: hand-computed cases, threshold edges, and SQL that agrees with the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.suppliers import segmentation, services
from steward.suppliers.choices import Segment, SupplyNature
from steward.suppliers.models import SegmentChange, Supplier
from steward.suppliers.segmentation import Policy, check_weights, classify, score_in_python
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

DEFAULT_WEIGHTS = {
    "spend": 40,
    "category_share": 20,
    "criticality": 20,
    "process_integration": 10,
    "knowledge_sharing": 10,
    "alternatives": 30,
    "switching_cost": 20,
    "market_scarcity": 20,
    "risk_score": 15,
    "supply_nature": 15,
}
POLICY = Policy(
    weights=DEFAULT_WEIGHTS,
    profit_threshold=Decimal(50),
    risk_threshold=Decimal(50),
    spend_full_scale=Decimal(1_000_000),
)


def test_a_big_critical_sole_source_vendor_is_strategic() -> None:
    values = {
        "annual_spend": Decimal(2_000_000),  # capped: 100
        "category_share": Decimal(60),  # 60
        "criticality": 5,  # 100
        "process_integration": 4,  # 75
        "knowledge_sharing": 3,  # 50
        "alternatives": 0,  # 100
        "switching_cost": 5,  # 100
        "market_scarcity": 4,  # 75
        "risk_score": Decimal(40),  # 40
        "supply_nature": SupplyNature.UNIQUE,  # 100
    }
    # By hand, profit impact is (100 * 40 + 60 * 20 + 100 * 20 + 75 * 10 + 50 * 10) / 100,
    # i.e. 84.50, and supply risk is (100 * 30 + 100 * 20 + 75 * 20 + 40 * 15 + 100 * 15) / 100,
    # i.e. 86.00.
    assert score_in_python(values, POLICY) == (
        Decimal("84.50"),
        Decimal("86.00"),
        Segment.STRATEGIC,
    )


def test_big_spend_with_many_alternatives_is_leverage() -> None:
    values = {
        "annual_spend": Decimal(900_000),  # 90
        "category_share": Decimal(50),  # 50
        "criticality": 3,  # 50
        "alternatives": 6,  # 0
        "switching_cost": 1,  # 0
        "supply_nature": SupplyNature.COMMODITY,  # 0
    }
    # By hand, profit impact is (90 * 40 + 50 * 20 + 50 * 20) / 80, i.e. 70.00 (process and
    # knowledge have no data), and supply risk is (0 * 30 + 0 * 20 + 0 * 15) / 65, i.e. 0.00.
    assert score_in_python(values, POLICY) == (Decimal("70.00"), Decimal("0.00"), Segment.LEVERAGE)


def test_small_spend_on_a_scarce_specialty_is_a_bottleneck() -> None:
    values = {
        "annual_spend": Decimal(50_000),  # 5
        "criticality": 2,  # 25
        "alternatives": 1,  # 75
        "market_scarcity": 5,  # 100
        "supply_nature": SupplyNature.SPECIALIZED,  # 75
    }
    # By hand, profit impact is (5 * 40 + 25 * 20) / 60, i.e. 11.67, and supply risk is
    # (75 * 30 + 100 * 20 + 75 * 15) / 65, i.e. 82.69.
    assert score_in_python(values, POLICY) == (
        Decimal("11.67"),
        Decimal("82.69"),
        Segment.BOTTLENECK,
    )


def test_small_spend_on_a_commodity_is_non_critical() -> None:
    values = {"annual_spend": Decimal(10_000), "alternatives": 9, "risk_score": Decimal(10)}
    # By hand, profit impact is 1.00 and supply risk is (0 * 30 + 10 * 15) / 45, i.e. 3.33.
    assert score_in_python(values, POLICY) == (
        Decimal("1.00"),
        Decimal("3.33"),
        Segment.NON_CRITICAL,
    )


@pytest.mark.parametrize(
    ("profit", "risk", "segment"),
    [
        ("50.00", "50.00", Segment.STRATEGIC),  # both thresholds are "high", inclusive
        ("49.99", "50.00", Segment.BOTTLENECK),
        ("50.00", "49.99", Segment.LEVERAGE),
        ("49.99", "49.99", Segment.NON_CRITICAL),
        ("100.00", "0.00", Segment.LEVERAGE),
        ("0.00", "100.00", Segment.BOTTLENECK),
    ],
)
def test_threshold_edges(profit: str, risk: str, segment: str) -> None:
    assert classify(Decimal(profit), Decimal(risk), POLICY) == segment


def test_no_data_on_an_axis_places_nothing() -> None:
    assert score_in_python({"annual_spend": Decimal(5)}, POLICY)[2] == ""
    assert score_in_python({}, POLICY) == (None, None, "")


def test_weights_must_add_up_to_a_hundred_per_axis() -> None:
    assert check_weights(DEFAULT_WEIGHTS) == []
    problems = check_weights({**DEFAULT_WEIGHTS, "spend": 50})
    assert problems == ["The profit impact weights add up to 110; they must add up to 100."]


levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
percent = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
inputs = st.fixed_dictionaries(
    {
        "annual_spend": st.one_of(
            st.none(), st.decimals(min_value=0, max_value=5_000_000, places=2)
        ),
        "category_share": percent,
        "criticality": levels,
        "process_integration": levels,
        "knowledge_sharing": levels,
        "alternatives": st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
        "switching_cost": levels,
        "market_scarcity": levels,
        "risk_score": percent,
        "supply_nature": st.sampled_from(["", *SupplyNature.values]),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=inputs)
def test_the_database_places_a_vendor_exactly_as_the_rules_say(values: dict[str, Any]) -> None:
    # given a vendor with any inputs, when the set-based pass places it
    supplier = SupplierFactory(**values)
    services.segment_suppliers(suppliers=Supplier.objects.filter(pk=supplier.pk), cause="test")
    supplier.refresh_from_db()
    # then the stored scores match the Python rules to the cent, and so does the quadrant
    # unless a score sits within a cent of a threshold (float arithmetic in SQLite)
    profit, risk, segment = score_in_python(values, POLICY)
    for stored, expected in ((supplier.profit_impact, profit), (supplier.supply_risk, risk)):
        if expected is None:
            assert stored is None
        else:
            assert abs(Decimal(stored) - expected) <= Decimal("0.01")
    near_edge = any(
        value is not None and abs(value - Decimal(50)) <= Decimal("0.01")
        for value in (profit, risk)
    )
    if not near_edge:
        assert supplier.computed_segment == segment
        assert supplier.segment == segment


@pytest.mark.django_db
def test_changing_a_weight_re_places_every_vendor_in_a_constant_number_of_queries(
    cast: Cast,
) -> None:
    SupplierFactory.create_batch(3, annual_spend=Decimal(800_000), alternatives=5)
    policy = services.segmentation_policy()

    def resegment() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.segment_suppliers(cause="test")
        return len(queries)

    few = resegment()
    SupplierFactory.create_batch(40, annual_spend=Decimal(100), alternatives=0)
    assert resegment() == few
    assert policy.version >= 1


@pytest.mark.django_db
def test_a_vendor_that_changes_quadrant_is_recorded_and_its_owner_alerted(cast: Cast) -> None:
    # given a leverage vendor owned by the cast's owner
    supplier = SupplierFactory(
        relationship__owner=cast.owner, annual_spend=Decimal(900_000), alternatives=6
    )
    services.segment_suppliers(cause="initial")
    supplier.refresh_from_db()
    assert supplier.segment == Segment.LEVERAGE
    assert not Notification.objects.filter(recipient=cast.owner).exists()  # first placement
    # when the supply risk weights shift so that scarcity dominates, and its market dries up
    Supplier.objects.filter(pk=supplier.pk).update(market_scarcity=5, alternatives=0)
    moved = services.segment_suppliers(cause="market report")
    # then it moved to strategic, the move is recorded, and its owner has an alert
    supplier.refresh_from_db()
    assert moved == 1
    assert supplier.segment == Segment.STRATEGIC
    change = SegmentChange.objects.get(supplier=supplier, from_segment=Segment.LEVERAGE)
    assert change.to_segment == Segment.STRATEGIC
    assert change.cause == "market report"
    alert = Notification.objects.get(recipient=cast.owner)
    assert "moved from Leverage to Strategic" in alert.title


@pytest.mark.django_db
def test_an_override_wins_and_needs_a_reason(cast: Cast) -> None:
    from steward.core.errors import DomainError

    supplier = SupplierFactory(
        relationship__owner=cast.owner, annual_spend=Decimal(10), alternatives=9
    )
    services.segment_suppliers(cause="initial")
    supplier.refresh_from_db()
    assert supplier.segment == Segment.NON_CRITICAL
    with pytest.raises(DomainError):
        services.supplier_override_segment(
            actor=cast.owner,
            supplier=supplier,
            expected_version=supplier.version,
            segment=Segment.BOTTLENECK,
            reason=" ",
        )
    services.supplier_override_segment(
        actor=cast.owner,
        supplier=supplier,
        expected_version=supplier.version,
        segment=Segment.BOTTLENECK,
        reason="Only certified source for our medical devices",
    )
    supplier.refresh_from_db()
    assert (supplier.computed_segment, supplier.segment) == (
        Segment.NON_CRITICAL,
        Segment.BOTTLENECK,
    )


@pytest.mark.django_db
def test_policy_weights_are_validated_and_re_segment_everyone(cast: Cast) -> None:
    from steward.core.errors import DomainError

    SupplierFactory(annual_spend=Decimal(600_000), alternatives=6)
    policy = services.segmentation_policy()
    with pytest.raises(DomainError) as refused:
        services.segmentation_policy_update(
            actor=cast.admin, expected_version=policy.version, weight_spend=90
        )
    assert "add up to 150" in refused.value.message
    assert segmentation.Policy.from_model(services.segmentation_policy()).weights["spend"] == 40
    # raising the profit threshold above the vendor's score makes it non-critical
    services.segmentation_policy_update(
        actor=cast.admin, expected_version=policy.version, profit_threshold=Decimal(90)
    )
    assert Supplier.objects.get().segment == Segment.NON_CRITICAL


@pytest.mark.django_db
def test_category_share_is_derived_from_the_spend_of_the_vendors_in_its_categories(
    cast: Cast,
) -> None:
    # given three vendors in one category and one that also supplies a second category
    hosting, licences = CategoryFactory(code="hosting"), CategoryFactory(code="licences")
    small = SupplierFactory(annual_spend=Decimal(100_000))
    middle = SupplierFactory(annual_spend=Decimal(300_000))
    large = SupplierFactory(annual_spend=Decimal(600_000))
    licensor = SupplierFactory(annual_spend=Decimal(200_000), category_share=Decimal(99))
    untouched = SupplierFactory(annual_spend=Decimal(50_000), category_share=Decimal(42))
    for supplier in (small, middle, large):
        supplier.categories.add(hosting)
    licensor.categories.add(licences)
    # when every vendor is placed
    services.segment_suppliers(cause="test")
    # then each share is its spend over its categories' spend, computed by hand:
    # 100k, 300k and 600k of 1,000k in hosting; 200k of 200k in licences
    shares = dict(Supplier.objects.values_list("pk", "category_share"))
    assert shares[small.pk] == Decimal("10.00")
    assert shares[middle.pk] == Decimal("30.00")
    assert shares[large.pk] == Decimal("60.00")
    assert shares[licensor.pk] == Decimal("100.00")
    # and a vendor without categories keeps the share typed for it
    assert shares[untouched.pk] == Decimal("42.00")

    # when the licensor also supplies hosting and only its own record is re-placed
    licensor.categories.add(hosting)
    services.segment_suppliers(suppliers=Supplier.objects.filter(pk=licensor.pk), cause="test")
    # then its peers' shares move with it (hosting now holds 1,200k)
    shares = dict(Supplier.objects.values_list("pk", "category_share"))
    assert shares[small.pk] == Decimal("8.33")
    assert shares[large.pk] == Decimal("50.00")
    # and the licensor's share is taken where it matters most: 200k of 200k in licences,
    # not 200k of 1,200k in hosting
    assert shares[licensor.pk] == Decimal("100.00")

    # when the licensor's spend grows and a rival joins licences
    rival = SupplierFactory(annual_spend=Decimal(600_000))
    rival.categories.add(licences)
    services.segment_suppliers(suppliers=Supplier.objects.filter(pk=rival.pk), cause="test")
    # then licences holds 800k: the licensor 25 %, the rival 75 %; hosting is unchanged
    shares = dict(Supplier.objects.values_list("pk", "category_share"))
    assert shares[licensor.pk] == Decimal("25.00")
    assert shares[rival.pk] == Decimal("75.00")
    assert shares[small.pk] == Decimal("8.33")
