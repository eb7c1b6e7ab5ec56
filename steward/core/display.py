"""How records name people on pages, in exports and in sentences."""

from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """A user's full name, or their user name when they have none; empty for nobody."""
    return str(user.get_full_name() or user.get_username()) if user else ""
