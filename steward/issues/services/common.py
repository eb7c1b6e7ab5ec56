"""Checks the issue services share: people, links to the relationship, references."""

from __future__ import annotations

from django.db import models
from django.db.models import Max
from django.db.models.functions import Cast, Substr

from steward.core.errors import DomainError
from steward.issues.models import Issue, SeverityTarget
from steward.issues.targets import DEFAULT_TARGETS, DueDates, due_dates

REFERENCE_PREFIX = "ISS-"
REFERENCE_PATTERN = r"^ISS-[0-9]+$"


def targets_for(severity: str) -> tuple[int, int]:
    """(response hours, resolution hours) administered for ``severity``, else the defaults."""
    row = (
        SeverityTarget.objects.filter(severity=severity, archived_at__isnull=True)
        .values_list("response_hours", "resolution_hours")
        .first()
    )
    if row is not None:
        return row
    if severity not in DEFAULT_TARGETS:
        raise DomainError(f"“{severity}” is not a severity.", field="severity")
    return DEFAULT_TARGETS[severity]


def derive_due_dates(issue: Issue) -> DueDates:
    response, resolution = targets_for(issue.severity)
    return due_dates(issue.opened_at, response_hours=response, resolution_hours=resolution)


def next_reference() -> str:
    """The next sequential reference (ISS-000001, ISS-000002, …).

    Two writers may compute the same one at once; the unique index refuses the second and the
    caller tries again (see ``issue_open``).
    """
    numbered = Issue.objects.filter(reference__regex=REFERENCE_PATTERN).aggregate(
        top=Max(
            Cast(
                Substr("reference", len(REFERENCE_PREFIX) + 1),
                output_field=models.BigIntegerField(),
            )
        )
    )["top"]
    return f"{REFERENCE_PREFIX}{(numbered or 0) + 1:06d}"
