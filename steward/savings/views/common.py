"""What every savings page shares: it is for people inside the organization."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from steward.core.access import principal_for

_View = TypeVar("_View", bound=Callable[..., Any])


def require_internal(request: HttpRequest) -> None:
    """Savings and costs are for inside users; portal users are refused."""
    if not principal_for(request.user).is_internal:
        raise PermissionDenied("Savings and total cost of ownership are for internal users.")


def internal_only(view: _View) -> _View:
    """Refuse portal users (put it under ``login_required``)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        require_internal(request)
        return view(request, *args, **kwargs)

    return cast("_View", wrapped)


class InternalOnlyMixin:
    """For class-based pages: refuse portal users before anything is read."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            require_internal(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
