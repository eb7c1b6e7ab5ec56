from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch

from steward.core.access import principal_for
from steward.core.notifications import unread_count
from steward.core.registry import NavEntry, navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation this user may see, the entry the page belongs to, and who they are."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_entries": [],
            "nav_admin_entries": [],
            "principal": None,
            "nav_active": "",
            "unread_notifications": 0,
        }
    principal = principal_for(user)
    entries = [entry for entry in navigation() if entry.visible(principal)]
    return {
        # The directory and administration sit in the user menu; the bar keeps the daily work.
        "nav_entries": [entry for entry in entries if entry.section != "admin"],
        "nav_admin_entries": [entry for entry in entries if entry.section == "admin"],
        "nav_active": _active_entry(entries, request.path),
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
