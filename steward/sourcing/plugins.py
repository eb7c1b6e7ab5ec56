"""What the sourcing app plugs into the screens and registries below it."""

from __future__ import annotations


def register() -> None:
    """Nav entries, the portal's "invitations to bid" section, due items, search."""
