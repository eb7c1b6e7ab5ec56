"""Routes of the catalog pages."""

from django.urls import URLPattern, path

from steward.catalog import views

app_name = "catalog"

# URL segment of each record type that has new/edit (and archive/restore) pages.
EDITABLE = {"families": "family", "products": "product", "bundles": "bundle"}
ARCHIVABLE = {**EDITABLE, "items": "item"}

urlpatterns: list[URLPattern] = [
    path("catalog/", views.ProductListPage.as_view(), name="product-list"),
    path("catalog/families/", views.FamilyListPage.as_view(), name="family-list"),
    path("catalog/bundles/", views.BundleListPage.as_view(), name="bundle-list"),
    path("catalog/import/", views.product_import, name="product-import"),
    path("catalog/families/<int:pk>/", views.family_detail, name="family-detail"),
    path("catalog/products/<int:pk>/", views.product_detail, name="product-detail"),
    path("catalog/bundles/<int:pk>/", views.bundle_detail, name="bundle-detail"),
    path("catalog/bundles/<int:pk>/items/", views.bundle_item_add, name="bundle-item-add"),
]
for segment, kind in EDITABLE.items():
    urlpatterns += [
        path(f"catalog/{segment}/new/", views.record_new, {"kind": kind}, name=f"{kind}-new"),
        path(
            f"catalog/{segment}/<int:pk>/edit/",
            views.record_edit,
            {"kind": kind},
            name=f"{kind}-edit",
        ),
    ]
for segment, kind in ARCHIVABLE.items():
    urlpatterns += [
        path(
            f"catalog/{segment}/<int:pk>/archive/",
            views.record_archive,
            {"kind": kind},
            name=f"{kind}-archive",
        ),
        path(
            f"catalog/{segment}/<int:pk>/restore/",
            views.record_restore,
            {"kind": kind},
            name=f"{kind}-restore",
        ),
    ]
