"""The accounts app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.accounts.api.views import (
    AccountPenetrationViewSet,
    AccountProfileViewSet,
    BuyingUnitViewSet,
    InstalledProductViewSet,
    WhitespaceCellViewSet,
)

ROUTES: list[tuple[str, Any, str]] = [
    ("account-profiles", AccountProfileViewSet, "account-profile"),
    ("buying-units", BuyingUnitViewSet, "buying-unit"),
    ("installed-products", InstalledProductViewSet, "installed-product"),
    ("whitespace-cells", WhitespaceCellViewSet, "whitespace-cell"),
]
PATHS: list[Any] = [
    path(
        "accounts/<int:pk>/penetration/",
        AccountPenetrationViewSet.as_view({"get": "retrieve"}),
        name="account-penetration",
    ),
]
