from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.core.access import principal_for
from steward.core.registry import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation this user may see, and who they are to the policy."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "principal": None}
    principal = principal_for(user)
    return {
        "nav_entries": [entry for entry in navigation() if entry.visible(principal)],
        "principal": principal,
    }
