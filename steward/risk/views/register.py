"""The risk register: the list across relationships, a risk's page, enter, edit, close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create, principal_for
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import (
    ListPage,
    apply_domain_error,
    history_context,
    render_page,
    run_form_service,
)
from steward.risk import selectors, services
from steward.risk.choices import RiskStatus
from steward.risk.forms import NoteForm, RiskForm
from steward.risk.models import Risk

RISK_COLUMNS = (
    Column("Id", lambda r: r.pk),
    Column("Organization", lambda r: r.relationship.organization.display_name),
    Column("Category", lambda r: r.get_category_display()),
    Column("Title", lambda r: r.title),
    Column("Inherent likelihood", lambda r: r.inherent_likelihood),
    Column("Inherent impact", lambda r: r.inherent_impact),
    Column("Inherent score", lambda r: r.inherent_score),
    Column("Residual likelihood", lambda r: r.residual_likelihood),
    Column("Residual impact", lambda r: r.residual_impact),
    Column("Residual score", lambda r: r.residual_score),
    Column("Rating", lambda r: r.residual_rating),
    Column("Treatment", lambda r: r.get_treatment_display()),
    Column("Owner", lambda r: person_name(r.owner)),
    Column("Review date", lambda r: r.review_on),
    Column("Status", lambda r: r.get_status_display()),
)


class RiskListView(ListPage):
    template_name = "risk/risk_list.html"
    filterset_selector = selectors.risk_filterset
    export_name = "risk-register"
    export_columns = RISK_COLUMNS
    title = "Risk register"


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    risk = selectors.risk_get(user=user, pk=pk)
    return render_page(request, "risk/risk_detail.html", _detail(request, risk), partial="tab")


def _detail(request: HttpRequest, risk: Risk, note_form: NoteForm | None = None) -> dict[str, Any]:
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    context: dict[str, Any] = {
        "object": risk,
        "relationship": risk.relationship,
        "tab": tab,
        "can_change": allows(request.user, Action.CHANGE, risk) and not risk.is_archived,
        "note_form": note_form or NoteForm(),
    }
    if tab == "history":
        context.update(history_context(request, risk))
    return context


@login_required
def risk_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = selectors.risk_relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, Risk, parent=relationship) or principal_for(user).is_external:
        raise PermissionDenied("You may not add risks to this relationship.")
    form = RiskForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.risk_create(actor=user, relationship=relationship, **form.changes()),
            success_message="Risk entered.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "title": f"New risk with {relationship.organization}",
        "cancel_url": relationship.get_absolute_url(),
    }
    return render(request, "risk/form.html", context, status=400 if form.errors else 200)


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    risk = selectors.risk_get(user=user, pk=pk, action=Action.CHANGE)
    form = RiskForm(
        request.POST or None, instance=risk, user=user, initial={"version": risk.version}
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.risk_update(
                actor=user,
                risk=risk,
                expected_version=form.cleaned_data.get("version"),
                **form.changes(),
            ),
            success_message="Risk saved.",
        )
        if response is not None:
            return response
    context = {"form": form, "title": f"Edit {risk}", "cancel_url": risk.get_absolute_url()}
    return render(request, "risk/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def risk_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open risk, or reopen a closed one; either needs a note."""
    user = request.user
    risk = selectors.risk_get(user=user, pk=pk, action=Action.CHANGE)
    form = NoteForm(request.POST)
    if form.is_valid():
        move = services.risk_close if risk.status == RiskStatus.OPEN else services.risk_reopen
        try:
            moved = move(actor=user, risk=risk, note=form.cleaned_data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Risk {moved.get_status_display().lower()}.")
            return HttpResponseRedirect(moved.get_absolute_url())
    return render(request, "risk/risk_detail.html", _detail(request, risk, form), status=400)
