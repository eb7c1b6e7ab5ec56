"""Pure rules of the issue engine: due dates from targets, and which rungs an overdue issue
climbs. No database here, so they are tested directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from steward.issues.choices import MissedTarget, Severity

# Response and resolution hours per severity when no target is administered (the seeded values).
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    Severity.CRITICAL: (4, 24),
    Severity.HIGH: (8, 72),
    Severity.MEDIUM: (24, 168),
    Severity.LOW: (72, 336),
}


@dataclass(frozen=True)
class DueDates:
    respond_by: dt.datetime
    resolve_by: dt.datetime


def due_dates(opened_at: dt.datetime, *, response_hours: int, resolution_hours: int) -> DueDates:
    """When an issue opened at ``opened_at`` must be acknowledged and resolved."""
    if response_hours < 1 or resolution_hours < 1:
        raise ValueError("Targets are at least one hour.")
    return DueDates(
        respond_by=opened_at + dt.timedelta(hours=response_hours),
        resolve_by=opened_at + dt.timedelta(hours=resolution_hours),
    )


@dataclass(frozen=True)
class Miss:
    target: str  # MissedTarget
    at: dt.datetime  # when the target was missed: the clock of the ladder starts here


def missed_target(
    *,
    now: dt.datetime,
    acknowledged: bool,
    resolved: bool,
    respond_by: dt.datetime,
    resolve_by: dt.datetime,
) -> Miss | None:
    """The target an open issue has missed at ``now``, if any.

    Until it is acknowledged the response target counts (it falls first); once acknowledged,
    the resolution target does.
    """
    if resolved:
        return None
    if not acknowledged and respond_by < now:
        return Miss(MissedTarget.RESPONSE, respond_by)
    if acknowledged and resolve_by < now:
        return Miss(MissedTarget.RESOLUTION, resolve_by)
    return None


@dataclass(frozen=True)
class Rung:
    level: int
    after_hours: int
    rung_id: int | None = None


def rungs_due(
    rungs: Sequence[Rung], *, current_level: int, missed_at: dt.datetime, now: dt.datetime
) -> list[Rung]:
    """The rungs above ``current_level`` an issue climbs at ``now``, lowest first.

    Rungs are climbed in order: the first one whose ``after_hours`` have not yet passed since
    the miss stops the climb, so no level is skipped.
    """
    climbed = []
    for rung in sorted(rungs, key=lambda r: r.level):
        if rung.level <= current_level:
            continue
        if missed_at + dt.timedelta(hours=rung.after_hours) > now:
            break
        climbed.append(rung)
    return climbed
