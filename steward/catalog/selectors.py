"""Reads of the catalog, each starting from the access policy (every inside user reads it,
portal users see nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from steward.catalog.filtersets import (
    BundleFilterSet,
    BundleItemFilterSet,
    ProductFamilyFilterSet,
    ProductFilterSet,
)
from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.catalog.pricing import BundlePrice, PricedItem, bundle_price
from steward.core.access import Action, get_for_user


def _data(filters: Mapping[str, Any] | None) -> Any:
    return filters if filters is not None else QueryDict()


# --- families ----------------------------------------------------------------------------------


def family_list(*, user: Any) -> QuerySet[ProductFamily]:
    current = Q(products__archived_at__isnull=True)
    # An aggregate drops the model's default order: name it again for stable pages.
    return (
        ProductFamily.objects.restrict(user, Action.VIEW)
        .annotate(product_count=Count("products", filter=current))
        .order_by("position", "name", "pk")
    )


def family_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> ProductFamilyFilterSet:
    return ProductFamilyFilterSet(_data(filters), queryset=family_list(user=user))


def family_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> ProductFamily:
    return get_for_user(ProductFamily.objects.all(), user=user, pk=pk, action=action)


def family_choices(*, user: Any) -> QuerySet[ProductFamily]:
    """Current families, in matrix order."""
    return ProductFamily.objects.restrict(user, Action.VIEW).active().order_by("position", "name")


# --- products ----------------------------------------------------------------------------------


def product_list(*, user: Any) -> QuerySet[Product]:
    return Product.objects.restrict(user, Action.VIEW).select_related("family")


def product_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> ProductFilterSet:
    return ProductFilterSet(_data(filters), queryset=product_list(user=user))


def product_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> Product:
    return get_for_user(Product.objects.select_related("family"), user=user, pk=pk, action=action)


def product_choices(*, user: Any) -> QuerySet[Product]:
    return product_list(user=user).filter(archived_at__isnull=True).order_by("sku")


# --- bundles -----------------------------------------------------------------------------------


def bundle_list(*, user: Any) -> QuerySet[Bundle]:
    return Bundle.objects.restrict(user, Action.VIEW)


def bundle_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> BundleFilterSet:
    return BundleFilterSet(_data(filters), queryset=bundle_list(user=user))


def bundle_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> Bundle:
    return get_for_user(Bundle.objects.all(), user=user, pk=pk, action=action)


def items_of(bundle: Bundle) -> QuerySet[BundleItem]:
    return (
        bundle.items.filter(archived_at__isnull=True)
        .select_related("product", "product__family")
        .order_by("product__sku", "pk")
    )


def bundle_item_list(*, user: Any) -> QuerySet[BundleItem]:
    return BundleItem.objects.restrict(user, Action.VIEW).select_related("product", "bundle")


def bundle_item_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> BundleItemFilterSet:
    return BundleItemFilterSet(_data(filters), queryset=bundle_item_list(user=user))


def bundle_item_get(*, user: Any, pk: Any, action: Action | str = Action.VIEW) -> BundleItem:
    return get_for_user(
        BundleItem.objects.select_related("bundle", "product"), user=user, pk=pk, action=action
    )


def prices_of(bundles: list[Bundle]) -> dict[int, BundlePrice]:
    """Each bundle's price from its current items, in one query for all of them."""
    items: dict[int, list[PricedItem]] = {bundle.pk: [] for bundle in bundles}
    rows = BundleItem.objects.filter(
        bundle_id__in=list(items), archived_at__isnull=True
    ).values_list(
        "bundle_id",
        "quantity",
        "product__list_price",
        "product__standard_cost",
        "product__currency",
    )
    for bundle_id, quantity, price, cost, currency in rows:
        items[bundle_id].append(PricedItem(quantity, price, cost, currency))
    return {
        bundle.pk: bundle_price(
            currency=bundle.currency, own_price=bundle.price, items=items[bundle.pk]
        )
        for bundle in bundles
    }
