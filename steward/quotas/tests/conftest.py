from __future__ import annotations

from typing import Any

import pytest

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import Cast
from steward.quotas.tests.factories import finance_user


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    return demand_accounts(cast)


@pytest.fixture
def finance(cast: Cast) -> Any:
    return finance_user()
