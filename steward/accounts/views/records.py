"""Pages that change an account's records: profile, installed base, buying units."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.accounts import selectors, services
from steward.accounts.forms import AccountProfileForm, BuyingUnitForm, InstalledProductForm
from steward.accounts.models import BuyingUnit, InstalledProduct
from steward.accounts.views.workspace import account_for
from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import inside_only, run_form_service
from steward.parties.models import Relationship


def _tab_url(relationship: Relationship | int, tab: str) -> str:
    pk = relationship if isinstance(relationship, int) else relationship.pk
    return reverse("accounts:account-detail", args=[pk]) + f"?tab={tab}"


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    relationship: Relationship,
    title: str,
    back: str,
    call: Callable[[dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        response = run_form_service(
            request,
            form,
            lambda: call(data),
            success_message=success,
            success_url=lambda record: back,
        )
        if response is not None:
            return response
    context = {"form": form, "account": relationship, "title": title, "back": back}
    return render(request, "accounts/form.html", context, status=400 if form.errors else 200)


def _version(form: BaseForm, record: Any) -> int:
    return int(form.cleaned_data.get("version") or record.version)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = account_for(request, pk, Action.CHANGE)
    profile = selectors.profile_of(relationship)
    initial = (
        {"version": profile.version}
        if profile
        else {"currency": selectors.account_currency(relationship)}
    )
    form = AccountProfileForm(request.POST or None, instance=profile, initial=initial)
    return _form_page(
        request,
        form,
        relationship=relationship,
        title=f"Account profile of {relationship.organization}",
        back=_tab_url(relationship, "overview"),
        call=lambda data: services.account_profile_update(
            actor=request.user,
            relationship=relationship,
            expected_version=_version(form, profile) if profile else None,
            **data,
        ),
        success="Profile saved.",
    )


@login_required
def installed_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = account_for(request, pk, Action.CHANGE)
    form = InstalledProductForm(
        request.POST or None,
        user=request.user,
        relationship=relationship,
        initial={"currency": selectors.account_currency(relationship), "quantity": 1},
    )
    return _form_page(
        request,
        form,
        relationship=relationship,
        title="Add to the installed base",
        back=_tab_url(relationship, "installed"),
        call=lambda data: services.installed_product_add(
            actor=request.user, relationship=relationship, **data
        ),
        success="Added to the installed base.",
    )


@login_required
def installed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row: InstalledProduct = selectors.part_get(
        user=request.user, model=InstalledProduct, pk=pk, action=Action.CHANGE
    )
    relationship = row.relationship
    form = InstalledProductForm(
        request.POST or None,
        instance=row,
        user=request.user,
        relationship=relationship,
        initial={"version": row.version},
    )
    return _form_page(
        request,
        form,
        relationship=relationship,
        title=f"Edit {row.product}",
        back=_tab_url(relationship, "installed"),
        call=lambda data: services.installed_product_update(
            actor=request.user, installed=row, expected_version=_version(form, row), **data
        ),
        success="Changes saved.",
    )


@login_required
@require_POST
def installed_end(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    row: InstalledProduct = selectors.part_get(
        user=request.user, model=InstalledProduct, pk=pk, action=Action.CHANGE
    )
    try:
        services.installed_product_end(actor=request.user, installed=row)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{row.product} ended today.")
    return HttpResponseRedirect(_tab_url(row.relationship_id, "installed"))


@login_required
def unit_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = account_for(request, pk, Action.CHANGE)
    form = BuyingUnitForm(request.POST or None, relationship=relationship)
    return _form_page(
        request,
        form,
        relationship=relationship,
        title="New buying unit",
        back=_tab_url(relationship, "contacts"),
        call=lambda data: services.buying_unit_create(
            actor=request.user, relationship=relationship, **data
        ),
        success="Buying unit added.",
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    unit: BuyingUnit = selectors.part_get(
        user=request.user, model=BuyingUnit, pk=pk, action=Action.CHANGE
    )
    form = BuyingUnitForm(
        request.POST or None,
        instance=unit,
        relationship=unit.relationship,
        initial={"version": unit.version},
    )
    return _form_page(
        request,
        form,
        relationship=unit.relationship,
        title=f"Edit {unit}",
        back=_tab_url(unit.relationship, "contacts"),
        call=lambda data: services.buying_unit_update(
            actor=request.user, unit=unit, expected_version=_version(form, unit), **data
        ),
        success="Changes saved.",
    )


_ARCHIVABLE: dict[str, tuple[type[Any], str]] = {
    "unit": (BuyingUnit, "contacts"),
    "installed": (InstalledProduct, "installed"),
}


@login_required
@require_POST
def record_archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    inside_only(request)
    model, tab = _ARCHIVABLE[kind]
    record = selectors.part_get(user=request.user, model=model, pk=pk, action=Action.DELETE)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.account_record_archive(actor=request.user, record=record, expected_version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{record} was archived.")
    return HttpResponseRedirect(_tab_url(record.relationship_id, tab))
