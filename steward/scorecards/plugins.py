"""How scorecards plug into the shared screens: navigation, due items, search."""

from __future__ import annotations


def register() -> None:
    """Menu entries and providers are added as the pages land."""
