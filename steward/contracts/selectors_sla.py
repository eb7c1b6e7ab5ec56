"""Reads on service levels: definitions, measurements, attainment trend, breaches, the credits
ledger. Every query starts from what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from steward.contracts.models import Contract
from steward.contracts.models.sla import (
    CreditStatus,
    ServiceCredit,
    ServiceLevel,
    SlaBreach,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.core.access import Action, get_for_user


def service_levels(user: Any, contract: Contract) -> QuerySet[ServiceLevel]:
    """The contract's service levels in force (not archived), by name."""
    return (
        ServiceLevel.objects.restrict(user, Action.VIEW)
        .active()
        .filter(contract=contract)
        .order_by("name", "pk")
    )


def service_level_get(user: Any, pk: Any, action: Action = Action.VIEW) -> ServiceLevel:
    return get_for_user(
        ServiceLevel.objects.select_related("contract"), user=user, pk=pk, action=action
    )


def measurements(
    user: Any,
    service_level: ServiceLevel,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[SlaMeasurement]:
    """Measurements of a service level, oldest first, optionally within [start, end]."""
    rows = (
        SlaMeasurement.objects.restrict(user, Action.VIEW)
        .active()
        .filter(service_level=service_level)
        .select_related("entered_by")
        .order_by("measured_on", "pk")
    )
    if start is not None:
        rows = rows.filter(measured_on__gte=start)
    if end is not None:
        rows = rows.filter(measured_on__lte=end)
    return rows


def attainment_trend(user: Any, service_level: ServiceLevel) -> QuerySet[SlaPeriodResult]:
    """The judged periods of a service level in order: a chart's points against the target."""
    return (
        SlaPeriodResult.objects.restrict(user, Action.VIEW)
        .filter(service_level=service_level)
        .order_by("period_start")
    )


def breaches(user: Any, contract: Contract, *, open_only: bool = True) -> QuerySet[SlaBreach]:
    """Breaches on a contract's service levels, newest first; cleared ones only on request."""
    rows = (
        SlaBreach.objects.restrict(user, Action.VIEW)
        .filter(period_result__service_level__contract=contract)
        .select_related("period_result__service_level")
        .order_by("-period_result__period_start", "-pk")
    )
    return rows.filter(cleared_at__isnull=True) if open_only else rows


@dataclass(frozen=True)
class CreditsLedger:
    """A contract's credits and what they add up to, per status and currency."""

    credits: QuerySet[ServiceCredit]
    totals: dict[str, dict[str, Decimal]]  # status -> currency -> amount

    def total(self, status: str, currency: str) -> Decimal:
        return self.totals.get(status, {}).get(currency, Decimal("0.00"))


def credits_ledger(user: Any, contract: Contract) -> CreditsLedger:
    rows = (
        ServiceCredit.objects.restrict(user, Action.VIEW)
        .active()
        .filter(period_result__service_level__contract=contract)
        .select_related("period_result__service_level")
        .order_by("-period_result__period_start", "period_result__service_level__name", "pk")
    )
    totals: dict[str, dict[str, Decimal]] = {status: {} for status in CreditStatus.values}
    sums = rows.order_by().values("status", "currency").annotate(amount=Sum("amount"))
    for row in sums:
        totals[row["status"]][row["currency"]] = row["amount"]
    return CreditsLedger(credits=rows, totals=totals)


def credit_get(user: Any, pk: Any, action: Action = Action.VIEW) -> ServiceCredit:
    return get_for_user(
        ServiceCredit.objects.select_related("period_result__service_level__contract"),
        user=user,
        pk=pk,
        action=action,
    )


# --- the contract page's SLA tab -------------------------------------------------------------

RECENT_PERIODS = 6


@dataclass(frozen=True)
class ServiceLevelOverview:
    """One service level with its judged periods, oldest first (the chart's points)."""

    level: ServiceLevel
    periods: list[SlaPeriodResult]

    @property
    def recent(self) -> list[SlaPeriodResult]:
        """The latest periods, newest first (the table beside the chart)."""
        return self.periods[-RECENT_PERIODS:][::-1]


def sla_overview(user: Any, contract: Contract) -> list[ServiceLevelOverview]:
    """The contract's service levels and their periods in two queries, whatever their number."""
    levels = list(service_levels(user, contract).select_related("contract"))
    periods: dict[int, list[SlaPeriodResult]] = {level.pk: [] for level in levels}
    results = (
        SlaPeriodResult.objects.restrict(user, Action.VIEW)
        .filter(service_level__in=levels)
        .order_by("service_level_id", "period_start")
    )
    for result in results:
        periods[result.service_level_id].append(result)
    return [ServiceLevelOverview(level=level, periods=periods[level.pk]) for level in levels]


def period_results(user: Any) -> QuerySet[SlaPeriodResult]:
    """Every judged period the user may see (the API filters it)."""
    return SlaPeriodResult.objects.restrict(user, Action.VIEW).select_related("service_level")


def all_credits(user: Any) -> QuerySet[ServiceCredit]:
    return ServiceCredit.objects.restrict(user, Action.VIEW).select_related(
        "period_result__service_level"
    )


def all_breaches(user: Any) -> QuerySet[SlaBreach]:
    return SlaBreach.objects.restrict(user, Action.VIEW).select_related(
        "period_result__service_level"
    )
