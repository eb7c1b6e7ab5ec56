"""Writes on the savings register: create, edit, move along the workflow, archive, and take up a
lever the ledger suggests.

Every inside user who may write records may start an initiative; they own it (or name another
inside owner). Whoever may change the initiative (its owner, who may change its vendor, finance,
administrators) edits it. Each write is one transaction with one history record naming the actor;
edits carry the version the editor read. A refusal names the field at fault and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.contracts.models import Contract
from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError, DuplicateError, TransitionError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.savings import selectors
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.levers import Lever
from steward.savings.models import SavingsInitiative
from steward.suppliers.models import Category, Supplier

S = SavingsStatus

EDITABLE = frozenset(
    {
        "title",
        "kind",
        "owner",
        "supplier",
        "category",
        "contract",
        "baseline_method",
        "item",
        "baseline_unit_price",
        "baseline_annual_spend",
        "estimated_annual_savings",
        "negotiated_unit_price",
        "negotiated_annual_savings",
        "effective_date",
        "end_date",
        "notes",
    }
)

# The workflow: where an initiative may go from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.IDENTIFIED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.IDENTIFIED, S.DELIVERED, S.CANCELLED}),
    # Reopened when later spend shows the saving did not hold.
    S.DELIVERED: frozenset({S.IN_PROGRESS}),
    S.CANCELLED: frozenset({S.IDENTIFIED}),
}
# Statuses in which the saving is measured from spend: they need what the measure needs.
MEASURED = frozenset({S.IN_PROGRESS, S.DELIVERED})

_AMOUNTS = {
    "baseline_unit_price": "The baseline unit price",
    "baseline_annual_spend": "The baseline annual spend",
    "estimated_annual_savings": "The estimated annual savings",
    "negotiated_unit_price": "The negotiated unit price",
    "negotiated_annual_savings": "The negotiated annual savings",
}


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def _check_amounts(initiative: SavingsInitiative) -> None:
    for field, label in _AMOUNTS.items():
        value = getattr(initiative, field)
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite():
            raise DomainError(f"{label} is a number.", field=field)
        if value < 0:
            raise DomainError(f"{label} cannot be negative.", field=field)
    if initiative.baseline_unit_price is not None and initiative.baseline_unit_price == 0:
        raise DomainError(
            "A baseline unit price of 0 leaves nothing to save; give what a unit cost before.",
            field="baseline_unit_price",
        )


def _changed(initiative: SavingsInitiative, before: dict[str, Any], field: str) -> int | None:
    """The id now named in ``field`` when it is set and differs from ``before``, else None."""
    value: int | None = getattr(initiative, f"{field}_id")
    return value if value is not None and value != before.get(f"{field}_id") else None


def _check_links(actor: Any, initiative: SavingsInitiative, before: dict[str, Any]) -> None:
    """The vendor, category and contract named are ones the actor may name (checked when they
    change, so editing a title never fails on a vendor the owner no longer sees)."""
    supplier = _changed(initiative, before, "supplier")
    if supplier and not selectors.vendor_choices(user=actor).filter(pk=supplier).exists():
        raise DomainError("Choose a current vendor you may see.", field="supplier")
    category = _changed(initiative, before, "category")
    if category and not selectors.category_choices(user=actor).filter(pk=category).exists():
        raise DomainError("Choose a current category.", field="category")
    contract = _changed(initiative, before, "contract")
    if contract and not selectors.contract_choices(user=actor).filter(pk=contract).exists():
        raise DomainError("Choose a current contract you may see.", field="contract")
    if initiative.contract_id is None:
        return
    if initiative.supplier_id is None:
        raise DomainError("Name the vendor the contract is with.", field="supplier")
    with_vendor = Contract.objects.filter(
        pk=initiative.contract_id, relationship_id=initiative.supplier_id
    )
    if not with_vendor.exists():
        raise DomainError("The contract is with another vendor.", field="contract")


def _check_measurable(initiative: SavingsInitiative, status: str) -> None:
    """In progress or delivered, an initiative is measured: it needs a date, a subject and the
    baseline of its method."""
    if status not in MEASURED:
        return
    label = SavingsStatus(status).label.lower()
    if initiative.effective_date is None:
        raise DomainError(
            f"An initiative {label} needs the effective date of its terms.",
            field="effective_date",
            code="required",
        )
    if initiative.supplier_id is None and initiative.category_id is None:
        raise DomainError(
            f"An initiative {label} names the vendor or category its saving is measured on.",
            field="supplier",
            code="required",
        )
    if initiative.baseline_method == BaselineMethod.UNIT_PRICE:
        if initiative.baseline_unit_price is None:
            raise DomainError(
                "Measuring by unit price needs the baseline unit price.",
                field="baseline_unit_price",
                code="required",
            )
    elif initiative.baseline_annual_spend is None:
        raise DomainError(
            "Measuring by annual spend needs the baseline annual spend.",
            field="baseline_annual_spend",
            code="required",
        )


def _checker(actor: Any, before: dict[str, Any]) -> Any:
    def check(initiative: SavingsInitiative) -> None:
        initiative.title = (initiative.title or "").strip()
        initiative.item = (initiative.item or "").strip()
        initiative.notes = (initiative.notes or "").strip()
        if not initiative.title:
            raise DomainError("An initiative needs a title.", field="title", code="required")
        if initiative.kind not in SavingsKind.values:
            raise DomainError(f"{initiative.kind!r} is not a kind of saving.", field="kind")
        if initiative.baseline_method not in BaselineMethod.values:
            raise DomainError(
                f"{initiative.baseline_method!r} is not a baseline method.",
                field="baseline_method",
            )
        if initiative.owner_id is None or not principal_for(initiative.owner).is_internal:
            raise DomainError("The owner must be an active inside user.", field="owner")
        _check_amounts(initiative)
        if (
            initiative.effective_date is not None
            and initiative.end_date is not None
            and initiative.end_date < initiative.effective_date
        ):
            raise DomainError("The end date is before the effective date.", field="end_date")
        _check_links(actor, initiative, before)
        _check_measurable(initiative, initiative.status)
        validate_fields(initiative, exclude=["owner", "supplier", "category", "contract"])

    return check


def savings_initiative_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    owner: Any | None = None,
    supplier: Supplier | None = None,
    category: Category | None = None,
    contract: Contract | None = None,
    baseline_method: str = BaselineMethod.ANNUAL_SPEND,
    item: str = "",
    baseline_unit_price: Decimal | None = None,
    baseline_annual_spend: Decimal | None = None,
    estimated_annual_savings: Decimal | None = None,
    negotiated_unit_price: Decimal | None = None,
    negotiated_annual_savings: Decimal | None = None,
    effective_date: dt.date | None = None,
    end_date: dt.date | None = None,
    notes: str = "",
    status: str = SavingsStatus.IDENTIFIED,
) -> SavingsInitiative:
    """Record an initiative; it starts identified unless told otherwise (a negotiation already
    concluded may be recorded in progress or delivered, with what measuring it needs)."""
    require_create(actor, SavingsInitiative)
    if status not in SavingsStatus.values or status == S.CANCELLED:
        raise DomainError(
            "An initiative starts identified, in progress or delivered.", field="status"
        )
    initiative = SavingsInitiative(
        title=title,
        kind=kind,
        status=status,
        owner=owner or actor,
        supplier=supplier,
        category=category,
        contract=contract,
        baseline_method=baseline_method,
        item=item,
        baseline_unit_price=baseline_unit_price,
        baseline_annual_spend=baseline_annual_spend,
        estimated_annual_savings=estimated_annual_savings,
        negotiated_unit_price=negotiated_unit_price,
        negotiated_annual_savings=negotiated_annual_savings,
        effective_date=effective_date,
        end_date=end_date,
        notes=notes,
    )
    _checker(actor, {})(initiative)
    return create_record(initiative, actor=actor)


def savings_initiative_update(
    *, actor: Any, initiative: SavingsInitiative, expected_version: int, **changes: Any
) -> SavingsInitiative:
    """Edit an initiative (its status moves through ``savings_initiative_transition``)."""
    require(actor, Action.CHANGE, initiative)
    refuse_unknown_fields(changes, EDITABLE)
    before = {
        "supplier_id": initiative.supplier_id,
        "category_id": initiative.category_id,
        "contract_id": initiative.contract_id,
    }
    return update_record(
        initiative,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_checker(actor, before),
    )


def savings_initiative_transition(
    *,
    actor: Any,
    initiative: SavingsInitiative,
    to_status: str,
    expected_version: int | None = None,
    reason: str = "",
) -> SavingsInitiative:
    """Move the initiative along ``TRANSITIONS``; cancelling needs a reason. Moving to where it
    already is changes nothing."""
    require(actor, Action.CHANGE, initiative)
    if to_status not in SavingsStatus.values:
        raise DomainError(f"{to_status!r} is not a status.", field="to_status")
    with transaction.atomic():
        locked = lock_for_update(initiative, expected_version=expected_version)
        if locked.is_archived:
            raise DomainError("This initiative is archived; restore it first.", code="archived")
        if locked.status == to_status:
            return locked
        if to_status not in allowed_next(locked.status):
            allowed = ", ".join(
                SavingsStatus(s).label.lower() for s in sorted(allowed_next(locked.status))
            )
            raise TransitionError(
                f"An initiative {locked.get_status_display().lower()} can move to {allowed}, "
                f"not {SavingsStatus(to_status).label.lower()}.",
                field="to_status",
            )
        reason = reason.strip()
        if to_status == S.CANCELLED and not reason:
            raise DomainError(
                "Say why the initiative is cancelled.", field="reason", code="required"
            )
        _check_measurable(locked, to_status)
        locked.status = to_status
        label = SavingsStatus(to_status).label
        return save_with_history(locked, actor=actor, reason=reason or label)


def savings_initiative_archive(
    *, actor: Any, initiative: SavingsInitiative, expected_version: int | None = None
) -> SavingsInitiative:
    require(actor, Action.DELETE, initiative)
    return archive_record(initiative, actor=actor, expected_version=expected_version)


def savings_initiative_restore(
    *, actor: Any, initiative: SavingsInitiative, expected_version: int | None = None
) -> SavingsInitiative:
    require(actor, Action.DELETE, initiative)
    try:
        with transaction.atomic():
            return restore_record(initiative, actor=actor, expected_version=expected_version)
    except IntegrityError as error:
        raise DuplicateError(
            "Another initiative took up the same lever since; this one stays archived.",
            field="lever",
        ) from error


def _lever_notes(lever: Lever) -> str:
    lines = [lever.reason, ""]
    lines += [f"{label}: {value}" for label, value in lever.figures]
    first, last = lever.period.first, lever.period.last
    lines.append(f"Period: {first // 100}-{first % 100:02d} to {last // 100}-{last % 100:02d}")
    return "\n".join(lines)


def savings_initiative_from_lever(
    *, actor: Any, key: str, today: dt.date | None = None
) -> SavingsInitiative:
    """Take up a lever the ledger suggests to ``actor``: an identified initiative they own, with
    the lever's spend as baseline and its estimate as the expected saving."""
    require_create(actor, SavingsInitiative)
    lever = selectors.lever_get(user=actor, key=key, today=today or timezone.localdate())
    if lever is None:
        raise DomainError(
            "There is no such suggestion for the spend you may see (it may have changed).",
            field="lever",
            code="unknown_lever",
        )
    if lever.taken_up:
        raise DuplicateError("This lever was taken up in an initiative already.", field="lever")
    subject = lever.supplier_name or lever.category_name
    contract = None
    if lever.contract_id is not None:
        contract = selectors.contract_choices(user=actor).filter(pk=lever.contract_id).first()
    initiative = SavingsInitiative(
        title=f"{lever.title}: {subject}"[:200],
        kind=lever.kind,
        status=S.IDENTIFIED,
        owner=actor,
        supplier_id=lever.supplier_id,
        category_id=lever.category_id,
        contract=contract,
        baseline_method=BaselineMethod.ANNUAL_SPEND,
        baseline_annual_spend=lever.spend,
        estimated_annual_savings=lever.estimated_saving,
        notes=_lever_notes(lever),
        lever_key=lever.key,
    )
    _checker(actor, {})(initiative)
    try:
        with transaction.atomic():
            return create_record(initiative, actor=actor, reason="Created from a lever")
    except IntegrityError as error:
        raise DuplicateError(
            "This lever was taken up in an initiative already.", field="lever"
        ) from error
