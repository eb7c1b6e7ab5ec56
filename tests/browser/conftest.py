"""Browser tests drive Debian's Chromium through Playwright; no downloaded browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("STEWARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI machines are small and busy: wait longer than Playwright's defaults before failing. (Set
# here, not in an autouse fixture: one that asks for ``page`` would be set up before the
# database and lose the serialized rollback of seeded data.)
expect.set_options(timeout=20_000)
PAGE_TIMEOUT_MS = 30_000


def open_menu_entry(page: Any, entry: str) -> None:
    """Follow a main-menu entry: the bar groups entries in a menu per side of the business, so
    an entry may first need its menu opened (a closed menu's links are hidden from roles)."""
    bar = page.get_by_role("navigation", name="Main")
    link = bar.get_by_role("link", name=entry, exact=True)
    if not link.is_visible():
        hidden = page.get_by_role("link", name=entry, exact=True, include_hidden=True)
        bar.locator("li.dropdown").filter(has=hidden).get_by_role("button").click()
    link.click()


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("STEWARD_REQUIRE_ALL") == "1":
        raise pytest.UsageError(f"Chromium is required for browser tests and missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}; browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """Put back what migrations seed (contact roles, job-role groups, the
    segmentation policy and playbooks).

    An earlier transactional test's flush empties those tables, and Playwright's greenlets
    reach the database through a connection that has no serialized copy to restore from.
    """
    from steward.parties.services import contact_roles_ensure
    from steward.people.services import ensure_role_groups
    from steward.suppliers.services import segmentation_defaults_ensure

    contact_roles_ensure()
    ensure_role_groups()
    segmentation_defaults_ensure()
