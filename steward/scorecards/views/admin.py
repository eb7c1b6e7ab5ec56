"""Scorecard templates (administrators change them, everyone inside reads them) and periods.

Templates: list, detail with versions and criteria, a new template, a new version (criteria rows
as a formset; a refused row is named with its field), the standings rows, and the what-if page.
Periods: a template's periods, one period's cards (searchable, paginated), and "close now".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from steward.core.access import Action, allows, can_create
from steward.core.errors import DomainError
from steward.core.ui import paginate, render_page
from steward.scorecards import selectors
from steward.scorecards.forms.templates import (
    CriteriaFormSet,
    StandingsFormSet,
    TemplateForm,
    VersionNoteForm,
    WhatIfForm,
    criterion_initial,
    place_row_error,
)
from steward.scorecards.models import ScorecardTemplate


def template_url(template: ScorecardTemplate) -> str:
    return reverse("scorecards:template-detail", args=[template.pk])


def _refuse(form: Any, formset: Any, error: DomainError, prefix: str) -> None:
    """A service refusal: on the row and field it names, and above the form in any case."""
    place_row_error(formset, error, prefix=prefix)
    field = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code))


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    archived = request.GET.get("archived") == "true"
    context = {
        "title": "Scorecard templates",
        "templates": selectors.template_list(user=user, archived=archived),
        "archived": archived,
        "can_create": can_create(user, ScorecardTemplate),
    }
    return render(request, "scorecards/template_list.html", context)


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    template = selectors.template_get(user=user, pk=pk)
    context = {
        "title": template.name,
        "template": template,
        "versions": list(selectors.versions_of(user=user, template=template)),
        "periods": list(selectors.period_list(user=user, template=template)[:40]),
        "may_change": not template.is_archived and allows(user, Action.CHANGE, template),
    }
    return render(request, "scorecards/template_detail.html", context)


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    from steward.scorecards.services.templates import template_create as create

    user = request.user
    if not can_create(user, ScorecardTemplate):
        raise PermissionDenied("Only administrators create scorecard templates.")
    posted = request.method == "POST"
    form = TemplateForm(request.POST or None)
    side = request.POST.get("side") if posted else None
    formset = CriteriaFormSet(request.POST or None, prefix="criteria", side=side)
    if posted and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            template = create(actor=user, criteria=formset.criteria(), **data)
        except DomainError as error:
            _refuse(form, formset, error, "criteria")
        else:
            messages.success(request, "Template created with version 1.")
            return HttpResponseRedirect(template_url(template))
    context = {"title": "New scorecard template", "form": form, "formset": formset}
    return render(request, "scorecards/template_form.html", context)


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    """New criteria for a template, applying from the next period start."""
    from steward.scorecards.services.templates import template_version_create

    user = request.user
    template = selectors.template_get(user=user, pk=pk, action=Action.CHANGE)
    current = selectors.versions_of(user=user, template=template).first()
    initial = [criterion_initial(c) for c in current.criteria.all()] if current else []
    posted = request.method == "POST"
    form = VersionNoteForm(request.POST or None)
    formset = CriteriaFormSet(
        request.POST or None, prefix="criteria", side=template.side, initial=initial
    )
    if posted and form.is_valid() and formset.is_valid():
        try:
            version = template_version_create(
                actor=user,
                template=template,
                criteria=formset.criteria(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _refuse(form, formset, error, "criteria")
        else:
            messages.success(
                request, f"Version {version.number} applies from {version.effective_from}."
            )
            return HttpResponseRedirect(template_url(template))
    context = {
        "title": f"New version of {template}",
        "template": template,
        "form": form,
        "formset": formset,
    }
    return render(request, "scorecards/version_form.html", context)


@login_required
def standings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services.templates import template_standings_set

    user = request.user
    template = selectors.template_get(user=user, pk=pk, action=Action.CHANGE)
    initial = [
        {
            "name": row.get("name"),
            "lower": row.get("lower"),
            "consequences": row.get("consequences", []),
        }
        for row in (template.standings or [])
    ]
    posted = request.method == "POST"
    formset = StandingsFormSet(request.POST or None, prefix="standings", initial=initial)
    errors: list[str] = []
    if posted and formset.is_valid():
        try:
            template_standings_set(actor=user, template=template, rows=formset.rows())
        except DomainError as error:
            place_row_error(formset, error, prefix="standings")
            errors.append(error.message)
        else:
            messages.success(request, "Standings saved; cards scored from now on use them.")
            return HttpResponseRedirect(template_url(template))
    context = {
        "title": f"Standings of {template}",
        "template": template,
        "formset": formset,
        "errors": errors,
    }
    return render(request, "scorecards/standings_form.html", context)


@login_required
def what_if(request: HttpRequest, pk: int) -> HttpResponse:
    """Score past periods under another version, side by side with the record; nothing saved."""
    from steward.scorecards.services.periods import what_if as score_what_if

    user = request.user
    template = selectors.template_get(user=user, pk=pk)
    versions = list(selectors.versions_of(user=user, template=template))
    periods = list(selectors.period_list(user=user, template=template)[:24])
    form = WhatIfForm(request.GET or None, versions=versions, periods=periods)
    results: list[Any] = []
    if request.GET and form.is_valid():
        version = next(v for v in versions if v.pk == form.cleaned_data["version"])
        chosen = [p for p in periods if p.pk in set(form.cleaned_data["periods"])]
        try:
            results = list(score_what_if(actor=user, version=version, periods=chosen))
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, ValidationError(error.message, code=error.code))
    page = paginate(request, results)  # type: ignore[arg-type]
    context = {
        "title": f"What if — {template}",
        "template": template,
        "form": form,
        "page": page,
        "results": page.object_list,
    }
    return render_page(request, "scorecards/what_if.html", context, partial="results")


# --- periods ---------------------------------------------------------------------------------


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    templates = list(selectors.template_list(user=user))
    template = None
    wanted = request.GET.get("template")
    if wanted:
        template = selectors.template_get(user=user, pk=wanted)
    periods = selectors.period_list(user=user, template=template)
    context = {
        "title": "Scorecard periods",
        "templates": templates,
        "template": template,
        "page": paginate(request, periods),
    }
    return render_page(request, "scorecards/period_list.html", context, partial="results")


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = selectors.period_get(user=user, pk=pk)
    query = request.GET.get("q", "").strip()[:100]
    cards = selectors.period_cards(user=user, period=period, filters={"q": query}).order_by(
        "relationship__organization__display_name", "pk"
    )
    context = {
        "title": str(period),
        "period": period,
        "query": query,
        "page": paginate(request, cards),
        "may_close": not period.is_closed and allows(user, Action.CHANGE, period),
    }
    return render_page(request, "scorecards/period_detail.html", context, partial="results")


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services.periods import period_close as close

    user = request.user
    period = selectors.period_get(user=user, pk=pk, action=Action.CHANGE)
    try:
        close(actor=user, period=period)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{period.label} closed: its cards are frozen.")
    return HttpResponseRedirect(reverse("scorecards:period-detail", args=[period.pk]))
