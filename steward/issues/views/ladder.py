"""A relationship's escalation ladder, and the targets per severity (administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.errors import DomainError
from steward.core.ui import run_form_service
from steward.issues import selectors, services
from steward.issues.forms import EscalationLevelForm, SeverityTargetForm
from steward.issues.models import EscalationLevel
from steward.parties import selectors as parties_selectors


def ladder_url(relationship_id: int) -> str:
    return reverse("issues:escalation-ladder", args=[relationship_id])


@login_required
def escalation_ladder(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    """The ladder's rungs; those who may change the relationship add rungs here."""
    user = request.user
    relationship = parties_selectors.relationship_get(user=user, pk=relationship_pk)
    can_add = not relationship.is_archived and can_create(
        user, EscalationLevel, parent=relationship
    )
    form = None
    if can_add:
        rungs = selectors.escalation_ladder(user=user, relationship=relationship)
        next_level = max((r.level for r in rungs), default=0) + 1
        form = EscalationLevelForm(
            request.POST or None,
            user=user,
            relationship=relationship,
            initial={"level": next_level, "after_hours": 0},
        )
    elif request.method == "POST":
        raise PermissionDenied("You may not change this relationship's escalation ladder.")
    if request.method == "POST" and form is not None and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.escalation_level_add(
                actor=user, relationship=relationship, **form.changes()
            ),
            success_message="Level added.",
            success_url=lambda rung: ladder_url(relationship.pk),
        )
        if response is not None:
            return response
    context = {
        "relationship": relationship,
        "rungs": selectors.escalation_ladder(user=user, relationship=relationship),
        "form": form,
        "can_change": can_add,
        "title": f"Escalation ladder with {relationship.organization}",
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "issues/escalation_ladder.html", context, status=status)


@login_required
def escalation_level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rung = selectors.escalation_level_get(user=user, pk=pk, action=Action.CHANGE)
    relationship = rung.relationship
    form = EscalationLevelForm(
        request.POST or None, instance=rung, user=user, relationship=relationship
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.escalation_level_update(
                actor=user,
                rung=rung,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Level saved.",
            success_url=lambda saved: ladder_url(relationship.pk),
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": rung,
        "relationship": relationship,
        "title": f"Edit level {rung.level} with {relationship.organization}",
        "cancel_url": ladder_url(relationship.pk),
    }
    return render(request, "issues/simple_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def escalation_level_archive(request: HttpRequest, pk: int) -> HttpResponse:
    rung = selectors.escalation_level_get(user=request.user, pk=pk, action=Action.DELETE)
    try:
        services.escalation_level_archive(actor=request.user, rung=rung)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Level {rung.level} was taken off the ladder.")
    return HttpResponseRedirect(ladder_url(rung.relationship_id))


@login_required
def severity_targets(request: HttpRequest) -> HttpResponse:
    user = request.user
    targets = list(selectors.severity_targets(user=user))
    context: dict[str, Any] = {
        "targets": targets,
        "can_change": bool(targets) and allows(user, Action.CHANGE, targets[0]),
        "title": "Response and resolution targets",
    }
    return render(request, "issues/severity_targets.html", context)


@login_required
def severity_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    target = selectors.severity_target_get(user=user, pk=pk, action=Action.CHANGE)
    form = SeverityTargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.severity_target_update(
                actor=user,
                target=target,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Targets saved; issues opened from now on use them.",
            success_url=lambda saved: reverse("issues:severity-targets"),
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": target,
        "title": f"Targets for {target.get_severity_display().lower()} issues",
        "cancel_url": reverse("issues:severity-targets"),
    }
    return render(request, "issues/simple_form.html", context, status=400 if form.errors else 200)
