from __future__ import annotations

from typing import Any

import pytest

from steward.parties.tests.cast import Cast
from steward.sourcing.tests.factories import procurement_user


@pytest.fixture
def buyer(cast: Cast) -> Any:
    """An inside buyer of the procurement function, over the shared cast."""
    return procurement_user()
