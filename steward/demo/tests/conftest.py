"""The small demo world, loaded once per test module that asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from steward.demo.services import DemoLoadResult, demo_load


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoLoadResult]:
    """The small data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(size="small")
        transaction.set_rollback(True)


@pytest.fixture
def loaded(world: DemoLoadResult, db: Any) -> DemoLoadResult:
    return world
