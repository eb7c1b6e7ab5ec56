"""What a contract commits for a period, in cents of the base currency.

A contract covers a month when its term (start to end date, whole months; open at either end
when a date is missing) overlaps it. For a period it commits its ``annual_value`` for each
month it covers (1/12 each); without one, its ``total_value`` spread evenly over its term
(``term_months``, else the months from start to end). The value is converted at the latest
exchange rate of its currency. No value, no term to spread over, or no rate: not known (None).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from steward.contracts.choices import ContractStatus
from steward.contracts.models import Contract
from steward.parties.choices import Side
from steward.spend.analytics.period import Period
from steward.spend.models import ExchangeRate
from steward.spend.money import base_currency, month_end, month_of, month_start, to_cents
from steward.spend.scope import SpendScope

# Contracts not (yet) in force commit nothing unless spend was booked against them.
NOT_IN_FORCE = (
    ContractStatus.DRAFT,
    ContractStatus.IN_NEGOTIATION,
    ContractStatus.PENDING_APPROVAL,
)


@dataclass(frozen=True)
class Commitment:
    supplier_id: int
    committed_cents: int | None


def contract_commitments(
    scope: SpendScope, period: Period, *, with_spend: Collection[int]
) -> dict[int, Commitment]:
    """Commitments of the contracts in ``with_spend`` and of the scope's vendors' contracts in
    force that commit a value over the period, by contract id."""
    in_force = (
        Q(relationship__side=Side.SUPPLY, archived_at__isnull=True)
        & ~Q(status__in=NOT_IN_FORCE)
        & (Q(annual_value__isnull=False) | Q(total_value__isnull=False))
        & (Q(start_date__isnull=True) | Q(start_date__lte=month_end(period.last)))
        & (Q(end_date__isnull=True) | Q(end_date__gte=month_start(period.first)))
    )
    if scope.supplier_ids is not None:
        in_force &= Q(relationship_id__in=scope.supplier_ids)
    contracts = Contract.objects.filter(in_force | Q(pk__in=list(with_spend))).only(
        "pk",
        "relationship_id",
        "currency",
        "annual_value",
        "total_value",
        "start_date",
        "end_date",
        "term_months",
    )
    rates: dict[str, Decimal | None] = {}
    result = {}
    for contract in contracts:
        if contract.currency not in rates:
            rates[contract.currency] = latest_rate(contract.currency)
        value = committed_value(contract, period)
        rate = rates[contract.currency]
        result[contract.pk] = Commitment(
            supplier_id=contract.relationship_id,
            committed_cents=None if value is None or rate is None else to_cents(value * rate),
        )
    return result


def committed_value(contract: Contract, period: Period) -> Decimal | None:
    """The value the contract commits over the period, in its own currency."""
    covered = covered_months(contract, period)
    if contract.annual_value is not None:
        return contract.annual_value * covered / 12
    term = contract.term_months or _term_from_dates(contract)
    if contract.total_value is None or not term:
        return None
    return contract.total_value * covered / term


def covered_months(contract: Contract, period: Period) -> int:
    first = (
        max(period.first, month_of(contract.start_date)) if contract.start_date else period.first
    )
    last = min(period.last, month_of(contract.end_date)) if contract.end_date else period.last
    if last < first:
        return 0
    return Period(first=first, last=last).length


def latest_rate(currency: str) -> Decimal | None:
    """Base units per unit of ``currency``: 1 for the base currency, else the latest rate."""
    if currency == base_currency():
        return Decimal(1)
    return (
        ExchangeRate.objects.filter(currency=currency, archived_at__isnull=True)
        .order_by("-rate_date")
        .values_list("rate", flat=True)
        .first()
    )


def _term_from_dates(contract: Contract) -> int:
    if not contract.start_date or not contract.end_date:
        return 0
    return Period(first=month_of(contract.start_date), last=month_of(contract.end_date)).length
