"""Milestones of an initiative: add, edit and mark done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from steward.core.access import Action, can_create
from steward.core.errors import DomainError
from steward.core.ui import run_form_service
from steward.plans import selectors, services
from steward.plans.choices import MilestoneStatus
from steward.plans.forms import MilestoneEditForm, MilestoneForm
from steward.plans.models import Milestone


@login_required
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk, action=Action.CHANGE)
    if not can_create(user, Milestone, parent=initiative):
        raise PermissionDenied("You may not plan milestones on this initiative.")
    form = MilestoneForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.milestone_add(actor=user, initiative=initiative, **form.cleaned_data),
            success_message="Milestone added.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "initiative": initiative,
        "title": f"New milestone of {initiative}",
    }
    return render(request, "plans/milestone_form.html", context)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    milestone = selectors.milestone_get(user=user, pk=pk, action=Action.CHANGE)
    form = MilestoneEditForm(request.POST or None, instance=milestone, user=user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.milestone_update(
                actor=user,
                milestone=milestone,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Milestone saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": milestone,
        "initiative": milestone.initiative,
        "title": f"Edit milestone {milestone}",
    }
    return render(request, "plans/milestone_form.html", context)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a milestone done today, if nobody changed it since the page was shown."""
    user = request.user
    milestone = selectors.milestone_get(user=user, pk=pk, action=Action.CHANGE)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.milestone_update(
            actor=user, milestone=milestone, expected_version=version, status=MilestoneStatus.DONE
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{milestone}” is done.")
    return HttpResponseRedirect(milestone.initiative.get_absolute_url())
