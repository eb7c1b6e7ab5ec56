"""The pages of the spend reference data: sources and their mappings, category rules, exchange
rates (and a file of them), cost centers, confirmed vendor matches, and a contract's prices.

Every inside user reads them; finance and administrators change them (the access policy says
so, and the pages show the change controls only to those it allows). A contract's prices
follow the contract: whoever may change the contract may price it, and finance may.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create, principal_for
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.models import DomainModel
from steward.core.tabular import ImportRefused
from steward.core.ui import (
    ListPage,
    apply_domain_error,
    history_context,
    paginate,
    query_filters,
    render_page,
    run_form_service,
)
from steward.spend import selectors
from steward.spend.choices import RuleField, RuleMatch
from steward.spend.forms import (
    CategoryRuleForm,
    ContractPriceForm,
    CostCenterForm,
    ExchangeRateForm,
    RateImportForm,
    SpendSourceForm,
)
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendSource,
    VendorAlias,
)
from steward.spend.money import base_currency
from steward.spend.services import reference as services
from steward.spend.services.reference_rates import RATE_COLUMNS

Crumb = tuple[str, str]
_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def inside_page(view: _View) -> _View:
    """Signed in and one of our people: portal users are refused (403), as on the analytics."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not principal_for(request.user).is_internal:
            raise PermissionDenied("Spend imports and their reference data are for inside users.")
        return view(request, *args, **kwargs)

    return login_required(checked)  # type: ignore[return-value]


