"""Writes on service levels: their definitions and measurements. Every change of a
measurement judges its period again (see ``sla_periods``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from steward.contracts import sla
from steward.contracts.models import Contract
from steward.contracts.models.sla import (
    MeasurementSource,
    ServiceLevel,
    SlaMeasurement,
)
from steward.contracts.services.sla_periods import (
    evaluate_day,
    number_field,
    parse_credit_rule,
)
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    update_record,
    validate_fields,
)

SERVICE_LEVEL_FIELDS = frozenset(
    {
        "name",
        "metric",
        "unit",
        "target",
        "direction",
        "window",
        "aggregation",
        "credit_tiers",
        "cap_percent",
        "period_fee",
        "currency",
        "active",
    }
)


# --- definitions -----------------------------------------------------------------------------


def _check_service_level(level: ServiceLevel) -> None:
    level.name = level.name.strip()
    level.metric = slugify(level.metric)
    level.currency = (level.currency or level.contract.currency).strip().upper()
    if not level.name:
        raise DomainError("Name the service level.", field="name")
    if not level.metric:
        raise DomainError("Give the metric a short code.", field="metric")
    level.target = number_field(level.target, "target")
    level.period_fee = number_field(level.period_fee, "period_fee")
    if level.direction not in {d.value for d in sla.Direction}:
        raise DomainError("Say whether the target is a floor or a ceiling.", field="direction")
    if level.aggregation not in {a.value for a in sla.Aggregation}:
        raise DomainError("Choose how a period's measurements add up.", field="aggregation")
    rule = parse_credit_rule(level.credit_tiers or [], level.cap_percent)
    # Stored as text, so no float ever stands in for a percent.
    level.credit_tiers = [
        {"shortfall_from": str(t.shortfall_from), "credit_percent": str(t.credit_percent)}
        for t in rule.tiers
    ]
    try:
        validate_fields(level)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), field=field) from error
    taken = ServiceLevel.objects.active().filter(contract=level.contract, metric=level.metric)
    if taken.exclude(pk=level.pk).exists():
        raise DuplicateError(
            f"This contract already has a service level “{level.metric}”.", field="metric"
        )


def service_level_add(
    *,
    actor: Any,
    contract: Contract,
    name: str,
    metric: str,
    target: Decimal | str,
    direction: str,
    **fields: Any,
) -> ServiceLevel:
    """Define a service level on a contract; its currency defaults to the contract's."""
    require_create(actor, ServiceLevel, parent=contract)
    refuse_unknown_fields(fields, SERVICE_LEVEL_FIELDS)
    level = ServiceLevel(
        contract=contract, name=name, metric=metric, target=target, direction=direction, **fields
    )
    _check_service_level(level)
    return create_record(level, actor=actor)


def service_level_update(
    *, actor: Any, service_level: ServiceLevel, expected_version: int, **changes: Any
) -> ServiceLevel:
    """Edit a definition. Judged periods keep their results until they are evaluated again;
    the window cannot change once periods were judged by it."""
    require(actor, Action.CHANGE, service_level)
    refuse_unknown_fields(changes, SERVICE_LEVEL_FIELDS)
    window = changes.get("window", service_level.window)
    if window != service_level.window and service_level.period_results.exists():
        raise DomainError(
            "Periods were judged by this window already; define a new service level instead.",
            field="window",
        )
    return update_record(
        service_level,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_service_level,
    )


# --- measurements ----------------------------------------------------------------------------


def measurement_problems(
    service_level: ServiceLevel, measured_on: dt.date, *, today: dt.date
) -> list[tuple[str, str]]:
    """Why a measurement on ``measured_on`` cannot be taken, as (field, reason) pairs."""
    contract = service_level.contract
    problems: list[tuple[str, str]] = []
    if not service_level.active or service_level.is_archived:
        problems.append(("metric", f"“{service_level.metric}” is no longer measured"))
    if measured_on > today:
        problems.append(("measured_on", "lies in the future"))
    elif contract.start_date and measured_on < contract.start_date:
        problems.append(("measured_on", f"is before the contract began ({contract.start_date})"))
    elif contract.end_date and measured_on > contract.end_date:
        problems.append(("measured_on", f"is after the contract ended ({contract.end_date})"))
    return problems


def measurement_record(
    *,
    actor: Any,
    service_level: ServiceLevel,
    measured_on: dt.date,
    value: Decimal | str,
    note: str = "",
    source: str = MeasurementSource.UI,
    today: dt.date | None = None,
) -> SlaMeasurement:
    """Record one day's value and judge its period again (a closed period is recomputed)."""
    require_create(actor, SlaMeasurement, parent=service_level)
    if not isinstance(measured_on, dt.date):
        raise DomainError("Give the day it was measured.", field="measured_on")
    number = number_field(value, "value")
    if source not in MeasurementSource.values:
        raise DomainError("Unknown source of the measurement.", field="source")
    for field, reason in measurement_problems(
        service_level, measured_on, today=today or timezone.localdate()
    ):
        raise DomainError(f"The day {reason}.", field=field)
    if service_level.measurements.active().filter(measured_on=measured_on).exists():
        raise DuplicateError(
            f"{service_level} already has a measurement on {measured_on}; correct that one.",
            field="measured_on",
        )
    with transaction.atomic():
        measurement = create_record(
            SlaMeasurement(
                service_level=service_level,
                measured_on=measured_on,
                value=number,
                source=source,
                entered_by=actor,
                note=note.strip(),
            ),
            actor=actor,
        )
        evaluate_day(service_level, measured_on, actor=actor, today=today)
    return measurement


def measurement_update(
    *,
    actor: Any,
    measurement: SlaMeasurement,
    expected_version: int,
    value: Decimal | str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> SlaMeasurement:
    """Correct a measured value or its note; the period is judged again."""
    require(actor, Action.CHANGE, measurement)
    changes: dict[str, Any] = {}
    if value is not None:
        changes["value"] = number_field(value, "value")
    if note is not None:
        changes["note"] = note.strip()
    with transaction.atomic():
        updated = update_record(
            measurement, actor=actor, expected_version=expected_version, changes=changes
        )
        evaluate_day(updated.service_level, updated.measured_on, actor=actor, today=today)
    return updated
