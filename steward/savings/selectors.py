"""Reads of the savings register, the levers and TCO comparisons, each from the access policy.

Initiatives reach their owner (and the owner's managers), whoever may see their vendor, finance,
administrators and auditors; an initiative without a vendor reaches its owner and those who see
everything only. Comparisons reach their owner, the owner's managers, finance, administrators
and auditors; options follow their comparison. Spend figures (realized savings, levers, paid
prices) are read through the user's spend scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from steward.contracts.models import Contract
from steward.core.access import Action, get_for_user
from steward.savings import realized as realized_savings
from steward.savings.filtersets import SavingsInitiativeFilterSet, TcoComparisonFilterSet
from steward.savings.levers import Lever, suggest_levers
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.spend.scope import scope_for
from steward.suppliers.models import Category, Supplier

_INITIATIVE_JOINS = ("owner", "supplier__relationship__organization", "category", "contract")


# --- initiatives ---------------------------------------------------------------------------------


def initiatives_visible(*, user: Any) -> QuerySet[SavingsInitiative]:
    return (
        SavingsInitiative.objects.restrict(user, Action.VIEW)
        .select_related(*_INITIATIVE_JOINS)
        .order_by("-created_at", "-pk")
    )


def initiative_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> SavingsInitiativeFilterSet:
    return SavingsInitiativeFilterSet(filters or {}, queryset=initiatives_visible(user=user))


def initiative_list(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> QuerySet[SavingsInitiative]:
    return initiative_filterset(user=user, filters=filters).qs


def initiative_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> SavingsInitiative:
    rows = SavingsInitiative.objects.select_related(*_INITIATIVE_JOINS)
    return get_for_user(rows, user=user, pk=pk, action=action)


def realized_for(
    initiatives: Any, *, user: Any, today: dt.date
) -> dict[int, realized_savings.Realized]:
    """What each initiative realized, measured over the spend ``user`` may see."""
    return realized_savings.measure(initiatives, scope=scope_for(user), today=today)


def register_summary(
    rows: QuerySet[SavingsInitiative], *, user: Any, today: dt.date
) -> tuple[dict[int, realized_savings.Realized], realized_savings.RegisterTotals]:
    """Realized savings of every row and the register's totals over them."""
    chosen = list(rows)
    measured = realized_for(chosen, user=user, today=today)
    return measured, realized_savings.register_totals(chosen, measured)


# --- what a form or an API body may name ----------------------------------------------------------


def vendor_choices(*, user: Any) -> QuerySet[Supplier]:
    """Vendors an initiative or a TCO option may name: those the user may see, or every current
    vendor for those who see all spend (finance, administrators, auditors)."""
    if scope_for(user).everything:
        rows = Supplier.objects.all()
    else:
        rows = Supplier.objects.restrict(user, Action.VIEW)
    return rows.filter(archived_at__isnull=True).select_related("relationship__organization")


def category_choices(*, user: Any) -> QuerySet[Category]:
    return Category.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)


def contract_choices(*, user: Any) -> QuerySet[Contract]:
    return (
        Contract.objects.restrict(user, Action.VIEW)
        .filter(archived_at__isnull=True)
        .select_related("relationship__organization")
        .order_by("title", "pk")
    )


# --- levers ---------------------------------------------------------------------------------------


def levers_for(*, user: Any, today: dt.date) -> list[Lever]:
    return suggest_levers(user=user, scope=scope_for(user), today=today)


def lever_get(*, user: Any, key: str, today: dt.date) -> Lever | None:
    return next((lever for lever in levers_for(user=user, today=today) if lever.key == key), None)


# --- TCO ------------------------------------------------------------------------------------------


def live_options_prefetch() -> Prefetch[Any]:
    """The options of comparisons that are not archived, with their vendors, as ``live_options``."""
    return Prefetch(
        "options",
        queryset=TcoOption.objects.filter(archived_at__isnull=True)
        .select_related("supplier__relationship__organization")
        .order_by("pk"),
        to_attr="live_options",
    )


def comparisons_visible(*, user: Any) -> QuerySet[TcoComparison]:
    return (
        TcoComparison.objects.restrict(user, Action.VIEW)
        .select_related("owner", "category")
        .order_by("-created_at", "-pk")
    )


def comparison_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> TcoComparisonFilterSet:
    return TcoComparisonFilterSet(filters or {}, queryset=comparisons_visible(user=user))


def comparison_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> TcoComparison:
    rows = TcoComparison.objects.select_related("owner", "category").prefetch_related(
        live_options_prefetch()
    )
    return get_for_user(rows, user=user, pk=pk, action=action)


def options_visible(*, user: Any) -> QuerySet[TcoOption]:
    return (
        TcoOption.objects.restrict(user, Action.VIEW)
        .select_related("comparison", "supplier__relationship__organization")
        .order_by("comparison_id", "pk")
    )


def option_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> TcoOption:
    rows = TcoOption.objects.select_related("comparison", "supplier__relationship__organization")
    return get_for_user(rows, user=user, pk=pk, action=action)


def live_options(comparison: TcoComparison) -> list[TcoOption]:
    """The comparison's options not archived, as ``comparison_get`` prefetched them."""
    prefetched = getattr(comparison, "live_options", None)
    if prefetched is not None:
        return list(prefetched)
    return list(
        comparison.options.filter(archived_at__isnull=True)
        .select_related("supplier__relationship__organization")
        .order_by("pk")
    )
