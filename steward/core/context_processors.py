from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch

from steward.core.access import principal_for
from steward.core.notifications import unread_count
from steward.core.registry import NavEntry, navigation

# The bar's menus, in order; a section with one entry is a plain link.
SECTION_LABELS = {"supply": "Supply", "demand": "Demand", "shared": "Shared"}


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str
    entries: list[NavEntry]
    active: bool


def _sections(entries: list[NavEntry], active: str) -> list[NavSection]:
    sections = []
    for key, label in SECTION_LABELS.items():
        members = [entry for entry in entries if entry.section == key]
        if members:
            is_active = any(entry.url_name == active for entry in members)
            sections.append(NavSection(key, label, members, is_active))
    return sections


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation this user may see, the entry the page belongs to, and who they are."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_entries": [],
            "nav_sections": [],
            "nav_admin_entries": [],
            "principal": None,
            "nav_active": "",
            "unread_notifications": 0,
        }
    principal = principal_for(user)
    entries = [entry for entry in navigation() if entry.visible(principal)]
    active = _active_entry(entries, request.path)
    daily = [entry for entry in entries if entry.section != "admin"]
    return {
        # Administration sits in the user menu; the bar keeps the daily work, a menu per side
        # of the business, so it stays one line however many capabilities land.
        "nav_entries": daily,
        "nav_sections": _sections(daily, active),
        "nav_admin_entries": [entry for entry in entries if entry.section == "admin"],
        "nav_active": active,
        "principal": principal,
        # A callable: the count is only queried by a page that shows it.
        "unread_notifications": lambda: unread_count(user=user),
    }


def _active_entry(entries: list[NavEntry], path: str) -> str:
    """The url name of the one entry to highlight: its own page, else the longest prefix.

    /vendors/portfolio/ belongs to Portfolio, not to Vendors whose prefix is /vendors/.
    """
    best, best_length = "", -1
    for entry in entries:
        try:
            url = entry.url()
        except NoReverseMatch:
            continue
        if url == path:
            return entry.url_name
        prefix = entry.match_prefix
        if prefix and path.startswith(prefix) and len(prefix) > best_length:
            best, best_length = entry.url_name, len(prefix)
    return best
