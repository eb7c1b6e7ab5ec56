"""What the catalog app plugs into the screens and registries below it."""

from __future__ import annotations

from typing import Any

from steward.core.registry import NavEntry, SearchHit, register_nav, register_search


def search_products(user: Any, query: str, limit: int) -> list[SearchHit]:
    from steward.catalog import selectors

    rows = selectors.product_filterset(user=user, filters={"q": query}).qs[:limit]
    return [SearchHit("Products", str(p), p.get_absolute_url(), p.family.name) for p in rows]


def register() -> None:
    register_nav(
        NavEntry("Catalog", "catalog:product-list", "demand", order=60, match_prefix="/catalog/")
    )
    register_search("products", search_products)
