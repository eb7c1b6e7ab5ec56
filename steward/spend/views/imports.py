"""The import pages: the list of files imported, a new import, and one import as it runs (a
progress indicator the page polls) and as it ended: lines added, or why the file was refused,
with the vendor names to confirm and a button to run it again.

Who sees an import, who may start one and who may run it again is the access policy's answer
(``SpendImport``: who ran it, finance, administrators; only finance and administrators start
one).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import apply_domain_error, render_page
from steward.spend import selectors
from steward.spend.choices import ImportStatus
from steward.spend.forms import ImportCreateForm, SpendSourceForm, VendorConfirmForm
from steward.spend.models import SpendImport, SpendSource, VendorAlias
from steward.spend.money import base_currency, from_cents
from steward.spend.services import imports as import_services
from steward.spend.services import reference as services
from steward.spend.views.reference import InsideListPage, inside_page

RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})
RETRYABLE = frozenset({ImportStatus.REFUSED, ImportStatus.FAILED})
ERRORS_SHOWN = 200
STATUS_STYLE: dict[str, str] = {
    ImportStatus.QUEUED: "secondary",
    ImportStatus.RUNNING: "info",
    ImportStatus.DONE: "success",
    ImportStatus.REFUSED: "warning",
    ImportStatus.FAILED: "danger",
}


def detail_url(batch: SpendImport) -> str:
    return reverse("spend:import-detail", args=[batch.pk])


IMPORT_COLUMNS = (
    Column("Id", lambda b: b.pk),
    Column("File", lambda b: b.filename),
    Column("Source", lambda b: b.source.name),
    Column("Status", lambda b: b.get_status_display()),
    Column("Rows read", lambda b: b.rows_read),
    Column("Lines added", lambda b: b.lines_added),
    Column("Lines skipped", lambda b: b.lines_skipped),
    # Whole cents: a number in a spreadsheet, whatever its sign (a text "-1.00" would be quoted).
    Column("Amount (base currency cents)", lambda b: b.amount_base_cents),
    Column("Imported by", lambda b: person_name(b.created_by)),
    Column("Imported at", lambda b: b.created_at),
)


class ImportListView(InsideListPage):
    template_name = "spend/imports/list.html"
    filterset_selector = selectors.import_filterset
    title = "Spend imports"
    export_name = "spend-imports"
    export_columns = IMPORT_COLUMNS

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "can_create": can_create(self.request.user, SpendImport),
            "sources": selectors.sources_visible(user=self.request.user).order_by("name"),
            "statuses": ImportStatus.choices,
            "listed": [
                (batch, STATUS_STYLE.get(batch.status, ""), from_cents(batch.amount_base_cents))
                for batch in page
            ],
            "base_currency": base_currency(),
        }


# --- a new import --------------------------------------------------------------------------------


class _SourceRefused(Exception):  # noqa: N818 - carries the refusal of the inline source
    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


@inside_page
def import_create(request: HttpRequest) -> HttpResponse:
    """Choose a source (or describe a new one) and upload a file; the import runs in the
    background and its page shows how far it got."""
    user = request.user
    if not can_create(user, SpendImport):
        raise PermissionDenied("Only finance and administrators import spend.")
    may_add_source = can_create(user, SpendSource)
    form = ImportCreateForm(
        request.POST or None, request.FILES or None, sources=selectors.source_choices(user=user)
    )
    new_source = SpendSourceForm(request.POST or None, prefix="new") if may_add_source else None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["source"]
        if chosen is None and new_source is None:
            form.add_error("source", "Choose the source the file comes from.")
        elif chosen is not None or (new_source is not None and new_source.is_valid()):
            batch = _start_import(request, form, new_source, chosen)
            if batch is not None:
                messages.success(request, f"{batch.filename} is being imported.")
                return HttpResponseRedirect(detail_url(batch))
    context = {
        "title": "Import spend",
        "form": form,
        "new_source": new_source,
        "new_source_open": bool(form.is_bound and form.wants_new_source()),
    }
    return render(request, "spend/imports/create.html", context)


def _start_import(
    request: HttpRequest,
    form: ImportCreateForm,
    new_source: SpendSourceForm | None,
    chosen: SpendSource | None,
) -> SpendImport | None:
    """The new source (if any) and the import together: a refused file leaves no source."""
    try:
        with transaction.atomic():
            source = chosen or _create_source(request, new_source)
            return import_services.spend_import_create(
                actor=request.user, source=source, upload=form.cleaned_data["file"]
            )
    except _SourceRefused as refused:
        assert new_source is not None
        apply_domain_error(new_source, refused.error)
    except DomainError as error:
        apply_domain_error(form, error)
    return None


def _create_source(request: HttpRequest, new_source: SpendSourceForm | None) -> SpendSource:
    assert new_source is not None
    try:
        return SpendSourceForm.pointing_at_inputs(
            lambda: services.spend_source_create(actor=request.user, **new_source.changes())
        )
    except DomainError as error:
        raise _SourceRefused(error) from error


# --- one import ----------------------------------------------------------------------------------


def _status_context(request: HttpRequest, batch: SpendImport) -> dict[str, Any]:
    """What the status part of the page shows: progress while running, the outcome after."""
    running = batch.status in RUNNING
    context: dict[str, Any] = {
        "batch": batch,
        "running": running,
        "status_style": STATUS_STYLE.get(batch.status, "light"),
    }
    if running:
        return context
    user = request.user
    errors = list(batch.errors or [])
    may_confirm = bool(batch.unmatched) and can_create(user, VendorAlias)
    context.update(
        {
            "amount": from_cents(batch.amount_base_cents),
            "base_currency": base_currency(),
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
            "unmatched": _unmatched(request, batch, may_confirm=may_confirm),
            "may_confirm": may_confirm,
            "may_retry": batch.status in RETRYABLE and allows(user, Action.CHANGE, batch),
        }
    )
    return context


def _unmatched(request: HttpRequest, batch: SpendImport, *, may_confirm: bool) -> list[Any]:
    """Each unmatched name with its suggestions and, for those who may, a vendor picker."""
    vendors = selectors.vendor_choices(user=request.user) if may_confirm else None
    rows = []
    for index, item in enumerate(batch.unmatched or []):
        name = str(item.get("name") or item.get("tax_id") or "")
        picker = None
        if may_confirm:
            picker = VendorConfirmForm(
                initial={"raw_name": name, "next": detail_url(batch)},
                vendors=vendors,
                picker=True,
                auto_id=f"id_unmatched{index}_%s",
            )
        rows.append({"item": item, "name": name, "picker": picker})
    return rows


@inside_page
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(user=request.user, pk=pk)
    context = {"title": batch.filename, **_status_context(request, batch)}
    return render_page(request, "spend/imports/detail.html", context, partial="status")


@inside_page
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx, every second while the import runs: its progress, then its outcome."""
    batch = selectors.import_status(user=request.user, pk=pk)
    if batch.status not in RUNNING:
        batch = selectors.import_get(user=request.user, pk=pk)
    context = _status_context(request, batch)
    return render(request, "spend/imports/detail.html#status", context)


