"""Writes on approval rules: who must approve which contracts.

Rules are reference data (``AccessSpec(administered=True)``): every inside user reads them, only
administrators create, change, archive and restore them. An archived rule asks for nothing in
rounds opened after it was archived; rounds already open keep their approvals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from steward.contracts.choices import ContractKind
from steward.contracts.models import ApprovalRule
from steward.contracts.selectors_rules import SIDES
from steward.core.access import Action, require, require_create
from steward.core.display import person_name
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    update_record,
    validate_fields,
)
from steward.people.choices import Function, UserKind

EDITABLE = frozenset({"name", "function", "approver", "kinds", "side", "min_annual_value", "order"})
MAX_AMOUNT = Decimal("99999999999999.99")  # 16 digits, 2 after the point, as the column holds
MAX_ORDER = 32767


def approval_rule_create(
    *,
    actor: Any,
    name: str,
    function: str,
    approver: Any,
    kinds: list[str] | None = None,
    side: str = "",
    min_annual_value: Decimal | None = None,
    order: int = 10,
) -> ApprovalRule:
    """A new rule; administrators only."""
    require_create(actor, ApprovalRule)
    rule = ApprovalRule(
        name=name,
        function=function,
        approver=approver,
        kinds=kinds or [],
        side=side,
        min_annual_value=min_annual_value,
        order=order,
    )
    _check(rule, approver_changed=True)
    with transaction.atomic():
        _refuse_duplicate(rule)
        return create_record(rule, actor=actor)


def approval_rule_update(
    *, actor: Any, rule: ApprovalRule, expected_version: int, **changes: Any
) -> ApprovalRule:
    """Change a rule. The approver is checked again when the approver or the function change."""
    require(actor, Action.CHANGE, rule)
    refuse_unknown_fields(changes, EDITABLE)
    if "kinds" in changes:
        changes["kinds"] = _normal_kinds(changes["kinds"])
    if isinstance(changes.get("name"), str):
        changes["name"] = changes["name"].strip()
    before = (rule.function, rule.approver_id)

    def validate(candidate: ApprovalRule) -> None:
        _check(candidate, approver_changed=(candidate.function, candidate.approver_id) != before)
        _refuse_duplicate(candidate)

    return update_record(
        rule, actor=actor, expected_version=expected_version, changes=changes, validate=validate
    )


def approval_rule_archive(
    *, actor: Any, rule: ApprovalRule, expected_version: int | None = None
) -> ApprovalRule:
    """Retire a rule: new rounds of approval no longer ask for it; it can be restored."""
    require(actor, Action.DELETE, rule)
    return archive_record(rule, actor=actor, expected_version=expected_version)


def approval_rule_restore(
    *, actor: Any, rule: ApprovalRule, expected_version: int | None = None
) -> ApprovalRule:
    """Bring a rule back, unless its approver left or an identical rule was made meanwhile."""
    require(actor, Action.DELETE, rule)
    with transaction.atomic():
        locked = lock_for_update(rule, expected_version=expected_version)
        if locked.is_archived:
            # The approver was checked when chosen; now only whether they can still approve.
            _check_approver_can_approve(locked)
            _refuse_duplicate(locked)
        return restore_record(locked, actor=actor, expected_version=expected_version)


# --- the checks --------------------------------------------------------------------------------


def _normal_kinds(kinds: Any) -> list[str]:
    """The kinds once each, in the order of the choices; refuse what is not a contract kind."""
    if kinds is None:
        return []
    if isinstance(kinds, str) or not isinstance(kinds, list | tuple | set | frozenset):
        raise DomainError("Give the contract kinds as a list.", field="kinds", code="invalid")
    unknown = sorted({str(kind) for kind in kinds} - set(ContractKind.values))
    if unknown:
        raise DomainError(
            f"Not a contract kind: {', '.join(unknown)}.", field="kinds", code="invalid_choice"
        )
    return [kind for kind in ContractKind.values if kind in kinds]


def _check(rule: ApprovalRule, *, approver_changed: bool) -> None:
    rule.name = (rule.name or "").strip()
    if not rule.name:
        raise DomainError("Name the rule.", field="name", code="required")
    if rule.function not in Function.values:
        raise DomainError(
            f"“{rule.function}” is not a function.", field="function", code="invalid_choice"
        )
    if rule.side not in ("", *(value for value, _ in SIDES)):
        raise DomainError(
            "The side is buy, sell or empty for both.", field="side", code="invalid_choice"
        )
    rule.kinds = _normal_kinds(rule.kinds)
    rule.min_annual_value = _threshold(rule.min_annual_value)
    if isinstance(rule.order, bool) or not isinstance(rule.order, int):
        raise DomainError("The order is a whole number.", field="order", code="invalid")
    if not 0 <= rule.order <= MAX_ORDER:
        raise DomainError(f"The order is between 0 and {MAX_ORDER}.", field="order", code="invalid")
    if approver_changed:
        _check_approver(rule)
    validate_fields(rule)


def _threshold(value: Any) -> Decimal | None:
    """A yearly value from which the rule applies: empty, or a non-negative amount in cents."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise DomainError(
            "Give the yearly value as a decimal amount, e.g. 100000.00.",
            field="min_annual_value",
            code="invalid",
        )
    try:
        amount = Decimal(value)
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation as error:
        raise DomainError(
            "The yearly value is an amount with at most two decimals.",
            field="min_annual_value",
            code="invalid",
        ) from error
    if amount < 0:
        raise DomainError(
            "The yearly value from which the rule applies cannot be negative.",
            field="min_annual_value",
            code="min_value",
        )
    if amount > MAX_AMOUNT:
        raise DomainError(
            "The yearly value is too large.", field="min_annual_value", code="max_value"
        )
    return amount.quantize(Decimal("0.01"))


def _check_approver(rule: ApprovalRule) -> None:
    """An active inside person who works in the rule's function (their profile says which)."""
    _check_approver_can_approve(rule)
    function = rule.approver.profile.function
    if function != rule.function:
        wanted = Function(rule.function).label.lower()
        actual = (
            f"works in {Function(function).label.lower()}"
            if function
            else "has no function in their profile"
        )
        raise DomainError(
            f"{person_name(rule.approver)} {actual}; the approver for {wanted} must work "
            f"in {wanted}.",
            field="approver",
            code="wrong_function",
        )


def _check_approver_can_approve(rule: ApprovalRule) -> None:
    """The approver still has access and is one of our people, not a portal user."""
    approver = rule.approver
    if not approver.is_active:
        raise DomainError(
            f"{person_name(approver)} no longer has access; choose someone active.",
            field="approver",
            code="inactive",
        )
    profile = getattr(approver, "profile", None)
    if profile is None or profile.kind != UserKind.INTERNAL:
        raise DomainError(
            f"{person_name(approver)} is not one of our people; an approver must be.",
            field="approver",
            code="not_internal",
        )


def _refuse_duplicate(rule: ApprovalRule) -> None:
    """No two current rules ask the same person the same thing."""
    same = ApprovalRule.objects.active().filter(
        function=rule.function,
        approver_id=rule.approver_id,
        side=rule.side,
        min_annual_value=rule.min_annual_value,
    )
    if rule.pk is not None:
        same = same.exclude(pk=rule.pk)
    for other in same:
        if sorted(other.kinds or []) == sorted(rule.kinds):
            raise DuplicateError(
                f"“{other.name}” already asks {person_name(rule.approver)} the same: same "
                "function, kinds, side and yearly value.",
                field="approver",
            )
