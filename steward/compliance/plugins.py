"""How compliance plugs into the shared screens."""

from __future__ import annotations


def register() -> None:
    return None
