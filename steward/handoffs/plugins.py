"""What the handoffs app plugs into the screens and registries below it."""

from __future__ import annotations


def register() -> None:
    pass
