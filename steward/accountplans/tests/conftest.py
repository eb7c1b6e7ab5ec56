from __future__ import annotations

import pytest

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import Cast


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    """Aurora (owner ``owner``) and Borealis (owner ``outsider``) as customers."""
    return demand_accounts(cast)
