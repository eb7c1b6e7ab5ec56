"""The pipeline's rules without the database: the stage machine, line arithmetic, forecast
roll-up and calibration, with hand-computed examples and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.pipeline import stages
from steward.pipeline.amounts import line_amount, line_cost
from steward.pipeline.calibration import MINIMUM_SAMPLE, calibrate, win_rate, window_start
from steward.pipeline.choices import DEFAULT_PROBABILITY, ForecastCategory, Stage
from steward.pipeline.forecast import Bucket, Totals, period_around, roll_up

D = Decimal
OPEN = ["prospecting", "qualification", "solution", "proposal", "negotiation"]


# --- the stage machine -------------------------------------------------------------------------


def expected_move(src: str, dst: str) -> bool:
    if src == dst:
        return False
    if src in OPEN:
        return True  # among open stages, or to won or lost
    if src == "lost":
        return dst in OPEN  # reopen
    return False  # won is final


@pytest.mark.parametrize("src", list(Stage.values))
@pytest.mark.parametrize("dst", list(Stage.values))
def test_every_pair_of_stages(src: str, dst: str) -> None:
    assert stages.can_move(src, dst) is expected_move(src, dst)


def test_default_categories_follow_the_stage() -> None:
    assert stages.DEFAULT_CATEGORY == {
        "prospecting": "pipeline",
        "qualification": "pipeline",
        "solution": "best_case",
        "proposal": "best_case",
        "negotiation": "commit",
        "won": "closed",
        "lost": "omitted",
    }


# --- lines -------------------------------------------------------------------------------------


def test_line_amount_hand_computed() -> None:
    # 3 x 19.99 = 59.97; less 12.5 % = 52.47375 -> 52.47
    assert line_amount(D("3"), D("19.99"), D("12.5")) == D("52.47")
    # 1 x 0.125 = 0.125 -> half up 0.13
    assert line_amount(D("1"), D("0.125"), D("0")) == D("0.13")
    # 2.5 x 10.0050 = 25.0125 -> 25.01
    assert line_cost(D("2.5"), D("10.0050")) == D("25.01")
    assert line_amount(D("4"), D("250"), D("100")) == D("0.00")


@given(
    quantity=st.decimals(min_value="0.01", max_value="10000", places=2),
    price=st.decimals(min_value="0", max_value="100000", places=4),
    discount=st.decimals(min_value="0", max_value="100", places=2),
)
def test_a_discount_never_raises_the_amount(quantity: D, price: D, discount: D) -> None:
    full = line_amount(quantity, price, D(0))
    discounted = line_amount(quantity, price, discount)
    assert D(0) <= discounted <= full
    assert discounted == discounted.quantize(D("0.01"))


# --- the forecast ------------------------------------------------------------------------------

AS_OF = dt.date(2026, 2, 14)  # the first quarter of 2026, half past


def test_forecast_two_currencies_half_past() -> None:
    # EUR is the base; 1 USD = 0.90 EUR on the as-of date, 0.80 EUR on 20 January.
    rates = {("USD", dt.date(2026, 1, 20)): D("0.80"), ("USD", AS_OF): D("0.90")}

    def convert(amount: D, currency: str, day: dt.date) -> D:
        return amount if currency == "EUR" else amount * rates[(currency, day)]

    buckets = [
        # won: 1000 EUR on 10 Jan, 2000 USD on 20 Jan (x 0.80 = 1600 EUR)
        Bucket("EUR", dt.date(2026, 1, 10), "closed", won=True, amount=D("1000")),
        Bucket("USD", dt.date(2026, 1, 20), "closed", won=True, amount=D("2000")),
        # open: commit 500 EUR at 80 %, best case 1000 USD at 60 % (x 0.90 = 900 EUR),
        # pipeline 300 EUR at 10 %, omitted 5000 EUR at 40 % (never counted)
        Bucket(
            "EUR", dt.date(2026, 3, 1), "commit", won=False, amount=D("500"), weighted=D("500") * 80
        ),
        Bucket(
            "USD",
            dt.date(2026, 3, 15),
            "best_case",
            won=False,
            amount=D("1000"),
            weighted=D("1000") * 60,
        ),
        Bucket(
            "EUR",
            dt.date(2026, 2, 20),
            "pipeline",
            won=False,
            amount=D("300"),
            weighted=D("300") * 10,
        ),
        Bucket(
            "EUR",
            dt.date(2026, 3, 5),
            "omitted",
            won=False,
            amount=D("5000"),
            weighted=D("5000") * 40,
        ),
    ]
    result = roll_up(
        buckets,
        currency="EUR",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        as_of=AS_OF,
        convert=convert,
    )
    totals = result.totals
    assert totals.closed == D("2600.00")  # 1000 + 1600
    assert totals.commit == D("3100.00")  # + 500
    assert totals.best_case == D("4000.00")  # + 900
    assert totals.pipeline == D("4300.00")  # + 300
    # 2600 + 500 x 0.8 + 900 x 0.6 + 300 x 0.1 = 2600 + 400 + 540 + 30
    assert totals.weighted == D("3570.00")
    assert list(result.by_month) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert result.by_month[dt.date(2026, 1, 1)].closed == D("2600.00")
    assert result.by_month[dt.date(2026, 2, 1)].pipeline == D("300.00")
    assert result.by_month[dt.date(2026, 3, 1)].best_case == D("1400.00")


CATEGORIES = st.sampled_from([c.value for c in ForecastCategory])
BUCKETS = st.lists(
    st.builds(
        lambda won, category, amount, probability: Bucket(
            "EUR",
            dt.date(2026, 1, 1),
            "closed" if won else category,
            won,
            amount,
            amount * probability,
        ),
        st.booleans(),
        CATEGORIES.filter(lambda c: c != "closed"),
        st.decimals(min_value="0", max_value="1000000", places=2),
        st.integers(min_value=0, max_value=100),
    ),
    max_size=12,
)


def _identity(amount: D, currency: str, day: dt.date) -> D:
    return amount


@given(buckets=BUCKETS)
def test_categories_are_cumulative_and_omitted_never_counts(buckets: list[Bucket]) -> None:
    def run(rows: list[Bucket]) -> Totals:
        return roll_up(
            rows, currency="EUR", start=AS_OF, end=AS_OF, as_of=AS_OF, convert=_identity
        ).totals

    totals = run(buckets)
    assert totals.pipeline >= totals.best_case >= totals.commit >= totals.closed >= 0
    assert totals.closed <= totals.weighted <= totals.pipeline
    without_omitted = [b for b in buckets if b.won or b.category != "omitted"]
    assert run(without_omitted) == totals


# --- calibration -------------------------------------------------------------------------------


def test_win_rate_rounds_half_up() -> None:
    assert win_rate(1, 8) == 13  # 12.5 -> 13
    assert win_rate(7, 21) == 33
    assert win_rate(0, 0) is None


def test_calibration_uses_observed_from_twenty() -> None:
    rows = {
        row.stage: row
        for row in calibrate(
            {"proposal": (15, MINIMUM_SAMPLE), "negotiation": (18, MINIMUM_SAMPLE - 1)}
        )
    }
    # 15 of 20 closed that reached proposal were won: 75 %, used
    assert rows["proposal"].observed == 75
    assert rows["proposal"].probability == 75
    assert rows["proposal"].uses_observed
    # 18 of 19 is 95 %, but 19 is too few: the default 80 stays
    assert rows["negotiation"].observed == 95
    assert rows["negotiation"].probability == DEFAULT_PROBABILITY["negotiation"] == 80
    assert not rows["negotiation"].uses_observed
    assert rows["prospecting"].probability == 10
    assert rows["prospecting"].observed is None


def test_window_is_24_months() -> None:
    assert window_start(dt.date(2026, 11, 27)) == dt.date(2024, 11, 27)
    assert window_start(dt.date(2028, 2, 29)) == dt.date(2026, 2, 28)


def test_periods_around_a_day() -> None:
    day = dt.date(2026, 11, 27)
    assert period_around(day, "month") == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period_around(day, "quarter") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_around(day, "year") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_around(dt.date(2028, 2, 10), "month") == (
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 29),
    )
    assert period_around(dt.date(9999, 12, 31), "year") == (dt.date(9999, 1, 1), dt.date.max)
