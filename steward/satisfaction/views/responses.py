"""Responses: the list (search, filters, export), one response, entering, editing, importing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from steward.core.access import Action, allows, can_create, principal_for
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.tabular import ImportRefused
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.satisfaction import selectors
from steward.satisfaction.filtersets import SatisfactionResponseFilterSet
from steward.satisfaction.forms import ResponseForm, ResponseImportForm
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.services import imports
from steward.satisfaction.services.responses import response_record, response_update

DETAIL_TABS = ("overview", "history")


def response_filterset(*, user: Any, filters: Any = None) -> SatisfactionResponseFilterSet:
    return SatisfactionResponseFilterSet(filters or {}, queryset=selectors.response_list(user=user))


class ResponseListView(ListPage):
    template_name = "satisfaction/response_list.html"
    filterset_selector = response_filterset
    export_name = "satisfaction-responses"
    title = "Satisfaction responses"
    export_columns = (
        Column("Id", lambda r: r.pk),
        Column("Account", lambda r: r.relationship.organization.display_name),
        Column("Kind", lambda r: r.kind),
        Column("Score", lambda r: r.score),
        Column("Answered on", lambda r: r.answered_on),
        Column("Contact", lambda r: str(r.contact) if r.contact else ""),
        Column("E-mail", lambda r: r.respondent_email),
        Column("Location", lambda r: str(r.site) if r.site else ""),
        Column("Channel", lambda r: r.get_channel_display()),
        Column("Entered by", lambda r: person_name(r.entered_by) if r.entered_by else ""),
        Column("Comment", lambda r: r.comment),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_import": principal_for(self.request.user).may_write}


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    tab = tab if tab in DETAIL_TABS else "overview"
    context: dict[str, Any] = {
        "object": response,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "can_change": not response.is_archived and allows(request.user, Action.CHANGE, response),
        "can_delete": allows(request.user, Action.DELETE, response),
        "archive_url": reverse("satisfaction:response-archive", args=[response.pk]),
        "restore_url": reverse("satisfaction:response-restore", args=[response.pk]),
    }
    if tab == "history":
        context.update(history_context(request, response))
    return render_page(request, "satisfaction/response_detail.html", context, partial="tab")


@login_required
def response_create(request: HttpRequest, account_pk: int) -> HttpResponse:
    user = request.user
    account = selectors.account_get(user=user, pk=account_pk, action=Action.CHANGE)
    if not can_create(user, SatisfactionResponse, parent=account):
        raise PermissionDenied("You may not record responses on this account.")
    form = ResponseForm(
        request.POST or None, account=account, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        done = run_form_service(
            request,
            form,
            lambda: response_record(actor=user, relationship=account, **form.changes()),
            success_message="Response recorded.",
        )
        if done is not None:
            return done
    context = {
        "form": form,
        "account": account,
        "title": f"Record a response of {account.organization}",
    }
    return render(request, "satisfaction/form.html", context)


@login_required
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    response = selectors.response_get(user=user, pk=pk, action=Action.CHANGE)
    form = ResponseForm(request.POST or None, instance=response, account=response.relationship)
    if request.method == "POST" and form.is_valid():
        done = run_form_service(
            request,
            form,
            lambda: response_update(
                actor=user,
                response=response,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if done is not None:
            return done
    context = {
        "form": form,
        "object": response,
        "account": response.relationship,
        "title": f"Edit {response}",
    }
    return render(request, "satisfaction/form.html", context)


@login_required
def response_import(request: HttpRequest) -> HttpResponse:
    form = ResponseImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.responses_import(actor=request.user, file=upload, filename=upload.name)
        except ImportRefused as refused:
            errors = refused.errors
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                f"Imported {result.created} response{'s' if result.created != 1 else ''}; "
                f"{result.skipped} already stored were skipped.",
            )
            return HttpResponseRedirect(reverse("satisfaction:response-list"))
    context = {
        "form": form,
        "errors": errors,
        "columns": imports.COLUMNS,
        "title": "Import responses",
    }
    return render(request, "satisfaction/import.html", context)
