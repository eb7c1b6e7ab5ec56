"""Small registries through which apps plug into shared screens without the kernel importing them.

- navigation: entries of the main menu, as capabilities land;
- due items: what falls due for a person (home page "due soon" and the daily digest);
- search: providers of the global search;
- portal sections: what a vendor's portal users find on their home page (assessments to answer,
  documents to renew, findings to remediate, shared scorecards).
Each provider receives the user and must read through the access policy.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    section: str  # "supply", "demand", "shared", "admin"
    order: int = 100
    visible: Callable[[Any], bool] = field(default=lambda principal: principal.is_internal)
    match_prefix: str = ""

    def url(self) -> str:
        return _nav_url(self.url_name)


@functools.cache
def _nav_url(url_name: str) -> str:
    # Menu entries take no arguments, so each path is worked out once per process.
    return reverse(url_name)


@dataclass(frozen=True)
class DueItem:
    title: str
    due_on: dt.date
    url: str
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class PortalSection:
    """A block of the portal home page. ``context(user)`` reads through the access policy and
    returns the template's context; ``count(user)`` is the number shown on the block's badge."""

    name: str
    title: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    count: Callable[[Any], int]
    order: int = 100


DueProvider = Callable[[Any, dt.date, dt.date], list[DueItem]]
SearchProvider = Callable[[Any, str, int], list[SearchHit]]

_navigation: list[NavEntry] = []
_due_providers: dict[str, DueProvider] = {}
_search_providers: dict[str, SearchProvider] = {}
_portal_sections: dict[str, PortalSection] = {}


def register_nav(entry: NavEntry) -> None:
    if all(existing.url_name != entry.url_name for existing in _navigation):
        _navigation.append(entry)


def navigation() -> list[NavEntry]:
    return sorted(_navigation, key=lambda entry: (entry.order, entry.label))


def register_due(name: str, provider: DueProvider) -> None:
    _due_providers[name] = provider


def due_items(user: Any, *, today: dt.date, until: dt.date) -> list[DueItem]:
    """Everything due for ``user`` up to ``until`` (overdue included), soonest first."""
    items: list[DueItem] = []
    for provider in _due_providers.values():
        items.extend(provider(user, today, until))
    return sorted(items, key=lambda item: (item.due_on, item.title))


def register_search(name: str, provider: SearchProvider) -> None:
    _search_providers[name] = provider


def search(user: Any, query: str, *, limit: int = 10) -> dict[str, list[SearchHit]]:
    """Hits per provider, each already scoped by the access policy."""
    results = {}
    for name, provider in _search_providers.items():
        hits = provider(user, query, limit)
        if hits:
            results[name] = hits
    return results


def register_portal_section(section: PortalSection) -> None:
    _portal_sections[section.name] = section


def portal_sections() -> list[PortalSection]:
    return sorted(_portal_sections.values(), key=lambda section: (section.order, section.name))
