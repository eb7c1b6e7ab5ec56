"""Service-level periods judged and booked: the numbers, the credit rule, period evaluation
and the credits ledger.

A period is judged by ``sla_period_evaluate``, which every change of its measurements calls
again, so a result never goes stale and a period may be judged any number of times with the same
outcome. Breaches and credits are booked only for periods that are over: an open month is
provisional. A recomputation that clears a breach waives its credit instead of deleting it, so
the ledger keeps what was once owed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from steward.contracts import hooks, lifecycle, sla
from steward.contracts.models import Contract
from steward.contracts.models.sla import (
    NUMBER_DIGITS,
    NUMBER_PLACES,
    CreditStatus,
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaPeriodResult,
    SlaWindow,
)
from steward.contracts.services.obligations import contract_url
from steward.core.access import Action, require
from steward.core.errors import DomainError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, update_record
from steward.core.tabular import parse_decimal

BREACH_ALERT = "contracts.sla_breach"

CREDIT_MOVES: Mapping[str, frozenset[str]] = {
    CreditStatus.OWED: frozenset({CreditStatus.CLAIMED, CreditStatus.WAIVED}),
    CreditStatus.CLAIMED: frozenset({CreditStatus.RECEIVED, CreditStatus.WAIVED}),
}
_LARGEST = Decimal(10) ** (NUMBER_DIGITS - NUMBER_PLACES)
_STORED = Decimal(1).scaleb(-NUMBER_PLACES)


# --- periods and numbers ---------------------------------------------------------------------


def period_bounds(window: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the monthly or quarterly period that contains ``day``."""
    months = 3 if window == SlaWindow.QUARTERLY else 1
    start = day.replace(day=1, month=day.month - (day.month - 1) % months)
    return start, start + relativedelta(months=months) - dt.timedelta(days=1)


def service_days(contract: Contract, start: dt.date, end: dt.date) -> int:
    """Days of the period the contract was in force: the basis of a prorated credit."""
    first = max(start, contract.start_date) if contract.start_date else start
    last = min(end, contract.end_date) if contract.end_date else end
    return max((last - first).days + 1, 0)


def to_number(raw: object) -> Decimal:
    """A measured value or target as a Decimal that fits the stored precision (the same rule as
    every imported number; the error reads after the field's name)."""
    return parse_decimal(raw, places=NUMBER_PLACES, limit=_LARGEST)


def number_field(raw: object, field: str) -> Decimal:
    try:
        return to_number(raw)
    except ValueError as error:
        raise DomainError(f"The value {error}.", field=field) from error


# --- the credit rule ---------------------------------------------------------------------------


def parse_credit_rule(tiers: Iterable[Mapping[str, Any]], cap_percent: object) -> sla.CreditRule:
    """The credit rule the stored tiers describe; a bad rule is refused naming its field."""
    cap = None if cap_percent in (None, "") else number_field(cap_percent, "cap_percent")
    try:
        parsed = tuple(
            sla.CreditTier(
                shortfall_from=to_number(tier["shortfall_from"]),
                credit_percent=to_number(tier["credit_percent"]),
            )
            for tier in tiers
        )
    except (KeyError, TypeError, ValueError) as error:
        raise DomainError(
            "Each credit tier needs a shortfall_from and a credit_percent between 0 and 100 "
            f"({error}).",
            field="credit_tiers",
        ) from error
    try:
        return sla.CreditRule(tiers=parsed, cap_percent=cap)
    except (TypeError, ValueError) as error:
        field = "cap_percent" if "cap_percent" in str(error) else "credit_tiers"
        raise DomainError(f"The credit rule is not valid: {error}.", field=field) from error


def credit_rule_of(service_level: ServiceLevel) -> sla.CreditRule:
    return parse_credit_rule(service_level.credit_tiers, service_level.cap_percent)


def evaluate_day(
    service_level: ServiceLevel, day: dt.date, *, actor: Any = None, today: dt.date | None = None
) -> SlaPeriodResult:
    """Judge the period that contains ``day``."""
    start, _ = period_bounds(service_level.window, day)
    return sla_period_evaluate(
        service_level=service_level, period_start=start, today=today, actor=None, booked_by=actor
    )


