"""Writes on contracts: create and edit, the workflow and its approvals, the negotiation log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steward.contracts import lifecycle, terms
from steward.contracts.choices import ContractKind, ContractStatus, Decision
from steward.contracts.models import (
    ApprovalRule,
    Contract,
    ContractApproval,
    ContractStakeholder,
    ContractTransition,
    NegotiationEntry,
)
from steward.contracts.selectors_rules import rules_applying
from steward.core.access import Access, Action, principal_for, require, require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.services import (
    create_record,
    refuse_unknown_fields,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.choices import TeamRole
from steward.parties.models import Relationship

TERM_FIELDS = frozenset(
    {
        "currency",
        "total_value",
        "annual_value",
        "payment_terms",
        "start_date",
        "term_months",
        "end_date",
        "evergreen",
        "auto_renews",
        "renewal_term_months",
        "notice_count",
        "notice_unit",
    }
)
DESCRIPTIVE_FIELDS = frozenset({"title", "reference", "description", "owner", "kind", "parent"})
UNDER_A_MASTER = frozenset({ContractKind.STATEMENT_OF_WORK, ContractKind.AMENDMENT})


# --- terms -----------------------------------------------------------------------------------


def _check_terms(contract: Contract, *, today: dt.date | None = None) -> None:
    """Validate the terms and derive the end date and the notice deadline from them."""
    contract.title = contract.title.strip()
    contract.currency = contract.currency.strip().upper()
    validate_fields(contract)
    if contract.evergreen and (contract.term_months or contract.end_date or contract.auto_renews):
        raise DomainError(
            "An evergreen contract has no term, end date or renewal; it runs until notice.",
            field="evergreen",
        )
    if contract.auto_renews and not contract.term_months:
        _term_from_dates(contract)
    if contract.term_months:
        if contract.start_date is None:
            raise DomainError("A term needs a start date.", field="start_date")
        contract.end_date = terms.end_of_term(contract.start_date, contract.term_months)
        if contract.auto_renews:
            # The end of the term running now, however many renewals ago the contract began.
            months = int(contract.term_months)
            contract.end_date = terms.current_term(
                contract.start_date,
                months,
                renewal_months=contract.renewal_term_months or months,
                auto_renews=True,
                on=today or timezone.localdate(),
            ).end
    if contract.start_date and contract.end_date and contract.end_date < contract.start_date:
        raise DomainError("The end date cannot be before the start date.", field="end_date")
    if contract.auto_renews and not (contract.start_date and contract.end_date):
        raise DomainError(
            "An auto-renewing contract needs a start and an end (or a term).", field="auto_renews"
        )
    _check_parent(contract)
    contract.notice_deadline = notice_deadline_of(contract, today or timezone.localdate())


def _term_from_dates(contract: Contract) -> None:
    """Renewals repeat the term month by month, so an auto-renewing contract keeps its term in
    whole months: typed, or read exactly from the start and end dates."""
    if not (contract.start_date and contract.end_date):
        return  # refused below: an auto-renewing contract needs both
    months = terms.months_of_term(contract.start_date, contract.end_date)
    if months is None:
        raise DomainError(
            "An auto-renewing contract renews by whole months: give the term in months, or an "
            "end date whole months after the start (a start on 15 March, an end on a 14th).",
            field="end_date",
            code="invalid",
        )
    contract.term_months = months


def _check_parent(contract: Contract) -> None:
    parent = contract.parent
    if parent is None:
        if contract.kind in UNDER_A_MASTER:
            label = ContractKind(contract.kind).label.lower()
            raise DomainError(f"A {label} falls under a master agreement.", field="parent")
        return
    if parent.pk == contract.pk:
        raise DomainError("A contract cannot fall under itself.", field="parent")
    if parent.relationship.organization_id != contract.relationship.organization_id:
        raise DomainError("The master agreement is with another counterparty.", field="parent")
    if parent.kind != ContractKind.MASTER:
        raise DomainError("Contracts fall under a master agreement only.", field="parent")


def notice_deadline_of(contract: Contract, today: dt.date) -> dt.date | None:
    """The contract's notice deadline as of ``today`` (the one stored on it)."""
    if contract.evergreen or contract.end_date is None:
        return None
    notice = terms.Period(contract.notice_count, contract.notice_unit)
    if contract.auto_renews and contract.start_date:
        months = _term_months(contract)
        return terms.upcoming_notice_deadline(
            contract.start_date,
            months,
            renewal_months=contract.renewal_term_months or months,
            auto_renews=True,
            notice=notice,
            on=today,
        )
    return terms.notice_deadline(contract.end_date, notice)


def _term_months(contract: Contract) -> int:
    """The initial term in months; ``_check_terms`` stores it for every auto-renewing contract."""
    if not contract.term_months:
        raise ValueError(f"{contract!r} renews automatically but has no term in months.")
    return int(contract.term_months)


