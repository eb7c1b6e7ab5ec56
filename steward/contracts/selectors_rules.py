"""Reads about approval rules: the list every inside user may read, one rule, the rules a
contract of a given kind, side and yearly value needs, and each rule said in words.

Submitting a contract for approval (``services.contracts.approvals_required``) and the page
that previews which rules would apply both ask ``rules_applying``: one rule, one answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import django_filters

from steward.contracts.choices import ContractKind
from steward.contracts.models import ApprovalRule
from steward.core.access import Action, RestrictedQuerySet, get_for_user
from steward.core.display import person_name
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.people.choices import Function

SIDES = (("buy", "Buy side"), ("sell", "Sell side"))


class ApprovalRuleFilterSet(StewardFilterSet):
    """The rules list's filters: the page's and the API's."""

    search_fields = ("name",)

    function = django_filters.MultipleChoiceFilter(choices=Function.choices)
    approver = IdFilter(field_name="approver_id", label="Approver id")

    class Meta:
        model = ApprovalRule
        fields = ["q", "function", "approver", "archived"]


def approval_rules_visible(*, user: Any) -> RestrictedQuerySet[ApprovalRule]:
    """The rules ``user`` may read (every inside user may), with their approvers."""
    return ApprovalRule.objects.restrict(user, Action.VIEW).select_related("approver")


def approval_rule_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> ApprovalRuleFilterSet:
    return ApprovalRuleFilterSet(filters or {}, queryset=approval_rules_visible(user=user))


def approval_rule_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> ApprovalRule:
    """One rule: 404 for a user who may not read it, 403 for one who may not ``action`` it."""
    return get_for_user(
        ApprovalRule.objects.select_related("approver"), user=user, pk=pk, action=action
    )


# --- which rules apply -------------------------------------------------------------------------


def rule_applies(rule: ApprovalRule, *, kind: str, side: str, annual_value: Decimal | None) -> bool:
    """Does ``rule`` ask for approval of a contract of this kind, side and yearly value?

    A rule with a yearly threshold does not apply to a contract whose yearly value is unknown.
    The threshold is read in the contract's own currency (rules carry no currency).
    """
    if rule.kinds and kind not in rule.kinds:
        return False
    if rule.side and rule.side != side:
        return False
    if rule.min_annual_value is not None:
        return annual_value is not None and annual_value >= rule.min_annual_value
    return True


def rules_applying(
    *,
    kind: str,
    side: str,
    annual_value: Decimal | None,
    rules: Iterable[ApprovalRule] | None = None,
) -> list[ApprovalRule]:
    """The current (not archived) rules such a contract needs, in the rules' order."""
    candidates = (
        rules if rules is not None else ApprovalRule.objects.active().select_related("approver")
    )
    return [
        rule
        for rule in candidates
        if rule_applies(rule, kind=kind, side=side, annual_value=annual_value)
    ]


# --- a rule in words ---------------------------------------------------------------------------


def amount_in_words(value: Decimal) -> str:
    """100000 as "100,000"; 1234.5 as "1,234.50"."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _kinds_in_words(kinds: list[str]) -> str:
    labels = dict(ContractKind.choices)
    names = [str(labels.get(kind, kind)) for kind in kinds]
    # Lower case reads better mid-sentence: "every master agreement or statement of work".
    names = [name[0].lower() + name[1:] for name in names]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def rule_in_words(rule: ApprovalRule) -> str:
    """E.g. "Legal (Ana Ruiz) approves every master agreement on the buy side"."""
    who = f"{rule.get_function_display()} ({person_name(rule.approver)})"
    if rule.kinds:
        what = f"every {_kinds_in_words(list(rule.kinds))}"
    else:
        what = "contracts" if rule.min_annual_value is not None else "every contract"
    parts = [f"{who} approves {what}"]
    if rule.side:
        parts.append(f"on the {rule.side} side")
    if rule.min_annual_value is not None:
        parts.append(f"from {amount_in_words(rule.min_annual_value)} a year")
    return " ".join(parts)