# --- evaluation ------------------------------------------------------------------------------


def sla_period_evaluate(
    *,
    service_level: ServiceLevel,
    period_start: dt.date,
    actor: Any = None,
    today: dt.date | None = None,
    booked_by: Any = None,
) -> SlaPeriodResult:
    """Judge one period from its measurements and book its breach and credit once.

    ``actor`` is checked when a person asks for the evaluation; jobs and the measurement
    services pass none (``booked_by`` then names whom the history credits).
    """
    if actor is not None:
        require(actor, Action.CHANGE, service_level)
    start, end = period_bounds(service_level.window, period_start)
    if start != period_start:
        raise DomainError(
            f"A {service_level.get_window_display().lower()} period starts on {start}.",
            field="period_start",
        )
    contract = service_level.contract
    served, days = service_days(contract, start, end), (end - start).days + 1
    values = list(
        service_level.measurements.active()
        .filter(measured_on__range=(start, end))
        .order_by("measured_on")
        .values_list("value", flat=True)
    )
    outcome = sla.evaluate_period(
        values,
        method=service_level.aggregation,
        target=service_level.target,
        direction=service_level.direction,
        rule=credit_rule_of(service_level),
        period_fee=service_level.period_fee,
        service_days=served,
        period_days=days,
    )
    with transaction.atomic():
        result, _ = SlaPeriodResult.objects.update_or_create(
            service_level=service_level,
            period_start=start,
            defaults={
                "period_end": end,
                "value": _stored(outcome.value),
                "attainment": outcome.attainment,
                "breached": outcome.breached,
                "shortfall": _stored(outcome.shortfall),
                "credit": outcome.credit,
                "no_data": outcome.no_data,
                "service_days": served,
                "period_days": days,
                "closed": end < (today or timezone.localdate()),
                "computed_at": timezone.now(),
            },
        )
        _book_breach(result, by=actor or booked_by)
        _book_credit(result, service_level.currency, by=actor or booked_by)
    return result


def _stored(number: Decimal | None) -> Decimal | None:
    """Fit a computed figure (a mean has many places) to the stored precision for display;
    the verdict was reached on the exact figure."""
    return None if number is None else number.quantize(_STORED)


def _book_breach(result: SlaPeriodResult, *, by: Any) -> None:
    breach = SlaBreach.objects.filter(period_result=result).first()
    if result.closed and result.breached:
        if breach is None:
            breach = create_record(
                SlaBreach(period_result=result, opened_at=timezone.now()),
                actor=by,
                reason="Period breached",
            )
            _notify_breach(result)
            hooks.breach_opened(breach)
        elif breach.cleared_at is not None:
            breach = update_record(
                breach,
                actor=by,
                expected_version=None,
                changes={"cleared_at": None},
                reason="Breached again on recomputation",
            )
            _notify_breach(result)
            hooks.breach_opened(breach)
    elif breach is not None and breach.cleared_at is None:
        update_record(
            breach,
            actor=by,
            expected_version=None,
            changes={"cleared_at": timezone.now()},
            reason="Met on recomputation",
        )


def _notify_breach(result: SlaPeriodResult) -> None:
    """Tell the contract's owner in-app that a period was missed, and what it owes."""
    level = result.service_level
    contract = level.contract
    url = contract_url(contract)
    credit = f" A credit of {result.credit} {level.currency} is owed." if result.credit else ""
    notifications_send(
        [
            Alert(
                recipient_id=contract.owner_id,
                kind=BREACH_ALERT,
                title=f"SLA breached: {level} on {contract}, {result.period_start:%b %Y}",
                body=(
                    f"{level} came to {result.value} {level.unit} against a target of "
                    f"{level.get_direction_display().lower()} {level.target} for the period "
                    f"{result.period_start} to {result.period_end}.{credit}"
                ),
                url=f"{url}?tab=slas" if url else "",
            )
        ]
    )


