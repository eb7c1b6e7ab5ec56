from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import Cast
from steward.spend.models import ExchangeRate


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    return demand_accounts(cast)


@pytest.fixture
def usd_rate() -> ExchangeRate:
    """1 USD = 0.90 EUR (the base currency) since the start of the year."""
    return ExchangeRate.objects.create(
        currency="USD", rate_date=dt.date(2000, 1, 1), rate=Decimal("0.90")
    )
