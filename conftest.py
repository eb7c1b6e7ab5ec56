"""Fixtures every test module can use (the repository root makes them visible everywhere)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from steward.parties.tests.cast import Cast, build_cast

# Tests check behaviour, never speed: no per-example deadline, which a busy machine would miss.
hypothesis_settings.register_profile("steward", deadline=None)
hypothesis_settings.load_profile("steward")


@pytest.fixture(scope="session")
def django_db_setup(
    request: Any,
    django_db_setup: Any,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
) -> None:
    """The test databases come from the models (``--no-migrations`` in addopts), then get what
    only the migrations' code adds (see ``migration_code_run``). Migrating from zero is tested on
    its own: by the ``steward`` script on SQLite (test_cli) and on PostgreSQL (test_migrations).
    """
    from pytest_django.fixtures import _get_databases_for_setup

    from steward.core.testing import migration_code_run

    created, _serialized = _get_databases_for_setup(request.session.items)
    if django_db_use_migrations or django_db_keepdb or "default" not in created:
        return  # migrated, reused as it was, or not created at all
    with django_db_blocker.unblock():
        migration_code_run()


@pytest.fixture
def cast(db: Any) -> Cast:
    """One person in every role and the records they relate to (see cast.py)."""
    return build_cast()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Transactional tests last, as pytest-django orders them, once more after every reorder.

    pytest groups the browser tests by their session-scoped browser parameter after
    pytest-django has sorted, which moves them among the tests that run in a transaction; a
    transactional test's flush would then leave those tests a database without the rows the
    migrations seed.
    """
    from pytest_django import plugin

    plugin.pytest_collection_modifyitems(items)


def require_all() -> bool:
    """CI sets STEWARD_REQUIRE_ALL=1: a missing PostgreSQL or Chromium fails instead of skipping."""
    return os.environ.get("STEWARD_REQUIRE_ALL") == "1"


SUMMARY_MARKERS = {
    "matrix": "permission matrix (role x model x action, UI and API)",
    "schemathesis": "schemathesis against the OpenAPI schema",
    "browser": "browser tests (Playwright, Debian's Chromium)",
}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """Say plainly which database ran and how the matrix, schemathesis and browser tests went."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    terminalreporter.section(f"Steward checks on {engine}")
    for marker, label in SUMMARY_MARKERS.items():
        counts = {}
        for outcome in ("passed", "failed", "skipped", "error"):
            reports = terminalreporter.stats.get(outcome, [])
            counts[outcome] = sum(
                1
                for r in reports
                if marker in getattr(r, "keywords", {})
                and r.when in ("call", "setup")
                and (outcome != "passed" or r.when == "call")
            )
        shown = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
        terminalreporter.write_line(f"{label}: {shown or 'not run'}")
