"""What the supply-side pages share: the form page and the way back to a vendor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from steward.suppliers.models import Supplier

Crumb = tuple[str, str]


def vendor_url(supplier: Supplier, tab: str = "") -> str:
    url = reverse("suppliers:vendor-detail", args=[supplier.pk])
    return f"{url}?tab={tab}" if tab else url


def vendor_crumbs(supplier: Supplier, tab: str = "") -> list[Crumb]:
    return [
        ("Vendors", reverse("suppliers:vendor-list")),
        (str(supplier), vendor_url(supplier, tab)),
    ]


def field_label(name: str) -> str:
    """A vendor field's human name."""
    return str(getattr(Supplier._meta.get_field(name), "verbose_name", name))


def render_form(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    crumbs: Sequence[Crumb] = (),
    submit: str = "Save",
    template: str = "suppliers/form.html",
    **extra: Any,
) -> HttpResponse:
    """A page with one form: breadcrumbs, the fields (grouped when the form says so), buttons."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "crumbs": crumbs,
        "submit": submit,
        **extra,
    }
    return render(request, template, context)
