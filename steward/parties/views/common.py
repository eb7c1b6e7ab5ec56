"""Helpers the parties pages share: archive/restore endpoints and object lookups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.errors import DomainError
from steward.parties import services


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