class InsideListPage(ListPage):
    """A list of these pages: refused to portal users like every page here."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not principal_for(request.user).is_internal:
            raise PermissionDenied("Spend imports and their reference data are for inside users.")
        return super().get(request, *args, **kwargs)


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    crumbs: Sequence[Crumb],
    submit: str,
    template: str = "spend/reference/form.html",
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "crumbs": crumbs,
        "submit": submit,
        **extra,
    }
    return render(request, template, context)


def _save_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], Any],
    *,
    saved: str,
    success_url: Callable[[Any], str],
    **page: Any,
) -> HttpResponse:
    """A form page: on a valid POST, ``save`` (the service call) and go to ``success_url`` of
    what it saved, saying ``saved``; otherwise (or when the service refuses) the form again,
    with its errors (``page``: what ``_form_page`` takes)."""
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request, form, save, success_message=saved, success_url=success_url
        )
        if response is not None:
            return response
    return _form_page(request, form, **page)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _archive_views(
    get: Callable[..., DomainModel], archive: Callable[..., Any], back: Callable[[Any], str]
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """POST views that archive and restore one record, then go back to its list."""

    def make(*, restore: bool) -> Callable[..., HttpResponse]:
        @inside_page
        @require_POST
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            record = get(user=request.user, pk=pk, action=Action.DELETE)
            try:
                if restore:
                    services.spend_reference_restore(
                        actor=request.user, record=record, expected_version=_version(request)
                    )
                else:
                    archive(request.user, record, _version(request))
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{record} was {'restored' if restore else 'archived'}.")
            return HttpResponseRedirect(back(record))

        return view

    return make(restore=False), make(restore=True)


# --- sources -------------------------------------------------------------------------------------


def _source_list_url() -> str:
    return reverse("spend:source-list")


def _source_url(source: Any) -> str:
    return reverse("spend:source-detail", args=[source.pk])


class SourceListView(InsideListPage):
    template_name = "spend/reference/source_list.html"
    filterset_selector = selectors.source_filterset
    title = "Spend sources"
    export_name = "spend-sources"
    export_columns = (
        Column("Id", lambda s: s.pk),
        Column("Name", lambda s: s.name),
        Column("Kind", lambda s: s.get_kind_display()),
        Column("Mapping", lambda s: ", ".join(f"{k}={v}" for k, v in (s.mapping or {}).items())),
        Column("Date format", lambda s: s.date_format),
        Column("Decimal comma", lambda s: s.decimal_comma),
        Column("Default currency", lambda s: s.default_currency),
        Column("Archived", lambda s: s.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_create": can_create(self.request.user, SpendSource)}


@inside_page
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_get(user=request.user, pk=pk)
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    mapping = source.mapping or {}
    context: dict[str, Any] = {
        "object": source,
        "title": source.name,
        "tab": tab,
        "can_change": allows(request.user, Action.CHANGE, source),
        "fields": [
            (label, mapping.get(name, ""), name) for name, label in services.STEWARD_FIELDS.items()
        ],
        "imports": selectors.imports_visible(user=request.user).filter(source=source)[:10],
    }
    if tab == "history":
        context.update(history_context(request, source))
    return render_page(request, "spend/reference/source_detail.html", context, partial="tab")


@inside_page
def source_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, SpendSource):
        raise PermissionDenied("Only finance and administrators add spend sources.")
    form = SpendSourceForm(request.POST or None)
    return _save_page(
        request,
        form,
        lambda: SpendSourceForm.pointing_at_inputs(
            lambda: services.spend_source_create(actor=request.user, **form.changes())
        ),
        saved="Source saved.",
        success_url=_source_url,
        title="New spend source",
        cancel_url=_source_list_url(),
        crumbs=[("Spend sources", _source_list_url())],
        submit="Create source",
        template="spend/reference/source_form.html",
    )


@inside_page
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = SpendSourceForm(request.POST or None, instance=source)
    return _save_page(
        request,
        form,
        lambda: SpendSourceForm.pointing_at_inputs(
            lambda: services.spend_source_update(
                actor=request.user,
                source=source,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            )
        ),
        saved="Source saved.",
        success_url=_source_url,
        title=f"Edit {source}",
        cancel_url=_source_url(source),
        crumbs=[("Spend sources", _source_list_url()), (str(source), _source_url(source))],
        submit="Save changes",
        template="spend/reference/source_form.html",
    )


source_archive, source_restore = _archive_views(
    selectors.source_get,
    lambda actor, record, version: services.spend_source_archive(
        actor=actor, source=record, expected_version=version
    ),
    _source_url,
)


# --- category rules ------------------------------------------------------------------------------


def _rule_list_url(_: Any = None) -> str:
    return reverse("spend:rule-list")


class RuleListView(InsideListPage):
    template_name = "spend/reference/rule_list.html"
    filterset_selector = selectors.rule_filterset
    title = "Category rules"
    export_name = "spend-category-rules"
    export_columns = (
        Column("Id", lambda r: r.pk),
        Column("Priority", lambda r: r.priority),
        Column("Looks at", lambda r: r.get_field_display()),
        Column("Match", lambda r: r.get_match_display()),
        Column("Pattern", lambda r: r.pattern),
        Column("Vendor", lambda r: str(r.supplier) if r.supplier_id else ""),
        Column("Category", lambda r: r.category.name),
        Column("Archived", lambda r: r.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "can_manage": can_create(self.request.user, CategoryRule),
            "fields": RuleField.choices,
            "matches": RuleMatch.choices,
        }


def _rule_form(request: HttpRequest, instance: CategoryRule | None = None) -> CategoryRuleForm:
    return CategoryRuleForm(
        request.POST or None,
        instance=instance,
        vendors=selectors.vendor_choices(user=request.user),
        categories=selectors.category_choices(),
    )


@inside_page
def rule_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, CategoryRule):
        raise PermissionDenied("Only finance and administrators set category rules.")
    form = _rule_form(request)
    return _save_page(
        request,
        form,
        lambda: services.category_rule_create(actor=request.user, **form.changes()),
        saved="Rule saved.",
        success_url=_rule_list_url,
        title="New category rule",
        cancel_url=_rule_list_url(),
        crumbs=[("Category rules", _rule_list_url())],
        submit="Create rule",
    )


@inside_page
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = _rule_form(request, rule)
    return _save_page(
        request,
        form,
        lambda: services.category_rule_update(
            actor=request.user,
            rule=rule,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.changes(),
        ),
        saved="Rule saved.",
        success_url=_rule_list_url,
        title=f"Edit the rule “{rule}”",
        cancel_url=_rule_list_url(),
        crumbs=[("Category rules", _rule_list_url())],
        submit="Save changes",
    )


rule_archive, rule_restore = _archive_views(
    selectors.rule_get,
    lambda actor, record, version: services.category_rule_archive(
        actor=actor, rule=record, expected_version=version
    ),
    _rule_list_url,
)


# --- cost centers --------------------------------------------------------------------------------


def _cost_center_list_url(_: Any = None) -> str:
    return reverse("spend:cost-center-list")


class CostCenterListView(InsideListPage):
    template_name = "spend/reference/cost_center_list.html"
    filterset_selector = selectors.cost_center_filterset
    title = "Cost centers"
    export_name = "cost-centers"
    export_columns = (
        Column("Id", lambda c: c.pk),
        Column("Code", lambda c: c.code),
        Column("Name", lambda c: c.name),
        Column("Archived", lambda c: c.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_manage": can_create(self.request.user, CostCenter)}


@inside_page
def cost_center_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, CostCenter):
        raise PermissionDenied("Only finance and administrators add cost centers.")
    form = CostCenterForm(request.POST or None)
    return _save_page(
        request,
        form,
        lambda: services.cost_center_create(actor=request.user, **form.changes()),
        saved="Cost center saved.",
        success_url=_cost_center_list_url,
        title="New cost center",
        cancel_url=_cost_center_list_url(),
        crumbs=[("Cost centers", _cost_center_list_url())],
        submit="Create cost center",
    )


@inside_page
def cost_center_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cost_center = selectors.cost_center_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = CostCenterForm(request.POST or None, instance=cost_center)
    return _save_page(
        request,
        form,
        lambda: services.cost_center_update(
            actor=request.user,
            cost_center=cost_center,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.changes(),
        ),
        saved="Cost center saved.",
        success_url=_cost_center_list_url,
        title=f"Edit {cost_center}",
        cancel_url=_cost_center_list_url(),
        crumbs=[("Cost centers", _cost_center_list_url())],
        submit="Save changes",
    )


cost_center_archive, cost_center_restore = _archive_views(
    selectors.cost_center_get,
    lambda actor, record, version: services.cost_center_archive(
        actor=actor, cost_center=record, expected_version=version
    ),
    _cost_center_list_url,
)


# --- exchange rates ------------------------------------------------------------------------------


def _rate_list_url(_: Any = None) -> str:
    return reverse("spend:rate-list")


class RateListView(InsideListPage):
    template_name = "spend/reference/rate_list.html"
    filterset_selector = selectors.rate_filterset
    title = "Exchange rates"
    export_name = "exchange-rates"
    export_columns = (
        Column("currency", lambda r: r.currency),
        Column("date", lambda r: r.rate_date),
        Column("rate", lambda r: r.rate),
        Column("archived", lambda r: r.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "can_manage": can_create(self.request.user, ExchangeRate),
            "base_currency": base_currency(),
        }


@inside_page
def rate_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, ExchangeRate):
        raise PermissionDenied("Only finance and administrators add exchange rates.")
    form = ExchangeRateForm(request.POST or None, base=base_currency())
    return _save_page(
        request,
        form,
        lambda: services.exchange_rate_create(actor=request.user, **form.changes()),
        saved="Rate saved.",
        success_url=_rate_list_url,
        title="New exchange rate",
        cancel_url=_rate_list_url(),
        crumbs=[("Exchange rates", _rate_list_url())],
        submit="Add rate",
    )


@inside_page
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = selectors.rate_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = ExchangeRateForm(request.POST or None, instance=rate, base=base_currency())
    return _save_page(
        request,
        form,
        lambda: services.exchange_rate_update(
            actor=request.user,
            exchange_rate=rate,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.changes(),
        ),
        saved="Rate saved.",
        success_url=_rate_list_url,
        title=f"Edit the {rate.currency} rate of {rate.rate_date:%Y-%m-%d}",
        cancel_url=_rate_list_url(),
        crumbs=[("Exchange rates", _rate_list_url())],
        submit="Save changes",
    )


rate_archive, rate_restore = _archive_views(
    selectors.rate_get,
    lambda actor, record, version: services.exchange_rate_archive(
        actor=actor, exchange_rate=record, expected_version=version
    ),
    _rate_list_url,
)


@inside_page
def rate_import(request: HttpRequest) -> HttpResponse:
    """A file of rates: all rows or none; rates already there are not added twice."""
    if not can_create(request.user, ExchangeRate):
        raise PermissionDenied("Only finance and administrators import exchange rates.")
    form = RateImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.exchange_rates_import(
                actor=request.user, upload=form.cleaned_data["file"]
            )
        except ImportRefused as refused:
            form.add_error("file", refused.message)
            row_errors = refused.errors
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{count} rate{'s' if count != 1 else ''} added or changed."
                if count
                else "Every rate of the file was there already; nothing changed.",
            )
            return HttpResponseRedirect(_rate_list_url())
    return _form_page(
        request,
        form,
        title="Import exchange rates",
        cancel_url=_rate_list_url(),
        crumbs=[("Exchange rates", _rate_list_url())],
        submit="Import",
        template="spend/reference/rate_import.html",
        columns=RATE_COLUMNS,
        row_errors=row_errors,
        base_currency=base_currency(),
    )


# --- vendor matches ------------------------------------------------------------------------------


def _alias_list_url(_: Any = None) -> str:
    return reverse("spend:alias-list")


class AliasListView(InsideListPage):
    template_name = "spend/reference/alias_list.html"
    filterset_selector = selectors.alias_filterset
    title = "Vendor matches"
    export_name = "vendor-matches"
    export_columns = (
        Column("Id", lambda a: a.pk),
        Column("Name in the ledger", lambda a: a.raw_name),
        Column("Vendor", lambda a: str(a.supplier)),
        Column("Confirmed by", lambda a: person_name(a.confirmed_by)),
        Column("Confirmed at", lambda a: a.updated_at),
        Column("Archived", lambda a: a.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_manage": can_create(self.request.user, VendorAlias)}


alias_archive, alias_restore = _archive_views(
    selectors.alias_get,
    lambda actor, record, version: services.vendor_alias_archive(
        actor=actor, alias=record, expected_version=version
    ),
    _alias_list_url,
)


@inside_page
def vendor_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: vendors matching what was typed into a vendor picker of these pages."""
    query = next((str(v) for v in request.GET.values() if v), "")[:100].strip()
    rows = (
        selectors.vendor_choices(user=request.user).filter(
            relationship__organization__display_name__icontains=query
        )[:10]
        if query
        else []
    )
    options = [{"pk": s.pk, "label": str(s), "detail": ""} for s in rows]
    return render(request, "includes/picker_options.html", {"options": options})


