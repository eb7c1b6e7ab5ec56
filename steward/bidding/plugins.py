"""What the bidding app plugs into the registries below it (the portal home's section)."""

from __future__ import annotations


def register() -> None:
    """The portal's "invitations to bid" section."""
