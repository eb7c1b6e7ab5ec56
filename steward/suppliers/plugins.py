"""How the supply side plugs into the shared screens: its menu entries."""

from __future__ import annotations

from steward.core.registry import NavEntry, register_nav


def register() -> None:
    register_nav(
        NavEntry("Vendors", "suppliers:vendor-list", "supply", order=10, match_prefix="/vendors/")
    )
    register_nav(NavEntry("Portfolio", "suppliers:vendor-portfolio", "supply", order=11))
    register_nav(
        NavEntry(
            "Categories",
            "suppliers:category-list",
            "supply",
            order=12,
            match_prefix="/categories/",
        )
    )
