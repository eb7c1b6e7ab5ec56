"""Fixtures every test module can use (the repository root makes them visible everywhere)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from steward.parties.tests.cast import Cast, build_cast


@pytest.fixture
def cast(db: Any) -> Cast:
    """One person in every role and the records they relate to (see cast.py)."""
    return build_cast()


def require_all() -> bool:
    """CI sets STEWARD_REQUIRE_ALL=1: a missing PostgreSQL or Chromium fails instead of skipping."""
    return os.environ.get("STEWARD_REQUIRE_ALL") == "1"