# --- create and edit -------------------------------------------------------------------------


def contract_create(
    *,
    actor: Any,
    relationship: Relationship,
    title: str,
    kind: str,
    owner: Any | None = None,
    **fields: Any,
) -> Contract:
    """A draft contract on a relationship; its owner defaults to the relationship's."""
    require_create(actor, Contract, parent=relationship)
    refuse_unknown_fields(fields, TERM_FIELDS | DESCRIPTIVE_FIELDS)
    contract = Contract(
        relationship=relationship,
        title=title,
        kind=kind,
        owner=owner or relationship.owner,
        **fields,
    )
    _check_terms(contract)
    return create_record(contract, actor=actor)


def contract_update(
    *, actor: Any, contract: Contract, expected_version: int, **changes: Any
) -> Contract:
    """Edit a contract. Its commercial terms change only before approval; later, amend it."""
    require(actor, Action.CHANGE, contract)
    refuse_unknown_fields(changes, TERM_FIELDS | DESCRIPTIVE_FIELDS)
    if isinstance(changes.get("currency"), str):
        # Compared as stored: "eur" for EUR is no change of terms.
        changes["currency"] = changes["currency"].strip().upper()
    locked = sorted(
        name for name in set(changes) & TERM_FIELDS if changes[name] != getattr(contract, name)
    )
    if locked and contract.status not in lifecycle.EDITABLE:
        raise DomainError(
            f"The terms of a contract that is {contract.get_status_display().lower()} are "
            "fixed; record a change as an amendment.",
            field=locked[0],
            code="terms_fixed",
        )
    return update_record(
        contract,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_terms,
    )


def contract_roll_forward(*, contract: Contract, today: dt.date) -> Contract:
    """Move an auto-renewing contract's end and notice deadline to the term running ``today``.

    Safe to run any number of times (a daily job calls it for every contract in force).
    """
    if not (contract.auto_renews and contract.start_date and contract.end_date):
        return contract
    months = _term_months(contract)
    term = terms.current_term(
        contract.start_date,
        months,
        renewal_months=contract.renewal_term_months or months,
        auto_renews=True,
        on=today,
    )
    deadline = notice_deadline_of(contract, today)
    if term.end != contract.end_date or deadline != contract.notice_deadline:
        Contract.objects.filter(pk=contract.pk).update(end_date=term.end, notice_deadline=deadline)
        contract.refresh_from_db()
    return contract


# --- workflow --------------------------------------------------------------------------------


def _current_round(contract: Contract) -> int:
    found = contract.approvals.aggregate(latest=Max("round"))["latest"]
    return int(found or 0)


def approvals_required(contract: Contract) -> list[ApprovalRule]:
    """The rules whose approval this contract needs, in their order (the preview asks the same)."""
    return rules_applying(
        kind=contract.kind, side=contract.side, annual_value=contract.annual_value
    )


def _open_approval_round(actor: Any, contract: Contract) -> None:
    round_number = _current_round(contract) + 1
    for rule in approvals_required(contract):
        create_record(
            ContractApproval(
                contract=contract,
                rule=rule,
                function=rule.function,
                approver=rule.approver,
                round=round_number,
            ),
            actor=actor,
            reason=f"Approval round {round_number}",
        )
        # The approver must be able to read what they approve.
        exists = contract.stakeholders.active().filter(user=rule.approver).exists()
        if not exists and rule.approver_id != contract.owner_id:
            create_record(
                ContractStakeholder(
                    contract=contract,
                    user=rule.approver,
                    role=_role_for(rule.function),
                    access=Access.REVIEW,
                ),
                actor=actor,
                reason="Added as approver",
            )


def _role_for(function: str) -> str:
    return function if function in TeamRole.values else TeamRole.SPECIALIST


def pending_approvals(contract: Contract) -> list[ContractApproval]:
    """Approvals of the current round that are not yet approved."""
    current = _current_round(contract)
    return [
        approval
        for approval in contract.approvals.active().filter(round=current)
        if approval.decision != Decision.APPROVED
    ]


def contract_transition(
    *, actor: Any, contract: Contract, to_status: str, reason: str = ""
) -> Contract:
    """Move the contract along the table; submitting opens a round of approvals and going
    active needs every approval of that round."""
    require(actor, Action.CHANGE, contract)
    if to_status not in ContractStatus.values:
        raise TransitionError(f"“{to_status}” is not a contract status.", field="to_status")
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        _guard(locked, to_status, reason)
        _apply(actor, locked, to_status, reason.strip())
    contract.refresh_from_db()
    return contract


