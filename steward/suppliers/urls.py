from django.urls import path

from steward.suppliers.views import (
    detail,
    lifecycle,
    performance,
    portfolio,
    reference,
    strategy,
    vendors,
)

app_name = "suppliers"

urlpatterns = [
    # vendors
    path("vendors/", vendors.VendorListView.as_view(), name="vendor-list"),
    path("vendors/portfolio/", portfolio.vendor_portfolio, name="vendor-portfolio"),
    path("vendors/performance/", performance.vendor_performance, name="vendor-performance"),
    path("vendors/new/", vendors.vendor_create, name="vendor-create"),
    path("vendors/<int:pk>/", detail.vendor_detail, name="vendor-detail"),
    path("vendors/<int:pk>/edit/", vendors.vendor_edit, name="vendor-edit"),
    # lifecycle and segmentation
    path("vendors/<int:pk>/transition/", lifecycle.vendor_transition, name="vendor-transition"),
    path(
        "vendors/<int:pk>/checklist/<slug:code>/",
        lifecycle.vendor_checklist,
        name="vendor-checklist",
    ),
    path("vendors/<int:pk>/segment/", lifecycle.vendor_segment, name="vendor-segment"),
    path(
        "vendors/<int:pk>/prequalifications/new/",
        lifecycle.prequalification_create,
        name="prequalification-create",
    ),
    path(
        "prequalifications/<int:pk>/revoke/",
        lifecycle.prequalification_revoke,
        name="prequalification-revoke",
    ),
    # strategy
    path("vendors/<int:pk>/strategy/start/", strategy.strategy_start, name="strategy-start"),
    path("vendors/<int:pk>/strategy/edit/", strategy.strategy_edit, name="strategy-edit"),
    path("vendors/<int:pk>/strategy/kpis/new/", strategy.kpi_create, name="kpi-create"),
    path("vendors/<int:pk>/strategy/levers/new/", strategy.lever_create, name="lever-create"),
    path("strategy-kpis/<int:pk>/edit/", strategy.kpi_edit, name="kpi-edit"),
    path("negotiation-levers/<int:pk>/edit/", strategy.lever_edit, name="lever-edit"),
    # reference data
    path("vendors/policy/", reference.policy, name="policy"),
    path("vendors/playbooks/<slug:segment>/edit/", reference.playbook_edit, name="playbook-edit"),
    path("categories/", reference.CategoryListView.as_view(), name="category-list"),
    path("categories/new/", reference.category_create, name="category-create"),
    path("categories/<int:pk>/", reference.category_detail, name="category-detail"),
    path("categories/<int:pk>/edit/", reference.category_edit, name="category-edit"),
]
