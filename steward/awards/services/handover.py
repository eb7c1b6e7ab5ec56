"""What a confirmed award hands over: a draft contract through the contracts engine and the
saving in the savings register, both linked on the award.

The contract is drafted as the event's owner and owned by them. An owner who may not create
contracts on the vendor's relationship (a buyer outside the vendor's team) drafts it through the
relationship's owner, who always may; the owner of the draft is still the buyer. Its kind: an
order form under the vendor's master agreement in force when there is one; otherwise a master
agreement for a request for proposal and an order form for a request for quotation.

The saving is measured on the lines with a baseline (the target price, else the last price
paid), the line's quantity taken as a year's volume: baseline annual spend = Σ quantity x
baseline, negotiated annual savings = Σ quantity x (baseline - awarded price). It is recorded in
progress: the terms are agreed, and the register's measure of realized savings then follows the
vendor's spend; it becomes delivered when that spend bears it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.awards import evaluation as ev
from steward.awards.matrix import closing_day
from steward.awards.models import Award, AwardLine
from steward.contracts.choices import ContractKind
from steward.contracts.lifecycle import IN_FORCE
from steward.contracts.models import Contract
from steward.contracts.services.contracts import contract_create
from steward.core.access import can_create, principal_for
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative
from steward.savings.services.initiatives import savings_initiative_create
from steward.sourcing.choices import EventKind
from steward.sourcing.models import SourcingEvent
from steward.spend.conversion import convert
from steward.spend.money import base_currency


def drafter_of(award: Award) -> Any:
    """Who writes the contract and the saving: the event's owner, or the relationship's owner
    when the event's owner may not create contracts on the vendor's relationship."""
    owner = award.event.owner
    relationship = award.invitation.supplier.relationship
    if owner.is_active and can_create(owner, Contract, parent=relationship):
        return owner
    return relationship.owner


def _owner_for(award: Award, drafter: Any) -> Any:
    owner = award.event.owner
    return owner if principal_for(owner).is_internal else drafter


def _lines(award: Award) -> list[AwardLine]:
    return list(award.lines.select_related("line").order_by("line__number"))


def _description(award: Award, lines: list[AwardLine]) -> str:
    event = award.event
    rows = [
        f"{a.line.number}. {a.line.description}: {a.quantity.normalize():f} {a.line.unit} at "
        f"{a.unit_price.normalize():f} {event.currency} = "
        f"{ev.money(a.quantity * a.unit_price)} {event.currency}"
        for a in lines
    ]
    return "\n".join([f"Awarded from sourcing event {event.reference} {event.title}.", "", *rows])


def _kind_and_master(award: Award) -> tuple[str, Contract | None]:
    master = (
        Contract.objects.filter(
            relationship_id=award.invitation.supplier_id,
            kind=ContractKind.MASTER,
            status__in=IN_FORCE,
            archived_at__isnull=True,
        )
        .order_by("-start_date", "-pk")
        .first()
    )
    if master is not None:
        return ContractKind.ORDER_FORM, master
    if award.event.kind == EventKind.RFP:
        return ContractKind.MASTER, None
    return ContractKind.ORDER_FORM, None


def contract_draft(award: Award, *, drafter: Any) -> Contract:
    event = award.event
    lines = _lines(award)
    kind, master = _kind_and_master(award)
    return contract_create(
        actor=drafter,
        relationship=award.invitation.supplier.relationship,
        title=f"{event.reference} {event.title}"[:200],
        kind=kind,
        owner=_owner_for(award, drafter),
        parent=master,
        reference=event.reference,
        description=_description(award, lines),
        currency=event.currency,
        total_value=award.total,
    )


def in_base_currency(event: SourcingEvent, amount: Decimal) -> Decimal:
    """The register keeps the ledger's base currency: converted at the closing day's rates
    (``award_propose`` calls this first, so a missing rate stops the buyer, not the vendor)."""
    return convert(amount, event.currency, base_currency(), closing_day(event))


@dataclass(frozen=True)
class Saving:
    baseline_spend: Decimal
    saving: Decimal


def saving_of(event: SourcingEvent, lines: list[AwardLine]) -> Saving | None:
    """The award's saving over the lines with a baseline, in the base currency; None when no
    line has one."""
    measured = [a for a in lines if a.baseline_unit_price is not None]
    if not measured:
        return None
    baseline = sum((a.quantity * a.baseline_unit_price for a in measured), Decimal(0))  # type: ignore[operator]
    awarded = sum((a.quantity * a.unit_price for a in measured), Decimal(0))
    return Saving(
        baseline_spend=ev.money(in_base_currency(event, baseline)),
        saving=ev.money(in_base_currency(event, baseline - awarded)),
    )


def savings_record(award: Award, *, drafter: Any, contract: Contract) -> SavingsInitiative | None:
    """The award's saving in the register, or None when no awarded line has a baseline."""
    event = award.event
    saving = saving_of(event, _lines(award))
    if saving is None:
        return None
    notes = f"From the award of sourcing event {event.reference}."
    if saving.saving < 0:
        # The register keeps savings, not overruns: the award costs more than its baseline.
        notes += (
            f" The awarded prices cost {-saving.saving} {base_currency()} a year more than the "
            "baseline; no saving is claimed."
        )
    return savings_initiative_create(
        actor=drafter,
        title=f"Sourcing award {event.reference}: {award.invitation.supplier}"[:200],
        kind=SavingsKind.SOURCING_AWARD,
        owner=_owner_for(award, drafter),
        supplier=award.invitation.supplier,
        category=event.category,
        contract=contract,
        baseline_method=BaselineMethod.ANNUAL_SPEND,
        baseline_annual_spend=saving.baseline_spend,
        negotiated_annual_savings=max(saving.saving, Decimal(0)),
        effective_date=timezone.localdate(),
        notes=notes,
        status=SavingsStatus.IN_PROGRESS,
    )
