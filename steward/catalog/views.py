"""The catalog pages: products, families, bundles, and the product import.

Every inside user reads them; administrators add, change, archive and import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.catalog import selectors, services
from steward.catalog.forms import (
    BundleForm,
    BundleItemForm,
    ProductFamilyForm,
    ProductForm,
    ProductImportForm,
)
from steward.catalog.models import Bundle, Product, ProductFamily
from steward.core.access import Action, allows, can_create
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.tabular import ImportRefused
from steward.core.ui import ListPage, history_context, inside_only, run_form_service


class CatalogListPage(ListPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)


class ProductListPage(CatalogListPage):
    template_name = "catalog/product_list.html"
    filterset_selector = selectors.product_filterset
    title = "Products and services"
    export_name = "products"
    export_columns = (
        Column("SKU", lambda p: p.sku),
        Column("Name", lambda p: p.name),
        Column("Family code", lambda p: p.family.code),
        Column("Kind", lambda p: p.kind),
        Column("Unit", lambda p: p.unit),
        Column("Currency", lambda p: p.currency),
        Column("List price", lambda p: p.list_price),
        Column("Standard cost", lambda p: p.standard_cost),
        Column("Margin", lambda p: p.margin),
        Column("Margin %", lambda p: round(p.margin_percent, 2) if p.margin_percent else None),
        Column("Recurring", lambda p: "yes" if p.recurring else "no"),
        Column("Archived", lambda p: p.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "families": selectors.family_choices(user=self.request.user),
            "can_create": can_create(self.request.user, Product),
        }


class FamilyListPage(CatalogListPage):
    template_name = "catalog/family_list.html"
    filterset_selector = selectors.family_filterset
    title = "Product families"
    export_name = "product-families"
    export_columns = (
        Column("Code", lambda f: f.code),
        Column("Name", lambda f: f.name),
        Column("Position", lambda f: f.position),
        Column("Products", lambda f: f.product_count),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_create": can_create(self.request.user, ProductFamily)}


class BundleListPage(CatalogListPage):
    template_name = "catalog/bundle_list.html"
    filterset_selector = selectors.bundle_filterset
    title = "Bundles"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        prices = selectors.prices_of(list(page.object_list))
        return {
            "prices": prices,
            "priced_rows": [(bundle, prices[bundle.pk]) for bundle in page.object_list],
            "can_create": can_create(self.request.user, Bundle),
        }


def _record_context(request: HttpRequest, record: Model, kind: str) -> dict[str, Any]:
    user = request.user
    return {
        "object": record,
        "kind": kind,
        "can_change": allows(user, Action.CHANGE, record) and not record.is_archived,  # type: ignore[attr-defined]
        "can_delete": allows(user, Action.DELETE, record),
        "archive_url": reverse(f"catalog:{kind}-archive", args=[record.pk]),
        "restore_url": reverse(f"catalog:{kind}-restore", args=[record.pk]),
        **history_context(request, record),
    }


@login_required
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    family = selectors.family_get(user=request.user, pk=pk)
    context = _record_context(request, family, "family")
    context["products"] = selectors.product_list(user=request.user).filter(
        family=family, archived_at__isnull=True
    )
    return render(request, "catalog/family_detail.html", context)


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    product = selectors.product_get(user=request.user, pk=pk)
    context = _record_context(request, product, "product")
    context["bundle_items"] = product.bundle_items.filter(
        archived_at__isnull=True, bundle__archived_at__isnull=True
    ).select_related("bundle")
    return render(request, "catalog/product_detail.html", context)


@login_required
def bundle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    bundle = selectors.bundle_get(user=request.user, pk=pk)
    return _render_bundle(request, bundle)


def _render_bundle(
    request: HttpRequest, bundle: Bundle, item_form: BaseForm | None = None, status: int = 200
) -> HttpResponse:
    context = _record_context(request, bundle, "bundle")
    items = list(selectors.items_of(bundle))
    for item in items:
        item.line_total = item.quantity * item.product.list_price  # type: ignore[attr-defined]
    context.update(
        {
            "items": items,
            "price": selectors.prices_of([bundle])[bundle.pk],
            "item_form": item_form or BundleItemForm(user=request.user, bundle=bundle),
        }
    )
    return render(request, "catalog/bundle_detail.html", context, status=status)


@login_required
@require_POST
def bundle_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    bundle = selectors.bundle_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = BundleItemForm(request.POST, user=request.user, bundle=bundle)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.bundle_item_add(
                actor=request.user,
                bundle=bundle,
                product=form.cleaned_data["product"],
                quantity=form.cleaned_data["quantity"],
            ),
            success_message="Added to the bundle.",
            success_url=lambda item: bundle.get_absolute_url(),
        )
        if response is not None:
            return response
    return _render_bundle(request, bundle, form, status=400)


# --- forms: new and edit -----------------------------------------------------------------------

FormSpec = tuple[type[BaseForm], Callable[..., Any], Callable[..., Any], str]


def _specs() -> dict[str, FormSpec]:
    return {
        "family": (
            ProductFamilyForm,
            selectors.family_get,
            services.family_create,
            "product family",
        ),
        "product": (
            ProductForm,
            selectors.product_get,
            services.product_create,
            "product",
        ),
        "bundle": (
            BundleForm,
            selectors.bundle_get,
            services.bundle_create,
            "bundle",
        ),
    }


_UPDATES: dict[str, Callable[..., Any]] = {
    "family": lambda actor, record, version, data: services.family_update(
        actor=actor, family=record, expected_version=version, **data
    ),
    "product": lambda actor, record, version, data: services.product_update(
        actor=actor, product=record, expected_version=version, **data
    ),
    "bundle": lambda actor, record, version, data: services.bundle_update(
        actor=actor, bundle=record, expected_version=version, **data
    ),
}
_MODELS: dict[str, type[Model]] = {"family": ProductFamily, "product": Product, "bundle": Bundle}


def _form(kind: str, request: HttpRequest, **kwargs: Any) -> BaseForm:
    form_class = _specs()[kind][0]
    if kind == "product":
        kwargs["user"] = request.user
    return form_class(request.POST or None, **kwargs)


@login_required
def record_new(request: HttpRequest, kind: str) -> HttpResponse:
    inside_only(request)
    _, _, create, label = _specs()[kind]
    if not can_create(request.user, _MODELS[kind]):
        messages.error(request, f"Only administrators add a {label}.")
        return HttpResponseRedirect(reverse("catalog:product-list"))
    initial = {"family": request.GET.get("family")} if kind == "product" else {}
    form = _form(kind, request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        response = run_form_service(
            request,
            form,
            lambda: create(actor=request.user, **data),
            success_message=f"The {label} was added.",
        )
        if response is not None:
            return response
    context = {"form": form, "title": f"New {label}", "cancel_url": reverse("catalog:product-list")}
    return render(request, "catalog/form.html", context, status=400 if form.errors else 200)


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    inside_only(request)
    getter = _specs()[kind][1]
    record = getter(user=request.user, pk=pk, action=Action.CHANGE)
    form = _form(kind, request, instance=record, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        version = form.cleaned_data.get("version") or record.version
        response = run_form_service(
            request,
            form,
            lambda: _UPDATES[kind](request.user, record, version, data),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": record,
        "title": f"Edit {record}",
        "cancel_url": record.get_absolute_url(),
    }
    return render(request, "catalog/form.html", context, status=400 if form.errors else 200)


_GETTERS: dict[str, Callable[..., Any]] = {
    "family": selectors.family_get,
    "product": selectors.product_get,
    "bundle": selectors.bundle_get,
    "item": selectors.bundle_item_get,
}


def _archive(request: HttpRequest, kind: str, pk: int, *, restore: bool) -> HttpResponse:
    inside_only(request)
    record = _GETTERS[kind](user=request.user, pk=pk, action=Action.DELETE)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    call = services.catalog_record_restore if restore else services.catalog_record_archive
    try:
        call(actor=request.user, record=record, expected_version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{record} was {'restored' if restore else 'archived'}.")
    target = record.bundle if kind == "item" else record
    return HttpResponseRedirect(target.get_absolute_url())


@login_required
@require_POST
def record_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _archive(request, kind, pk, restore=False)


@login_required
@require_POST
def record_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _archive(request, kind, pk, restore=True)


@login_required
def product_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of products: all rows or none, re-runnable (updates by SKU)."""
    inside_only(request)
    if not can_create(request.user, Product):
        messages.error(request, "Only administrators import products.")
        return HttpResponseRedirect(reverse("catalog:product-list"))
    form = ProductImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.products_import(actor=request.user, upload=form.cleaned_data["file"])
        except ImportRefused as refused:
            form.add_error("file", refused.message)
            row_errors = refused.errors
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                f"Imported: {result.created} added, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return HttpResponseRedirect(reverse("catalog:product-list"))
    context = {"form": form, "row_errors": row_errors, "title": "Import products"}
    return render(request, "catalog/import.html", context, status=400 if form.errors else 200)
