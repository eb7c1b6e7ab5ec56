"""Tabs that other apps add to a vendor's page (spend adds "spend"), after the built-in ones
they name, so the suppliers app never imports what sits above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TabContext = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class VendorTab:
    name: str
    template: str
    context: TabContext
    after: str = "performance"


_TABS: dict[str, VendorTab] = {}


def register_vendor_tab(tab: VendorTab) -> None:
    _TABS[tab.name] = tab


def vendor_tab(name: str) -> VendorTab | None:
    return _TABS.get(name)


def tab_names(built_in: tuple[str, ...]) -> tuple[str, ...]:
    """The built-in tabs with each registered one placed after the tab it names."""
    names = list(built_in)
    for tab in _TABS.values():
        position = names.index(tab.after) + 1 if tab.after in names else len(names)
        names.insert(position, tab.name)
    return tuple(names)
