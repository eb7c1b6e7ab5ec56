"""Tabs that other apps add to an account's page (the pipeline adds "pipeline", quotas add
"profitability", joint account plans add "plan"), so the accounts app never imports what sits
above it.

A tab renders ``template`` with the account page's context plus what ``context(request,
relationship)`` returns; it is placed after the tab it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TabContext = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class AccountTab:
    name: str
    label: str
    template: str
    context: TabContext
    after: str = "overview"


_TABS: dict[str, AccountTab] = {}


def register_account_tab(tab: AccountTab) -> None:
    _TABS[tab.name] = tab


def account_tab(name: str) -> AccountTab | None:
    return _TABS.get(name)


def tab_names(built_in: tuple[str, ...]) -> tuple[str, ...]:
    """The built-in tabs with each registered one placed after the tab it names."""
    names = list(built_in)
    for tab in _TABS.values():
        position = names.index(tab.after) + 1 if tab.after in names else len(names)
        names.insert(position, tab.name)
    return tuple(names)
