"""What the awards app plugs into the registries below it."""

from __future__ import annotations


def register() -> None:
    """The portal's "awards to confirm" section, the award lapse job."""
