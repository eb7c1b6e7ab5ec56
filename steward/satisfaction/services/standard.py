"""The administered reference records: the satisfaction standard and the meeting cadence."""

from __future__ import annotations

from typing import Any

from steward.core.access import Action, require
from steward.core.errors import DomainError
from steward.core.services import refuse_unknown_fields, update_record, validate_fields
from steward.satisfaction.models import MeetingCadence, SatisfactionStandard

STANDARD_EDITABLE = frozenset(
    {"nps_minimum", "csat_minimum_pct", "minimum_responses", "window_months"}
)


def standard_current() -> SatisfactionStandard:
    """The standard in force (the data migration makes it; recreated if someone removed it)."""
    standard = SatisfactionStandard.objects.filter(archived_at__isnull=True).order_by("pk").first()
    return standard or SatisfactionStandard.objects.create()


def standard_update(
    *, actor: Any, standard: SatisfactionStandard, expected_version: int, **changes: Any
) -> SatisfactionStandard:
    require(actor, Action.CHANGE, standard)
    refuse_unknown_fields(changes, STANDARD_EDITABLE)

    def validate(record: SatisfactionStandard) -> None:
        try:
            validate_fields(record)
        except Exception as error:  # a ValidationError naming the field
            messages = getattr(error, "message_dict", {})
            field, problems = next(iter(messages.items()), ("", [str(error)]))
            raise DomainError(" ".join(problems), field=field or None) from error

    return update_record(
        standard, actor=actor, expected_version=expected_version, changes=changes, validate=validate
    )


# What the data migration makes; used for a tier whose row is missing.
CADENCE_DEFAULTS = {1: 30, 2: 60, 3: 90, 4: 180}


def cadence_days() -> dict[int, int]:
    """Days between face-to-face meetings, per tier."""
    stored = MeetingCadence.objects.filter(archived_at__isnull=True).values_list("tier", "days")
    return {**CADENCE_DEFAULTS, **dict(stored)}


def cadence_update(
    *, actor: Any, cadence: MeetingCadence, expected_version: int, days: int
) -> MeetingCadence:
    require(actor, Action.CHANGE, cadence)
    if not 1 <= days <= 730:
        raise DomainError("Meet at least every 730 days, at most daily.", field="days")
    return update_record(
        cadence, actor=actor, expected_version=expected_version, changes={"days": days}
    )
