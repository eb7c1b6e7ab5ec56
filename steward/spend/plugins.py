"""How spend plugs into the shared screens: navigation and the vendor page's spend tab."""

from __future__ import annotations


def register() -> None:
    """Called once from SpendConfig.ready."""
