"""How the savings app plugs into the shared screens: its entry in the supply-side menu."""

from __future__ import annotations

from steward.core.registry import NavEntry, register_nav


def register() -> None:
    """Called once from SavingsConfig.ready."""
    register_nav(
        NavEntry("Savings", "savings:initiative-list", "supply", order=14, match_prefix="/savings/")
    )
