"""People in the shared screens: the menu entry and the global search."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from steward.core.registry import NavEntry, SearchHit, register_nav, register_search
from steward.people.selectors import user_search


def search_people(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = user_search(user=user, query=query)[:limit]
    return [
        SearchHit(
            "People",
            p.get_full_name() or p.get_username(),
            reverse("people:person-detail", args=[p.pk]),
            p.profile.title if hasattr(p, "profile") else "",
        )
        for p in rows
    ]


def register_plugins() -> None:
    register_nav(
        NavEntry("People", "people:people-list", "admin", order=90, match_prefix="/people/")
    )
    register_nav(NavEntry("Teams", "people:team-list", "admin", order=95, match_prefix="/teams/"))
    register_search("people", search_people)
