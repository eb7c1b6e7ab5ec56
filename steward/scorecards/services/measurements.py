"""Recorded measurements: the values people and imports enter for recorded measures.

A period reads the mean of its rows; one value per relationship, measure and day (an archived
value leaves room for a new one). A closed period's cards are frozen, so a value entered late
changes nothing already scored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import archive_record, create_record, restore_record, update_record
from steward.scorecards.choices import MeasurementSource
from steward.scorecards.models import Measurement

VALUE_LIMIT = Decimal("1e12")


def recorded_measure_check(key: str, side: str) -> None:
    from steward.scorecards.measures import RECORDED, measure_get

    measure = measure_get(key)
    if measure is None or measure.kind != RECORDED:
        raise DomainError(
            f"“{key}” is not a recorded measure; choose one of the measures entered by hand.",
            code="invalid",
            field="measure",
        )
    if not measure.fits(side):
        raise DomainError(
            f"“{measure.label}” is not measured on this side.", code="invalid", field="measure"
        )


def value_check(value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= VALUE_LIMIT:
        raise DomainError("Enter a finite number.", code="invalid", field="value")


def _check_unique(relationship: Any, measure: str, on: dt.date, exclude: int | None) -> None:
    clash = Measurement.objects.filter(
        relationship=relationship, measure=measure, measured_on=on, archived_at__isnull=True
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DuplicateError(
            f"A value of this measure is recorded for {on} already; edit that one.",
            field="measured_on",
        )


def measurement_record(
    *,
    actor: Any,
    relationship: Any,
    measure: str,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
    source: str = MeasurementSource.UI,
) -> Measurement:
    """Record one value of a recorded measure for a relationship on a day."""
    require_create(actor, Measurement, parent=relationship)
    if relationship.is_archived:
        raise DomainError("The relationship is archived.", code="archived")
    recorded_measure_check(measure, relationship.side)
    value_check(value)
    with transaction.atomic():
        _check_unique(relationship, measure, measured_on, None)
        return create_record(
            Measurement(
                relationship=relationship,
                measure=measure,
                measured_on=measured_on,
                value=value,
                note=note,
                source=source,
                entered_by=actor,
            ),
            actor=actor,
        )


def measurement_update(
    *, actor: Any, measurement: Measurement, expected_version: int | None, **changes: Any
) -> Measurement:
    """Correct a value, its day or its note (the measure itself stays)."""
    require(actor, Action.CHANGE, measurement)
    allowed = {"measured_on", "value", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"Cannot change {', '.join(sorted(unknown))}.", code="invalid")
    if "value" in changes:
        value_check(changes["value"])
    with transaction.atomic():
        on = changes.get("measured_on", measurement.measured_on)
        _check_unique(measurement.relationship, measurement.measure, on, measurement.pk)
        return update_record(
            measurement, actor=actor, expected_version=expected_version, changes=changes
        )


def measurement_archive(
    *, actor: Any, measurement: Measurement, expected_version: int | None = None
) -> Measurement:
    require(actor, Action.DELETE, measurement)
    return archive_record(measurement, actor=actor, expected_version=expected_version)


def measurement_restore(
    *, actor: Any, measurement: Measurement, expected_version: int | None = None
) -> Measurement:
    require(actor, Action.DELETE, measurement)
    with transaction.atomic():
        _check_unique(
            measurement.relationship, measurement.measure, measurement.measured_on, measurement.pk
        )
        return restore_record(measurement, actor=actor, expected_version=expected_version)
