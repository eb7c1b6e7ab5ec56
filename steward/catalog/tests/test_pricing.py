"""The bundle price rule, by hand and by property."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.catalog.pricing import PricedItem, bundle_price

D = Decimal


def test_without_a_price_a_bundle_sells_for_its_items_at_list_price() -> None:
    # Given 2 x 100.00 (cost 60) and 1 x 49.50 (cost 20.25), all in EUR
    items = [
        PricedItem(D(2), D("100.00"), D("60.00"), "EUR"),
        PricedItem(D(1), D("49.50"), D("20.25"), "EUR"),
    ]
    # When the bundle has no price of its own
    price = bundle_price(currency="EUR", own_price=None, items=items)
    # Then 2 x 100 + 49.50 = 249.50, cost 2 x 60 + 20.25 = 140.25, margin 109.25 (43.79 %)
    assert price.price == D("249.50")
    assert price.cost == D("140.25")
    assert price.margin == D("109.25")
    assert round(price.margin_percent, 2) == D("43.79")
    assert not price.fixed


def test_an_own_price_wins_over_the_items() -> None:
    items = [PricedItem(D(3), D("10"), D("4"), "EUR")]
    price = bundle_price(currency="EUR", own_price=D("25"), items=items)
    # 25 (its own) rather than 30; cost 12, margin 13
    assert (price.price, price.list_total, price.margin, price.fixed) == (
        D("25"),
        D("30"),
        D("13"),
        True,
    )


def test_an_item_in_another_currency_leaves_the_sum_out() -> None:
    items = [PricedItem(D(1), D("10"), D("4"), "EUR"), PricedItem(D(1), D("10"), D("4"), "USD")]
    price = bundle_price(currency="EUR", own_price=None, items=items)
    assert price.price is None
    assert price.mismatched == 1
    assert price.margin is None


def test_an_empty_bundle_costs_nothing() -> None:
    price = bundle_price(currency="EUR", own_price=None, items=[])
    assert price.price == 0
    assert price.margin_percent is None


amounts = st.decimals(min_value=0, max_value=10_000, places=2)


@given(st.lists(st.tuples(st.integers(1, 20), amounts, amounts), max_size=8))
def test_the_sum_is_linear_in_the_items(rows: list[tuple[int, Decimal, Decimal]]) -> None:
    items = [PricedItem(D(q), price, cost, "EUR") for q, price, cost in rows]
    price = bundle_price(currency="EUR", own_price=None, items=items)
    assert price.price == sum((D(q) * p for q, p, _ in rows), D(0))
    assert price.margin == price.price - sum((D(q) * c for q, _, c in rows), D(0))
