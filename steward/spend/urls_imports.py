"""Routes of the spend imports and the reference data that interprets them."""

from __future__ import annotations

from typing import Any

from django.urls import path

from steward.spend.views import imports, reference

urlpatterns: list[Any] = [
    # The imports.
    path("spend/imports/", imports.ImportListView.as_view(), name="import-list"),
    path("spend/imports/new/", imports.import_create, name="import-create"),
    path("spend/imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("spend/imports/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("spend/imports/<int:pk>/retry/", imports.import_retry, name="import-retry"),
    # Sources and their mappings.
    path("spend/sources/", reference.SourceListView.as_view(), name="source-list"),
    path("spend/sources/new/", reference.source_create, name="source-create"),
    path("spend/sources/<int:pk>/", reference.source_detail, name="source-detail"),
    path("spend/sources/<int:pk>/edit/", reference.source_edit, name="source-edit"),
    path("spend/sources/<int:pk>/archive/", reference.source_archive, name="source-archive"),
    path("spend/sources/<int:pk>/restore/", reference.source_restore, name="source-restore"),
    # Category rules.
    path("spend/rules/", reference.RuleListView.as_view(), name="rule-list"),
    path("spend/rules/new/", reference.rule_create, name="rule-create"),
    path("spend/rules/<int:pk>/edit/", reference.rule_edit, name="rule-edit"),
    path("spend/rules/<int:pk>/archive/", reference.rule_archive, name="rule-archive"),
    path("spend/rules/<int:pk>/restore/", reference.rule_restore, name="rule-restore"),
    # Exchange rates.
    path("spend/rates/", reference.RateListView.as_view(), name="rate-list"),
    path("spend/rates/new/", reference.rate_create, name="rate-create"),
    path("spend/rates/import/", reference.rate_import, name="rate-import"),
    path("spend/rates/<int:pk>/edit/", reference.rate_edit, name="rate-edit"),
    path("spend/rates/<int:pk>/archive/", reference.rate_archive, name="rate-archive"),
    path("spend/rates/<int:pk>/restore/", reference.rate_restore, name="rate-restore"),
    # Cost centers (the analytics page of their spend is spend:cost-centers).
    path(
        "spend/cost-center-codes/", reference.CostCenterListView.as_view(), name="cost-center-list"
    ),
    path("spend/cost-center-codes/new/", reference.cost_center_create, name="cost-center-create"),
    path(
        "spend/cost-center-codes/<int:pk>/edit/",
        reference.cost_center_edit,
        name="cost-center-edit",
    ),
    path(
        "spend/cost-center-codes/<int:pk>/archive/",
        reference.cost_center_archive,
        name="cost-center-archive",
    ),
    path(
        "spend/cost-center-codes/<int:pk>/restore/",
        reference.cost_center_restore,
        name="cost-center-restore",
    ),
    # Confirmed vendor matches.
    path("spend/vendor-matches/", reference.AliasListView.as_view(), name="alias-list"),
    path("spend/vendor-matches/confirm/", imports.alias_confirm, name="alias-confirm"),
    path("spend/vendor-matches/<int:pk>/archive/", reference.alias_archive, name="alias-archive"),
    path("spend/vendor-matches/<int:pk>/restore/", reference.alias_restore, name="alias-restore"),
    path("spend/vendor-lookup/", reference.vendor_lookup, name="vendor-lookup"),
    # A contract's prices.
    path("spend/contracts/<int:pk>/prices/", reference.contract_prices, name="contract-prices"),
    path("spend/prices/<int:pk>/edit/", reference.contract_price_edit, name="contract-price-edit"),
    path(
        "spend/prices/<int:pk>/archive/",
        reference.contract_price_archive,
        name="contract-price-archive",
    ),
    path(
        "spend/prices/<int:pk>/restore/",
        reference.contract_price_restore,
        name="contract-price-restore",
    ),
]
