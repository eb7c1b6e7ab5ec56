"""What the accounts app plugs into the screens and registries below it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from steward.core.registry import NavEntry, SearchHit, register_nav, register_search


def search_accounts(user: Any, query: str, limit: int) -> list[SearchHit]:
    from steward.accounts import selectors

    rows = selectors.account_list(user=user, filters={"q": query})[:limit]
    return [
        SearchHit(
            "Accounts",
            str(r.organization),
            reverse("accounts:account-detail", args=[r.pk]),
            r.get_tier_display(),
        )
        for r in rows
    ]


def register() -> None:
    # The one "Accounts" entry of the demand side: the key-account portfolio.
    register_nav(
        NavEntry("Accounts", "accounts:account-list", "demand", order=20, match_prefix="/accounts/")
    )
    register_search("accounts", search_accounts)
