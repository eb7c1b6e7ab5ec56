"""Reads of imports and the spend reference data, every one starting from the access policy.

Reference data (sources, rules, rates, cost centers, vendor matches) is read by every inside
user; imports by who ran them, finance, administrators and auditors; contracted prices by whoever
sees the contract, and by those who see all spend (finance, administrators, auditors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from steward.contracts.models import Contract
from steward.core.access import (
    EVERYTHING,
    Action,
    RestrictedQuerySet,
    get_for_user,
    principal_for,
    scope,
)
from steward.parties.choices import Side
from steward.spend.filtersets import (
    CategoryRuleFilterSet,
    ContractPriceFilterSet,
    CostCenterFilterSet,
    ExchangeRateFilterSet,
    SpendImportFilterSet,
    SpendSourceFilterSet,
    VendorAliasFilterSet,
)
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendSource,
    VendorAlias,
)
from steward.spend.scope import scope_for
from steward.suppliers.models import Category, Supplier

Filters = Mapping[str, Any] | None

# --- sources -------------------------------------------------------------------------------------


def sources_visible(*, user: Any) -> RestrictedQuerySet[SpendSource]:
    return SpendSource.objects.restrict(user, Action.VIEW)


def source_filterset(*, user: Any, filters: Filters = None) -> SpendSourceFilterSet:
    return SpendSourceFilterSet(filters or {}, queryset=sources_visible(user=user))


def source_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> SpendSource:
    return get_for_user(SpendSource.objects.all(), user=user, pk=pk, action=action)


def source_choices(*, user: Any) -> QuerySet[SpendSource]:
    """Current sources a new import may read its file as."""
    return sources_visible(user=user).active().order_by("name")


# --- imports -------------------------------------------------------------------------------------


def imports_visible(*, user: Any) -> QuerySet[SpendImport]:
    return SpendImport.objects.restrict(user, Action.VIEW).select_related("source", "created_by")


def import_filterset(*, user: Any, filters: Filters = None) -> SpendImportFilterSet:
    return SpendImportFilterSet(filters or {}, queryset=imports_visible(user=user))


def import_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> SpendImport:
    batches = SpendImport.objects.select_related("source", "created_by")
    return get_for_user(batches, user=user, pk=pk, action=action)


def import_status(*, user: Any, pk: Any) -> SpendImport:
    """Only what the progress indicator shows, read afresh every second while an import runs."""
    batches = SpendImport.objects.only(
        "pk", "status", "progress", "stage", "rows_read", "created_by_id", "source_id"
    )
    return get_for_user(batches, user=user, pk=pk)


# --- category rules, cost centers, exchange rates, vendor matches --------------------------------


def rules_visible(*, user: Any) -> QuerySet[CategoryRule]:
    return CategoryRule.objects.restrict(user, Action.VIEW).select_related(
        "category", "supplier__relationship__organization"
    )


def rule_filterset(*, user: Any, filters: Filters = None) -> CategoryRuleFilterSet:
    return CategoryRuleFilterSet(filters or {}, queryset=rules_visible(user=user))


def rule_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> CategoryRule:
    rules = CategoryRule.objects.select_related("category", "supplier__relationship__organization")
    return get_for_user(rules, user=user, pk=pk, action=action)


def cost_centers_visible(*, user: Any) -> RestrictedQuerySet[CostCenter]:
    return CostCenter.objects.restrict(user, Action.VIEW)


def cost_center_filterset(*, user: Any, filters: Filters = None) -> CostCenterFilterSet:
    return CostCenterFilterSet(filters or {}, queryset=cost_centers_visible(user=user))


def cost_center_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> CostCenter:
    return get_for_user(CostCenter.objects.all(), user=user, pk=pk, action=action)


def rates_visible(*, user: Any) -> RestrictedQuerySet[ExchangeRate]:
    return ExchangeRate.objects.restrict(user, Action.VIEW)


def rate_filterset(*, user: Any, filters: Filters = None) -> ExchangeRateFilterSet:
    return ExchangeRateFilterSet(filters or {}, queryset=rates_visible(user=user))


def rate_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> ExchangeRate:
    return get_for_user(ExchangeRate.objects.all(), user=user, pk=pk, action=action)


def aliases_visible(*, user: Any) -> QuerySet[VendorAlias]:
    return VendorAlias.objects.restrict(user, Action.VIEW).select_related(
        "supplier__relationship__organization", "confirmed_by"
    )


def alias_filterset(*, user: Any, filters: Filters = None) -> VendorAliasFilterSet:
    return VendorAliasFilterSet(filters or {}, queryset=aliases_visible(user=user))


def alias_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> VendorAlias:
    aliases = VendorAlias.objects.select_related("supplier__relationship__organization")
    return get_for_user(aliases, user=user, pk=pk, action=action)


# --- what reference data may point at ------------------------------------------------------------


def vendor_choices(*, user: Any) -> QuerySet[Supplier]:
    """Vendors a rule or a confirmed match may name: every current vendor for those who see all
    spend (finance keeps the matches of vendors it does not manage), else the vendors the user
    may see."""
    spend = scope_for(user)
    if spend.everything:
        vendors = Supplier.objects.all()
    else:
        vendors = Supplier.objects.restrict(user, Action.VIEW)
    # The vendors an import can match a line to (see steward.spend.ingest.vendors).
    return (
        vendors.filter(
            archived_at__isnull=True,
            relationship__archived_at__isnull=True,
            relationship__side=Side.SUPPLY,
            relationship__organization__archived_at__isnull=True,
        )
        .select_related("relationship__organization")
        .order_by("relationship__organization__display_name", "pk")
    )


def category_choices() -> QuerySet[Category]:
    return Category.objects.active().order_by("name")


# --- contracted prices ---------------------------------------------------------------------------


def _sees_every_price(user: Any) -> bool:
    return scope(ContractPrice, principal_for(user), Action.VIEW) is EVERYTHING


def prices_visible(*, user: Any) -> QuerySet[ContractPrice]:
    return ContractPrice.objects.restrict(user, Action.VIEW).select_related(
        "contract__relationship__organization"
    )


def price_filterset(*, user: Any, filters: Filters = None) -> ContractPriceFilterSet:
    return ContractPriceFilterSet(filters or {}, queryset=prices_visible(user=user))


def price_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> ContractPrice:
    prices = ContractPrice.objects.select_related("contract__relationship__organization")
    return get_for_user(prices, user=user, pk=pk, action=action)


def buy_contracts() -> QuerySet[Contract]:
    return Contract.objects.filter(relationship__side=Side.SUPPLY).select_related(
        "relationship__organization"
    )


def price_contract_get(*, user: Any, pk: Any) -> Contract:
    """A buy-side contract whose prices the user may read: one they may see, or any for those
    who read every price (404 otherwise, as for a contract that does not exist)."""
    contracts = buy_contracts()
    if _sees_every_price(user):
        try:
            return contracts.get(pk=pk)
        except (Contract.DoesNotExist, ValueError, TypeError) as error:
            raise Http404 from error
    return get_for_user(contracts, user=user, pk=pk)


def price_contract_choices(*, user: Any) -> QuerySet[Contract]:
    """Current buy-side contracts the user may price: every one for finance and administrators,
    else those they may change."""
    contracts = buy_contracts().filter(archived_at__isnull=True)
    if _sees_every_price(user):
        return contracts.order_by("title", "pk")
    return contracts.filter(
        pk__in=Contract.objects.restrict(user, Action.CHANGE).values("pk")
    ).order_by("title", "pk")
