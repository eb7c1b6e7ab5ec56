from __future__ import annotations

import pytest

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.parties.tests.cast import Cast


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    """``account_a`` (Aurora, owner ``owner``, ``member`` edits, ``reviewer`` reads) and
    ``account_b`` (Borealis, owner ``outsider``)."""
    return demand_accounts(cast)
