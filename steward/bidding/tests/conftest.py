from __future__ import annotations

from typing import Any

import pytest

from steward.bidding.tests.factories import BidWorld, build_bid_world
from steward.parties.tests.cast import Cast


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast: Cast) -> BidWorld:
    return build_bid_world(cast)