def _book_credit(result: SlaPeriodResult, currency: str, *, by: Any) -> None:
    credit = ServiceCredit.objects.filter(period_result=result).first()
    owed = result.closed and result.breached and result.credit > 0
    if owed and credit is None:
        create_record(
            ServiceCredit(period_result=result, amount=result.credit, currency=currency),
            actor=by,
            reason="Credit owed for a breach",
        )
    elif owed and credit is not None:
        reopen = credit.status == CreditStatus.WAIVED and credit.waived_by_recomputation
        if credit.status == CreditStatus.OWED or reopen:
            # A claimed or received credit keeps the amount that was claimed.
            update_record(
                credit,
                actor=by,
                expected_version=None,
                changes={
                    "amount": result.credit,
                    "status": CreditStatus.OWED,
                    "waived_by_recomputation": False,
                },
                reason="Recomputed",
            )
    elif credit is not None and credit.status in (CreditStatus.OWED, CreditStatus.CLAIMED):
        # Money already received is settled; anything short of that is withdrawn, kept on file.
        update_record(
            credit,
            actor=by,
            expected_version=None,
            changes={"status": CreditStatus.WAIVED, "waived_by_recomputation": True},
            reason="No credit on recomputation",
        )


# --- the credits ledger ----------------------------------------------------------------------


def credit_mark(
    *,
    actor: Any,
    credit: ServiceCredit,
    status: str,
    on: dt.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ServiceCredit:
    """Move a credit along owed → claimed → received, or waive it while not yet received."""
    require(actor, Action.CHANGE, credit)
    allowed = CREDIT_MOVES.get(credit.status, frozenset())
    if status not in allowed:
        current = CreditStatus(credit.status).label.lower()
        target = CreditStatus(status).label.lower() if status in CreditStatus.values else status
        raise TransitionError(f"A credit that is {current} cannot become {target}.", field="status")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("The day cannot lie in the future.", field="on")
    changes: dict[str, Any] = {"status": status, "waived_by_recomputation": False}
    if note.strip():
        changes["note"] = note.strip()
    if status == CreditStatus.CLAIMED:
        changes["claimed_on"] = day
    elif status == CreditStatus.RECEIVED:
        if credit.claimed_on and day < credit.claimed_on:
            raise DomainError("It cannot be received before it was claimed.", field="on")
        changes["received_on"] = day
    elif not note.strip():
        raise DomainError("Say why the credit is waived.", field="note", code="required")
    return update_record(
        credit,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        reason=CreditStatus(status).label,
    )


# --- the daily close ---------------------------------------------------------------------------


def sla_periods_evaluate_ended(*, day: dt.date) -> int:
    """Judge, as closed, the periods that ended before ``day`` and are not closed yet.

    For every service level in use on a contract in force: the last period that ended before
    ``day`` (judged even without measurements, so that it shows as no data), and any earlier
    period judged while it was still open. A period already closed is left alone, so a second
    run the same day judges nothing. Returns how many periods were judged.
    """
    levels = list(
        ServiceLevel.objects.active()
        .filter(active=True, contract__archived_at__isnull=True)
        .filter(contract__status__in=lifecycle.IN_FORCE)
        .select_related("contract")
        .order_by("pk")
    )
    if not levels:
        return 0
    due: dict[tuple[int, dt.date], ServiceLevel] = {}
    for level in levels:
        current_start, _ = period_bounds(level.window, day)
        start, end = period_bounds(level.window, current_start - dt.timedelta(days=1))
        if service_days(level.contract, start, end) > 0:
            due[(level.pk, start)] = level
    by_pk = {level.pk: level for level in levels}
    stale = SlaPeriodResult.objects.filter(
        service_level__in=levels, closed=False, period_end__lt=day
    ).values_list("service_level_id", "period_start")
    for level_pk, start in stale:
        due[(level_pk, start)] = by_pk[level_pk]
    closed = set(
        SlaPeriodResult.objects.filter(
            service_level__in=levels, closed=True, period_start__in={s for _, s in due}
        ).values_list("service_level_id", "period_start")
    )
    judged = 0
    for key in sorted(due, key=lambda item: (item[1], item[0])):
        if key in closed:
            continue
        sla_period_evaluate(service_level=due[key], period_start=key[1], today=day)
        judged += 1
    return judged
