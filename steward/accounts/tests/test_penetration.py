"""The whitespace arithmetic: hand-computed examples and properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from steward.accounts.choices import Holder
from steward.accounts.penetration import HolderTotals, penetration_of

D = Decimal
EUR = {"EUR": D(1)}


def test_a_worked_example_with_a_cell_in_another_currency() -> None:
    # Given, in an EUR account (1 USD = 0.90 EUR today):
    #   us          1 cell, spend 10,000 EUR
    #   competitor  1 cell, spend 30,000 EUR, potential 20,000 EUR
    #   unknown     1 cell,                   potential  5,000 USD (= 4,500 EUR)
    #   in-house    1 cell, spend  1,000 USD (= 900 EUR), potential 2,000 USD (= 1,800 EUR)
    #   not a fit   1 cell, spend 50,000 EUR, potential 9,999 EUR (left out everywhere)
    totals = [
        HolderTotals(Holder.US, "EUR", 1, spend=D(10_000)),
        HolderTotals(Holder.COMPETITOR, "EUR", 1, spend=D(30_000), potential=D(20_000)),
        HolderTotals(Holder.UNKNOWN, "USD", 1, potential=D(5_000)),
        HolderTotals(Holder.IN_HOUSE, "USD", 1, spend=D(1_000), potential=D(2_000)),
        HolderTotals(Holder.NOT_A_FIT, "EUR", 1, spend=D(50_000), potential=D(9_999)),
    ]
    figures = penetration_of(totals, currency="EUR", factors={"EUR": D(1), "USD": D("0.90")})
    # Then 4 cells are eligible, 1 is ours: 1 / 4 = 25 %
    assert (figures.eligible, figures.held, figures.percent) == (4, 1, D("25.00"))
    # share of wallet: 10,000 / (10,000 + 30,000 + 900) = 24.4498… %
    assert figures.share_of_wallet == D("24.45")
    # open potential: 20,000 + 4,500 + 1,800
    assert figures.open_potential == D("26300.00")
    assert figures.currency == "EUR"


def test_no_eligible_cell_means_no_percentage() -> None:
    figures = penetration_of(
        [HolderTotals(Holder.NOT_A_FIT, "EUR", 3, spend=D(10))], currency="EUR", factors=EUR
    )
    assert (figures.eligible, figures.percent, figures.share_of_wallet) == (0, None, None)
    assert figures.open_potential == 0
    empty = penetration_of([], currency="EUR", factors=EUR)
    assert (empty.eligible, empty.held, empty.percent) == (0, 0, None)


def test_no_known_spend_means_no_share_of_wallet() -> None:
    figures = penetration_of(
        [HolderTotals(Holder.US, "EUR", 2), HolderTotals(Holder.UNKNOWN, "EUR", 2)],
        currency="EUR",
        factors=EUR,
    )
    assert (figures.percent, figures.share_of_wallet) == (D("50.00"), None)


def test_all_ours_is_a_hundred_per_cent() -> None:
    figures = penetration_of(
        [HolderTotals(Holder.US, "GBP", 3, spend=D(300))],
        currency="EUR",
        factors={"GBP": D("1.15")},
    )
    assert (figures.percent, figures.share_of_wallet, figures.open_potential) == (
        D("100.00"),
        D("100.00"),
        D("0.00"),
    )


holders = st.sampled_from(list(Holder.values))
rows = st.lists(
    st.tuples(
        holders,
        st.integers(1, 50),
        st.decimals(min_value=0, max_value=1_000_000, places=2),
        st.decimals(min_value=0, max_value=1_000_000, places=2),
    ),
    max_size=10,
)


@given(rows)
def test_the_figures_stay_in_their_bounds(data: list[tuple[str, int, Decimal, Decimal]]) -> None:
    totals = [HolderTotals(h, "EUR", n, spend=s, potential=p) for h, n, s, p in data]
    figures = penetration_of(totals, currency="EUR", factors=EUR)
    eligible = sum(n for h, n, _, _ in data if h != Holder.NOT_A_FIT)
    held = sum(n for h, n, _, _ in data if h == Holder.US)
    assert (figures.eligible, figures.held) == (eligible, held)
    if figures.percent is not None:
        assert D(0) <= figures.percent <= D(100)
    if figures.share_of_wallet is not None:
        assert D(0) <= figures.share_of_wallet <= D(100)
    assert figures.open_potential == sum(
        (p for h, _, _, p in data if h in (Holder.COMPETITOR, Holder.IN_HOUSE, Holder.UNKNOWN)),
        D(0),
    ).quantize(D("0.01"))


@given(rows, st.decimals(min_value=D("0.01"), max_value=100, places=4))
def test_converting_the_sums_scales_the_amounts_not_the_shares(
    data: list[tuple[str, int, Decimal, Decimal]], rate: Decimal
) -> None:
    in_eur = penetration_of(
        [HolderTotals(h, "EUR", n, spend=s, potential=p) for h, n, s, p in data],
        currency="EUR",
        factors=EUR,
    )
    in_usd = penetration_of(
        [HolderTotals(h, "USD", n, spend=s, potential=p) for h, n, s, p in data],
        currency="EUR",
        factors={"USD": rate},
    )
    assert in_usd.percent == in_eur.percent
    assert in_usd.share_of_wallet == in_eur.share_of_wallet
