from __future__ import annotations

from typing import Any

import pytest

from steward.awards.tests.factories import World, build_world, three_bids
from steward.parties.tests.cast import Cast


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, not the data directory."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(cast: Cast) -> World:
    """A closed single-award RFQ of two lines with bids of A (cheapest), B and C."""
    return three_bids(build_world(cast))
