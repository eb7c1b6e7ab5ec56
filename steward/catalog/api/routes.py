"""The catalog app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.catalog.api.views import (
    BundleItemViewSet,
    BundleViewSet,
    ProductFamilyViewSet,
    ProductViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("catalog-families", ProductFamilyViewSet, "catalog-family"),
    ("catalog-products", ProductViewSet, "catalog-product"),
    ("catalog-bundles", BundleViewSet, "catalog-bundle"),
    ("catalog-bundle-items", BundleItemViewSet, "catalog-bundle-item"),
]
PATHS: list[Any] = []
