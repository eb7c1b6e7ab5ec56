"""Rows of a plan: put people on the map, agree objectives, link initiatives, add actions,
record reviews; edit and remove them. Each add works from the plan page's inline form or as a
page of its own (where a refused form is shown with its errors)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.accountplans import selectors, services
from steward.accountplans.forms import (
    ActionForm,
    InitiativeLinkForm,
    ObjectiveForm,
    ReviewForm,
    StakeholderForm,
)
from steward.accountplans.models import AccountPlan
from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import inside_only, run_form_service


@dataclass(frozen=True)
class Part:
    """How the pages handle one kind of row of a plan."""

    label: str
    anchor: str
    form: Any
    get: Callable[..., Any]
    add: Callable[..., Any]
    update: Callable[..., Any] | None
    remove: Callable[..., Any] | None
    keyword: str


PARTS: dict[str, Part] = {
    "stakeholder": Part(
        "person on the map",
        "map",
        StakeholderForm,
        selectors.stakeholder_get,
        services.stakeholder_add,
        services.stakeholder_update,
        services.stakeholder_remove,
        "stakeholder",
    ),
    "objective": Part(
        "objective",
        "objectives",
        ObjectiveForm,
        selectors.objective_get,
        services.objective_add,
        services.objective_update,
        services.objective_remove,
        "objective",
    ),
    "initiative": Part(
        "initiative",
        "initiatives",
        InitiativeLinkForm,
        selectors.initiative_link_get,
        services.initiative_link_add,
        services.initiative_link_update,
        services.initiative_link_remove,
        "link",
    ),
    "action": Part(
        "action",
        "actions",
        ActionForm,
        selectors.action_link_get,
        services.action_link_create,
        None,
        services.action_link_remove,
        "link",
    ),
}


def _part(kind: str) -> Part:
    if kind not in PARTS:
        raise Http404
    return PARTS[kind]


def _back(plan: AccountPlan, anchor: str) -> str:
    return f"{plan.get_absolute_url()}#{anchor}"


@login_required
def part_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    inside_only(request)
    part = _part(kind)
    user = request.user
    plan = selectors.plan_get(user=user, pk=pk, action=Action.CHANGE)
    form = part.form(request.POST or None, user=user, plan=plan, prefix=kind)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: part.add(actor=user, plan=plan, **form.changes()),
            success_message=f"The {part.label} was added.",
            success_url=lambda _: _back(plan, part.anchor),
        )
        if response is not None:
            return response
    context = {"form": form, "plan": plan, "title": f"Add {part.label}: {plan}"}
    return render(request, "accountplans/part_form.html", context)


@login_required
def part_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    inside_only(request)
    part = _part(kind)
    if part.update is None:
        raise Http404
    update = part.update
    user = request.user
    row = part.get(user=user, pk=pk, action=Action.CHANGE)
    plan = row.plan
    form = part.form(request.POST or None, user=user, plan=plan, instance=row, prefix=kind)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: update(
                actor=user,
                expected_version=form.cleaned_data.get("version") or 0,
                **{part.keyword: row},
                **form.changes(),
            ),
            success_message="Changes saved.",
            success_url=lambda _: _back(plan, part.anchor),
        )
        if response is not None:
            return response
    context = {"form": form, "plan": plan, "object": row, "title": f"Edit {row}"}
    return render(request, "accountplans/part_form.html", context)


@login_required
@require_POST
def part_remove(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    inside_only(request)
    part = _part(kind)
    assert part.remove is not None
    row = part.get(user=request.user, pk=pk, action=Action.DELETE)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        part.remove(actor=request.user, expected_version=version, **{part.keyword: row})
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The {part.label} was taken out of the plan.")
    return HttpResponseRedirect(_back(row.plan, part.anchor))


@login_required
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    user = request.user
    plan = selectors.plan_get(user=user, pk=pk, action=Action.CHANGE)
    form = ReviewForm(request.POST or None, prefix="review")
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.plan_review_record(actor=user, plan=plan, **form.cleaned_data),
            success_message="Review recorded.",
            success_url=lambda _: _back(plan, "reviews"),
        )
        if response is not None:
            return response
    context = {"form": form, "plan": plan, "title": f"Record a review: {plan}"}
    return render(request, "accountplans/part_form.html", context)
