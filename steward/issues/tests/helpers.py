"""Shared set-up of the issue tests: issues opened through the service, at a known time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.core.errors import DomainError
from steward.issues import services
from steward.issues.models import Issue

# A fixed moment in the past, so due dates and the escalation clock are exact.
OPENED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def open_issue(cast: Any, **fields: Any) -> Issue:
    values: dict[str, Any] = {
        "actor": cast.owner,
        "relationship": cast.rel_a,
        "title": "Late deliveries to the Stuttgart plant",
        "category": "delivery",
        "severity": "high",
        "opened_at": OPENED,
    }
    values.update(fields)
    return services.issue_open(**values)


def now() -> dt.datetime:
    return timezone.now()


def refused_fields(error: BaseException) -> set[str]:
    """The fields a refusal names: a DomainError's one, or a ValidationError's keys."""
    if isinstance(error, DomainError):
        return {error.field or "__all__"}
    if isinstance(error, ValidationError):
        return set(error.message_dict)
    raise AssertionError(f"not a refusal: {error!r}")