# --- a contract's prices -------------------------------------------------------------------------


def _prices_url(contract: Any) -> str:
    return reverse("spend:contract-prices", args=[contract.pk])


@inside_page
def contract_prices(request: HttpRequest, pk: int) -> HttpResponse:
    """The prices a buy-side contract agrees, and a form to add one for those who may."""
    user = request.user
    contract = selectors.price_contract_get(user=user, pk=pk)
    may_add = can_create(user, ContractPrice, parent=contract)
    form = ContractPriceForm(request.POST or None, contracts=None) if may_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("You may not price this contract.")
        if form.is_valid():
            response = run_form_service(
                request,
                form,
                lambda: services.contract_price_create(
                    actor=user, contract=contract, **form.changes()
                ),
                success_message="Price saved.",
                success_url=lambda saved: _prices_url(contract),
            )
            if response is not None:
                return response
    filters = query_filters(request.GET)
    filters["contract"] = str(contract.pk)
    filterset = selectors.price_filterset(user=user, filters=filters)
    rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
    page = paginate(request, rows.order_by("item", "valid_from", "pk"))
    context = {
        "title": f"Prices of {contract}",
        "contract": contract,
        "form": form,
        "page": page,
        "rows": page.object_list,
        "filter_form": filterset.form,
        "can_manage": may_add,
    }
    return render_page(request, "spend/reference/contract_prices.html", context, partial="results")


@inside_page
def contract_price_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    price = selectors.price_get(user=user, pk=pk, action=Action.CHANGE)
    contracts = selectors.price_contract_choices(user=user)
    form = ContractPriceForm(request.POST or None, instance=price, contracts=contracts)
    return _save_page(
        request,
        form,
        lambda: services.contract_price_update(
            actor=user,
            price=price,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.changes(),
        ),
        saved="Price saved.",
        success_url=lambda saved: _prices_url(saved.contract),
        title=f"Edit the price of {price.item}",
        cancel_url=_prices_url(price.contract),
        crumbs=[(f"Prices of {price.contract}", _prices_url(price.contract))],
        submit="Save changes",
    )


contract_price_archive, contract_price_restore = _archive_views(
    selectors.price_get,
    lambda actor, record, version: services.contract_price_archive(
        actor=actor, price=record, expected_version=version
    ),
    lambda price: _prices_url(price.contract),
)
