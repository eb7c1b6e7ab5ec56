"""What the quotas pages share: form pages that call one service, imports, periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from steward.core.errors import DomainError
from steward.core.tabular import ImportRefused
from steward.core.ui import apply_domain_error, render_page, run_form_service
from steward.quotas import figures
from steward.quotas.forms import ImportForm, PeriodForm


def form_page(
    request: HttpRequest,
    form: Any,
    service: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any],
    success_message: str,
    success_url: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            service,
            success_message=success_message,
            success_url=lambda _record: success_url,
        )
        if response is not None:
            return response
    status = 400 if request.method == "POST" and form.errors else 200
    return render_page(request, template, {"form": form, **context}, status=status)


def import_page(
    request: HttpRequest,
    run: Callable[[Any], int],
    *,
    title: str,
    columns: str,
    back: str,
) -> HttpResponse:
    """Upload a file; every row kept, or the refusal listed row by row."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = run(form.cleaned_data["file"])
        except ImportRefused as refused:
            problems = refused.errors
            form.add_error("file", refused.message)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, f"Imported: {count} row{'s' if count != 1 else ''} added or changed."
            )
            return HttpResponseRedirect(back)
    context = {"form": form, "title": title, "columns": columns, "problems": problems, "back": back}
    status = 400 if request.method == "POST" and form.errors else 200
    return render_page(request, "quotas/import.html", context, status=status)


def period_of(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    """The months asked for (first days), or the last 12 full months."""
    form = PeriodForm(request.GET or None)
    first, last = figures.last_full_months(today)
    if form.is_valid():
        first = (form.cleaned_data.get("first") or first).replace(day=1)
        last = (form.cleaned_data.get("last") or last).replace(day=1)
    if last < first:
        first, last = last, first
    try:
        figures.check_period(first, last)
    except DomainError:
        return figures.last_full_months(today)
    return first, last
