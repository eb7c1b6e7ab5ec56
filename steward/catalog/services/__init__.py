"""Writes on the catalog, one module per record type; administrators keep the catalog."""

from steward.catalog.services.bundles import (
    bundle_create,
    bundle_item_add,
    bundle_item_update,
    bundle_update,
)
from steward.catalog.services.common import catalog_record_archive, catalog_record_restore
from steward.catalog.services.families import family_create, family_update
from steward.catalog.services.imports import ImportResult, products_import
from steward.catalog.services.products import product_create, product_update

__all__ = [
    "ImportResult",
    "bundle_create",
    "bundle_item_add",
    "bundle_item_update",
    "bundle_update",
    "catalog_record_archive",
    "catalog_record_restore",
    "family_create",
    "family_update",
    "product_create",
    "product_update",
    "products_import",
]
