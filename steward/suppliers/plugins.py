"""How the supply side plugs into the shared screens: its menu entries, and its section of a
contract's renewal pack."""

from __future__ import annotations

from steward.contracts.selectors_renewals import register_pack_section
from steward.core.registry import NavEntry, register_nav
from steward.suppliers import renewal_pack


def register() -> None:
    register_pack_section(renewal_pack.SECTION_NAME, renewal_pack.prequalified_alternatives)
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
