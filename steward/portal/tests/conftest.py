"""Fixtures of the portal tests: the cast's organization A as a vendor."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from steward.parties.tests.cast import Cast
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory


@pytest.fixture
def vendor_a(cast: Cast) -> Supplier:
    vendor: Supplier = SupplierFactory(relationship=cast.rel_a)  # type: ignore[assignment]
    return vendor


@pytest.fixture
def vendor_b(cast: Cast) -> Supplier:
    vendor: Supplier = SupplierFactory(relationship=cast.rel_b)  # type: ignore[assignment]
    return vendor


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Sign-in link limits are counted in the cache; each test starts from nothing."""
    cache.clear()
    yield
    cache.clear()
