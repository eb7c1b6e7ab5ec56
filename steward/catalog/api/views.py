"""The catalog API: product families, products, bundles and their items.

Every inside user reads the catalog; only administrators add, change, archive and restore
(others are refused with 403 before the body is read). Portal users see nothing.
"""

from __future__ import annotations

import builtins
from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from steward.catalog import selectors, services
from steward.catalog.api import serializers as s
from steward.catalog.filtersets import (
    BundleFilterSet,
    BundleItemFilterSet,
    ProductFamilyFilterSet,
    ProductFilterSet,
)
from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.core.access import Action, require_create
from steward.core.api.viewsets import ErrorCodes, RecordViewSet

TEXT = ("required", "max_length", "invalid")
CURRENCY = ("required", "invalid", "invalid_currency")
IN_USE: dict[str, tuple[str, ...]] = {"non_field_errors": ("in_use",)}


class CatalogViewSet(RecordViewSet):
    """Reference data: administrators write, every inside user reads."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    validation_error_codes: ClassVar[ErrorCodes] = {
        "destroy": IN_USE,
        "restore": {"code": ("duplicate",), "sku": ("duplicate",), "product": ("duplicate",)},
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_create(request.user, self.viewset_model())
        return super().create(request, *args, **kwargs)

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.catalog_record_archive(
            actor=self.request.user, record=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.catalog_record_restore(
            actor=self.request.user, record=record, expected_version=version
        )


@extend_schema_view(
    create=extend_schema(description="Add a product family (administrators only)."),
    destroy=extend_schema(
        description="Archive the family; refused (`in_use`) while it has current products."
    ),
)
class ProductFamilyViewSet(CatalogViewSet):
    """The lines of the offering: the whitespace matrix's columns."""

    queryset = ProductFamily.objects.none()
    filterset_class = ProductFamilyFilterSet
    output_serializer_class = s.ProductFamilySerializer
    create_serializer_class = s.ProductFamilyInputSerializer
    update_serializer_class = s.ProductFamilyUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"code": (*TEXT, "duplicate"), "name": TEXT},
        "partial_update": {"code": (*TEXT, "duplicate"), "name": TEXT},
    }

    def select_list(self) -> QuerySet[ProductFamily]:
        return selectors.family_list(user=self.request.user).order_by("position", "name", "pk")

    def select_one(self, action: Action = Action.VIEW) -> ProductFamily:
        return selectors.family_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> ProductFamily:
        return services.family_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.family_update(
            actor=self.request.user, family=record, expected_version=version, **data
        )


PRODUCT_ERRORS: dict[str, tuple[str, ...]] = {
    "sku": (*TEXT, "duplicate"),
    "name": TEXT,
    "kind": ("invalid",),
    "currency": (*CURRENCY, "bundle_currency"),
    "list_price": ("required", "min_value", "max_value"),
    "standard_cost": ("required", "min_value", "max_value"),
    "family": ("archived",),
}


@extend_schema_view(
    create=extend_schema(description="Add a product or service (administrators only)."),
    destroy=extend_schema(
        description="Archive the product; refused (`in_use`) while it is in a current bundle."
    ),
)
class ProductViewSet(CatalogViewSet):
    """Products and services with list price, standard cost and margin."""

    queryset = Product.objects.none()
    filterset_class = ProductFilterSet
    output_serializer_class = s.ProductSerializer
    create_serializer_class = s.ProductInputSerializer
    update_serializer_class = s.ProductUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": PRODUCT_ERRORS,
        "partial_update": PRODUCT_ERRORS,
    }

    def select_list(self) -> QuerySet[Product]:
        return selectors.product_list(user=self.request.user).order_by("sku", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Product:
        return selectors.product_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Product:
        return services.product_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.product_update(
            actor=self.request.user, product=record, expected_version=version, **data
        )


BUNDLE_ERRORS: dict[str, tuple[str, ...]] = {
    "code": (*TEXT, "duplicate"),
    "name": TEXT,
    "currency": (*CURRENCY, "item_currency"),
    "price": ("min_value",),
}


@extend_schema_view(
    create=extend_schema(
        description="Add a bundle (administrators only). Without a price it sells for the sum "
        "of its items at list price; its items must be in its currency."
    ),
)
class BundleViewSet(CatalogViewSet):
    """Products sold together."""

    queryset = Bundle.objects.none()
    filterset_class = BundleFilterSet
    output_serializer_class = s.BundleSerializer
    create_serializer_class = s.BundleInputSerializer
    update_serializer_class = s.BundleUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": BUNDLE_ERRORS,
        "partial_update": BUNDLE_ERRORS,
    }

    def select_list(self) -> QuerySet[Bundle]:
        return selectors.bundle_list(user=self.request.user).order_by("code", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Bundle:
        return selectors.bundle_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def complete_page(self, page: builtins.list[Any]) -> builtins.list[Any]:
        prices = selectors.prices_of(page)
        for bundle in page:
            bundle.effective_price = prices[bundle.pk].price
        return page

    def perform_create_record(self, data: dict[str, Any]) -> Bundle:
        return services.bundle_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.bundle_update(
            actor=self.request.user, bundle=record, expected_version=version, **data
        )


ITEM_ERRORS: dict[str, tuple[str, ...]] = {
    "product": ("archived", "item_currency", "duplicate"),
    "bundle": ("archived",),
    "quantity": ("min_value", "max_value"),
}


@extend_schema_view(
    create=extend_schema(
        description="Put a product in a bundle (administrators only); it must be priced in "
        "the bundle's currency (`item_currency`)."
    ),
    destroy=extend_schema(description="Take the product out of the bundle (archived)."),
)
class BundleItemViewSet(CatalogViewSet):
    """The products in each bundle, with quantities."""

    queryset = BundleItem.objects.none()
    filterset_class = BundleItemFilterSet
    output_serializer_class = s.BundleItemSerializer
    create_serializer_class = s.BundleItemInputSerializer
    update_serializer_class = s.BundleItemUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": ITEM_ERRORS,
        "partial_update": ITEM_ERRORS,
    }

    def select_list(self) -> QuerySet[BundleItem]:
        return selectors.bundle_item_list(user=self.request.user).order_by("bundle_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> BundleItem:
        return selectors.bundle_item_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> BundleItem:
        return services.bundle_item_add(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.bundle_item_update(
            actor=self.request.user, item=record, expected_version=version, **data
        )