def _guard(contract: Contract, to_status: str, reason: str) -> None:
    current = ContractStatus(contract.status)
    if to_status not in lifecycle.allowed_next(current):
        allowed = ", ".join(
            ContractStatus(s).label for s in sorted(lifecycle.allowed_next(current))
        )
        raise TransitionError(
            f"A contract cannot move from {current.label} to {ContractStatus(to_status).label}; "
            f"from {current.label} it may move to: {allowed or 'nowhere, it has ended'}.",
            field="to_status",
        )
    if to_status == ContractStatus.ACTIVE and current == ContractStatus.PENDING_APPROVAL:
        waiting = pending_approvals(contract)
        if waiting:
            names = ", ".join(a.get_function_display().lower() for a in waiting)
            raise TransitionError(
                f"The contract still needs approval from: {names}.",
                field="to_status",
                code="approvals_missing",
            )
        if contract.start_date is None:
            raise TransitionError(
                "Give the contract a start date before it becomes active.", field="start_date"
            )
    if to_status == ContractStatus.TERMINATED and not reason.strip():
        raise DomainError("Say why the contract is terminated.", field="reason", code="required")


def _apply(actor: Any, contract: Contract, to_status: str, reason: str) -> None:
    from_status = contract.status
    contract.status = to_status
    save_with_history(contract, actor=actor, reason=f"{from_status} → {to_status}: {reason}")
    ContractTransition.objects.create(
        contract=contract, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )
    if to_status == ContractStatus.PENDING_APPROVAL:
        _open_approval_round(actor, contract)


def may_decide(actor: Any, approval: ContractApproval) -> bool:
    """The named approver decides; an administrator may stand in for one who is away."""
    return bool(approval.approver_id == actor.pk or principal_for(actor).is_admin)


def approval_decide(
    *, actor: Any, approval: ContractApproval, decision: str, comment: str = ""
) -> ContractApproval:
    """The approver approves or rejects; a rejection sends the contract back to negotiation."""
    contract = approval.contract
    require(actor, Action.VIEW, contract)
    if not may_decide(actor, approval):
        raise DomainError(
            f"This approval is for {approval.approver}; only they decide it.",
            field="decision",
            code="not_the_approver",
        )
    if decision not in (Decision.APPROVED, Decision.REJECTED):
        raise DomainError("Decide approve or reject.", field="decision")
    if contract.status != ContractStatus.PENDING_APPROVAL or approval.round != _current_round(
        contract
    ):
        raise DomainError("This approval round is closed.", field="decision", code="closed")
    if approval.decision != Decision.PENDING:
        raise DomainError("This approval was decided already.", field="decision", code="decided")
    if decision == Decision.REJECTED and not comment.strip():
        raise DomainError("Say why you reject it.", field="comment", code="required")
    with transaction.atomic():
        decided = update_record(
            approval,
            actor=actor,
            expected_version=None,
            changes={
                "decision": decision,
                "decided_at": timezone.now(),
                "comment": comment.strip(),
            },
            reason=f"{Decision(decision).label}",
        )
        if decision == Decision.REJECTED:
            locked = Contract.objects.select_for_update().get(pk=contract.pk)
            _apply(
                actor,
                locked,
                ContractStatus.IN_NEGOTIATION,
                f"Rejected by {approval.get_function_display().lower()}: {comment.strip()}",
            )
    return decided


# --- negotiation and stakeholders ------------------------------------------------------------


def negotiation_log(
    *,
    actor: Any,
    contract: Contract,
    term: str,
    our_position: str = "",
    their_position: str = "",
    conceded_by: str = "",
    concession: str = "",
    logged_on: dt.date | None = None,
) -> NegotiationEntry:
    require_create(actor, NegotiationEntry, parent=contract)
    if contract.status in lifecycle.ENDED:
        raise DomainError("The contract has ended; nothing is negotiated on it.", field="term")
    if not (our_position.strip() or their_position.strip() or concession.strip()):
        raise DomainError("Record a position or a concession.", field="our_position")
    entry = NegotiationEntry(
        contract=contract,
        term=term,
        our_position=our_position.strip(),
        their_position=their_position.strip(),
        conceded_by=conceded_by,
        concession=concession.strip(),
        logged_on=logged_on or timezone.localdate(),
        logged_by=actor,
    )
    validate_fields(entry)
    return create_record(entry, actor=actor)


def stakeholder_add(
    *, actor: Any, contract: Contract, user: Any, role: str, access: str = Access.REVIEW
) -> ContractStakeholder:
    require_create(actor, ContractStakeholder, parent=contract)
    if contract.stakeholders.active().filter(user=user).exists():
        raise DomainError(f"{user} has a part in this contract already.", field="user")
    row = ContractStakeholder(contract=contract, user=user, role=role, access=access)
    validate_fields(row)
    return create_record(row, actor=actor)
