from __future__ import annotations

import pytest

from steward.parties.tests.cast import Cast
from steward.visits.tests.factories import VisitWorld, visit_world


@pytest.fixture
def vw(cast: Cast) -> VisitWorld:
    return visit_world(cast)
