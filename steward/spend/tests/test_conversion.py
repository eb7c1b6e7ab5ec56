"""Conversion at the ledger's dated rates: one at a time, and a rate book for many at once that
answers exactly what the one-at-a-time functions answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.core.errors import DomainError
from steward.spend.conversion import RateBook, convert, rate_on
from steward.spend.models import ExchangeRate

pytestmark = pytest.mark.django_db
D = Decimal
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def rates() -> None:
    # EUR is the base: one USD is worth 0.90 EUR from January, 0.95 from March; GBP 1.20
    ExchangeRate.objects.create(currency="USD", rate_date=JAN, rate=D("0.90"))
    ExchangeRate.objects.create(currency="USD", rate_date=MAR, rate=D("0.95"))
    ExchangeRate.objects.create(currency="GBP", rate_date=FEB, rate=D("1.20"))


def test_a_rate_holds_from_its_day_until_the_next(rates: None) -> None:
    assert rate_on("USD", dt.date(2026, 2, 28)) == D("0.90")
    assert rate_on("USD", MAR) == D("0.95")
    assert rate_on("EUR", dt.date(2000, 1, 1)) == 1
    # 100 USD in GBP on 1 March: 100 x 0.95 / 1.20
    assert convert(D(100), "USD", "GBP", MAR) == D(100) * D("0.95") / D("1.20")


def test_no_rate_before_the_first_names_the_currency_and_day(rates: None) -> None:
    with pytest.raises(DomainError, match="GBP on or before 2026-01-15") as error:
        rate_on("GBP", dt.date(2026, 1, 15))
    assert error.value.code == "no_rate"
    with pytest.raises(DomainError, match="GBP on or before 2026-01-15"):
        RateBook(["GBP"], until=MAR).rate_on("GBP", dt.date(2026, 1, 15))


def test_a_rate_book_reads_once_and_ignores_rates_after_its_horizon(rates: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        book = RateBook(["USD", "GBP", "EUR", "USD"], until=FEB)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert book.rate_on("USD", dt.date(2026, 12, 31)) == D("0.90")  # March is past its horizon
        assert book.convert(D(10), "GBP", "USD", FEB) == D(10) * D("1.20") / D("0.90")
    assert len(queries) == 0
    with pytest.raises(DomainError):
        book.rate_on("JPY", FEB)  # a currency it was not asked for has no rate


# The rates fixture is read-only for the examples, so sharing it between them is safe.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    pair=st.sampled_from([("USD", "EUR"), ("EUR", "GBP"), ("GBP", "USD"), ("USD", "USD")]),
    offset=st.integers(min_value=31, max_value=120),
)
def test_a_rate_book_answers_as_convert_does(
    rates: None, amount: Decimal, pair: tuple[str, str], offset: int
) -> None:
    day = JAN + dt.timedelta(days=offset)
    book = RateBook(pair, until=day)
    assert book.convert(amount, *pair, day) == convert(amount, *pair, day)


def test_a_rate_book_converts_nothing_without_asking_for_a_rate(rates: None) -> None:
    book = RateBook(["CHF"], until=MAR)
    assert book.convert(Decimal(0), "CHF", "EUR", MAR) == 0  # no CHF rate is needed for zero
    with pytest.raises(DomainError):
        book.convert(Decimal(1), "CHF", "EUR", MAR)