@inside_page
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a refused or failed import again, after its vendors, rules or rates were fixed."""
    batch = selectors.import_get(user=request.user, pk=pk, action=Action.CHANGE)
    try:
        import_services.spend_import_retry(actor=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{batch.filename} is being imported again.")
    return HttpResponseRedirect(detail_url(batch))


# --- confirming a vendor -------------------------------------------------------------------------


def _back(request: HttpRequest, target: str) -> HttpResponse:
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if target and safe else reverse("spend:alias-list"))


@inside_page
@require_POST
def alias_confirm(request: HttpRequest) -> HttpResponse:
    """ "This name is that vendor": remembered, so the next run of the import matches it."""
    user = request.user
    if not can_create(user, VendorAlias):
        raise PermissionDenied("Only finance and administrators confirm vendor matches.")
    form = VendorConfirmForm(request.POST, vendors=selectors.vendor_choices(user=user))
    target = str(request.POST.get("next") or "")
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Nothing was confirmed: {problems}")
        return _back(request, target)
    data = form.cleaned_data
    try:
        alias = services.vendor_alias_confirm(
            actor=user, raw_name=data["raw_name"], supplier=data["supplier"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"“{alias.raw_name}” is {alias.supplier} from now on. Run the import again to use it.",
        )
    return _back(request, target)
