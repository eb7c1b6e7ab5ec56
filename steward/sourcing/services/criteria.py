"""Non-price evaluation criteria of a weighted event.

Each criterion is worth at most ``max_value`` of the price (a fraction in (0, 0.3]); the
maxima of an event's criteria sum to at most 0.3, so that the evaluated price
price / (1 + sum of values / (1 - sum of maxima)) stays defined and bounded. Editable while a draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from steward.core.access import require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, refuse_unknown_fields, text
from steward.sourcing.choices import EvaluationMethod, LogAction
from steward.sourcing.models import EvaluationCriterion, SourcingEvent
from steward.sourcing.services.common import change_part, locked_event, remove_part, require_draft
from steward.sourcing.services.log import log_event

MAX_SUM = Decimal("0.3")
PLACES = Decimal("0.0001")
CRITERION_FIELDS = frozenset({"name", "description", "max_value", "order"})


def criteria_problem(maxima: Iterable[Decimal]) -> str | None:
    """Why these maxima cannot stand together, or None: each in (0, 0.3], summing ≤ 0.3."""
    values = list(maxima)
    for value in values:
        if not Decimal(0) < value <= MAX_SUM:
            return f"Each criterion's maximum lies above 0 and at most 0.3, not {value}."
    total = sum(values, Decimal(0))
    if total > MAX_SUM:
        return f"The criteria's maxima sum to {total.normalize()}; they may sum to at most 0.3."
    return None


def _max_value(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise DomainError(
            f"“{value}” is not a number.", field="max_value", code="invalid"
        ) from error
    if not number.is_finite() or number != number.quantize(PLACES):
        raise DomainError(
            "Give the maximum with at most four decimal places, e.g. 0.05.",
            field="max_value",
            code="invalid",
        )
    if not Decimal(0) < number <= MAX_SUM:
        raise DomainError(
            "A criterion's maximum lies above 0 and at most 0.3 (a fraction of the price).",
            field="max_value",
            code="out_of_range",
        )
    return number


def _check_sum(event: SourcingEvent, value: Decimal, *, leaving_out: int | None = None) -> None:
    others = event.criteria.filter(archived_at__isnull=True)
    if leaving_out is not None:
        others = others.exclude(pk=leaving_out)
    total = sum(others.values_list("max_value", flat=True), Decimal(0)) + value
    if total > MAX_SUM:
        raise DomainError(
            f"With this one the criteria's maxima sum to {total.normalize()}; they may sum to at "
            "most 0.3.",
            field="max_value",
            code="sum_too_high",
        )


def _require_weighted(event: SourcingEvent) -> None:
    if event.evaluation_method != EvaluationMethod.WEIGHTED:
        raise DomainError(
            "Criteria belong to weighted evaluations; this event is evaluated on price alone.",
            code="not_weighted",
        )


def _duplicate(name: str) -> DuplicateError:
    return DuplicateError(f"The event has a criterion named “{name}” already.", field="name")


def criterion_add(
    *,
    actor: Any,
    event: SourcingEvent,
    name: str,
    max_value: Any,
    description: str = "",
    order: int | None = None,
) -> EvaluationCriterion:
    require_create(actor, EvaluationCriterion, parent=event)
    name = text(name, field="name", label="name", required=True, limit=120)
    value = _max_value(max_value)
    with transaction.atomic():
        locked = locked_event(event)
        require_draft(locked, "criteria change")
        _require_weighted(locked)
        if locked.criteria.filter(archived_at__isnull=True, name=name).exists():
            raise _duplicate(name)
        _check_sum(locked, value)
        criterion = EvaluationCriterion(
            event=locked,
            name=name,
            description=text(description, field="description", label="description"),
            max_value=value,
            order=order if order is not None else locked.criteria.count(),
        )
        try:
            with transaction.atomic():
                create_record(criterion, actor=actor, reason="Criterion added")
        except IntegrityError as clash:
            raise _duplicate(name) from clash
        log_event(
            locked, LogAction.CHANGED, f"Criterion “{name}” added (max {value}).", actor=actor
        )
    return criterion


def criterion_update(
    *, actor: Any, criterion: EvaluationCriterion, expected_version: int | None, **changes: Any
) -> EvaluationCriterion:
    refuse_unknown_fields(changes, CRITERION_FIELDS)
    if "name" in changes:
        changes["name"] = text(
            changes["name"], field="name", label="name", required=True, limit=120
        )
    if "description" in changes:
        changes["description"] = text(
            changes["description"], field="description", label="description"
        )
    if "max_value" in changes:
        changes["max_value"] = _max_value(changes["max_value"])

    def check(event: SourcingEvent) -> None:
        name = changes.get("name")
        others = event.criteria.filter(archived_at__isnull=True).exclude(pk=criterion.pk)
        if name and others.filter(name=name).exists():
            raise _duplicate(name)
        if "max_value" in changes:
            _check_sum(event, changes["max_value"], leaving_out=criterion.pk)

    return change_part(
        actor=actor,
        part=criterion,
        expected_version=expected_version,
        changes=changes,
        what="criteria change",
        summary=lambda updated: f"Criterion “{updated.name}” changed.",
        check=check,
    )


def criterion_remove(
    *, actor: Any, criterion: EvaluationCriterion, expected_version: int | None = None
) -> EvaluationCriterion:
    return remove_part(
        actor=actor,
        part=criterion,
        expected_version=expected_version,
        what="criteria change",
        summary=lambda gone: f"Criterion “{gone.name}” removed.",
    )
