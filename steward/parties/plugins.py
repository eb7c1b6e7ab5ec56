"""How parties plugs into the shared screens: menu entries, due items and global search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.core.registry import (
    DueItem,
    NavEntry,
    SearchHit,
    register_due,
    register_nav,
    register_search,
)
from steward.parties import selectors


def reviews_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    relationships = selectors.my_relationships(user=user).filter(
        next_review_on__isnull=False, next_review_on__lte=until
    )
    return [
        DueItem(
            title=f"Review {r.organization}",
            due_on=r.next_review_on,
            url=r.get_absolute_url(),
            kind="relationship review",
            detail="overdue" if r.next_review_on < today else "",
        )
        for r in relationships[:50]
        if r.next_review_on is not None
    ]


def search_organizations(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.organization_list(user=user, filters={"q": query})[:limit]
    return [SearchHit("Organizations", str(o), o.get_absolute_url(), o.legal_name) for o in rows]


def search_relationships(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.relationship_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit("Relationships", str(r.organization), r.get_absolute_url(), r.get_side_display())
        for r in rows
    ]


def search_contacts(user: Any, query: str, limit: int) -> list[SearchHit]:
    rows = selectors.contact_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Contacts", str(c), c.get_absolute_url(), f"{c.title} · {c.organization}".strip(" ·")
        )
        for c in rows
    ]


def register() -> None:
    # The Vendors entry belongs to the supply side (steward.suppliers.plugins), the Accounts
    # entry to the demand side's key-account portfolio (steward.accounts.plugins).
    register_nav(
        NavEntry(
            "Organizations",
            "parties:organization-list",
            "shared",
            order=30,
            match_prefix="/organizations/",
        )
    )
    register_nav(
        NavEntry("Contacts", "parties:contact-list", "shared", order=40, match_prefix="/contacts/")
    )
    register_due("relationship reviews", reviews_due)
    register_search("organizations", search_organizations)
    register_search("relationships", search_relationships)
    register_search("contacts", search_contacts)
