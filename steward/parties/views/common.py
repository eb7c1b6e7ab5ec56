"""Helpers the parties pages share: archive/restore endpoints and object lookups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import run_form_service
from steward.parties import services
from steward.parties.forms import ReassignForm


def archive_view(
    getter: Callable[..., Any], *, restore: bool = False
) -> Callable[..., HttpResponse]:
    """A POST endpoint that archives (or restores) the record ``getter`` fetches."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = getter(user=request.user, pk=pk, action=Action.DELETE)
        version = _int_or_none(request.POST.get("version"))
        action = services.record_restore if restore else services.record_archive
        try:
            action(actor=request.user, record=record, expected_version=version)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            verb = "restored" if restore else "archived"
            messages.success(request, f"{record} was {verb}.")
        return HttpResponseRedirect(_after_archive_url(record, restore=restore))

    return view


def _after_archive_url(record: Any, *, restore: bool) -> str:
    if restore or not hasattr(record, "organization"):
        return str(record.get_absolute_url())
    return str(record.organization.get_absolute_url())


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reassign_view(getter: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """A page that hands the record ``getter`` fetches to another owner."""

    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = getter(user=request.user, pk=pk, action=Action.REASSIGN)
        form = ReassignForm(
            request.POST or None,
            user=request.user,
            initial={"owner": record.owner_id, "version": record.version},
        )
        if request.method == "POST" and form.is_valid():
            response = run_form_service(
                request,
                form,
                lambda: services.record_reassign(
                    actor=request.user,
                    record=record,
                    owner=form.cleaned_data["owner"],
                    expected_version=form.cleaned_data["version"],
                ),
                success_message="Owner changed.",
            )
            if response is not None:
                return response
        context = {"form": form, "object": record, "title": f"Reassign {record}"}
        return render(request, "parties/reassign_form.html", context)

    return view
