"""Initiatives: the list, an initiative's page with its milestones, create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from steward.core.access import Action, allows, can_create
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices
from steward.plans import selectors, services
from steward.plans.choices import InitiativeStatus
from steward.plans.forms import InitiativeForm, MilestoneForm
from steward.plans.models import Initiative, Milestone

DETAIL_TABS = ("overview", "history")
CLOSED = (InitiativeStatus.DONE, InitiativeStatus.CANCELLED)


INITIATIVE_COLUMNS = (
    Column("Id", lambda i: i.pk),
    Column("Title", lambda i: i.title),
    Column("Organization", lambda i: i.relationship.organization.display_name),
    Column("Side", lambda i: i.relationship.get_side_display()),
    Column("Kind", lambda i: i.get_kind_display()),
    Column("Status", lambda i: i.get_status_display()),
    Column("Owner", lambda i: person_name(i.owner)),
    Column("Starts", lambda i: i.starts_on),
    Column("Ends", lambda i: i.ends_on),
    Column("Currency", lambda i: i.currency),
    Column("Budget", lambda i: i.budget),
    Column("Expected value", lambda i: i.expected_value),
    Column("Delivered value", lambda i: i.delivered_value),
    Column("Milestones open", lambda i: i.milestones_open),
    Column("Milestones", lambda i: i.milestone_count),
    Column("Overdue milestones", lambda i: i.milestones_overdue),
    Column("Archived", lambda i: i.archived_at),
)


class InitiativeListView(ListPage):
    template_name = "plans/initiative_list.html"
    filterset_selector = selectors.initiative_filterset
    export_name = "initiatives"
    export_columns = INITIATIVE_COLUMNS
    title = "Initiatives"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "today": timezone.localdate(),
            "owner_choices": internal_user_choices(user=user),
            "relationship_filter": parties_selectors.relationship_named(
                user=user, pk=self.request.GET.get("relationship")
            ),
        }


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in DETAIL_TABS:
        tab = "overview"
    can_change = not initiative.is_archived and allows(user, Action.CHANGE, initiative)
    can_add_milestone = (
        can_change
        and initiative.status not in CLOSED
        and can_create(user, Milestone, parent=initiative)
    )
    context: dict[str, Any] = {
        "object": initiative,
        "relationship": initiative.relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "today": timezone.localdate(),
        "can_change": can_change,
        "can_add_milestone": can_add_milestone,
        "can_delete": allows(user, Action.DELETE, initiative),
        "archive_url": reverse("plans:initiative-archive", args=[initiative.pk]),
        "restore_url": reverse("plans:initiative-restore", args=[initiative.pk]),
    }
    if tab == "overview":
        context["milestones"] = initiative.active_milestones  # type: ignore[attr-defined]
        if can_add_milestone:
            context["milestone_form"] = MilestoneForm(user=user)
    else:
        context.update(history_context(request, initiative))
    return render_page(request, "plans/initiative_detail.html", context, partial="tab")


@login_required
def initiative_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, Initiative, parent=relationship):
        raise PermissionDenied("You may not start initiatives on this relationship.")
    form = InitiativeForm(request.POST or None, user=user, initial={"owner": user.pk})
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.initiative_create(
                actor=user, relationship=relationship, **form.changes()
            ),
            success_message="Initiative started.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"New initiative with {relationship.organization}",
    }
    return render(request, "plans/initiative_form.html", context)


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = selectors.initiative_get(user=user, pk=pk, action=Action.CHANGE)
    form = InitiativeForm(request.POST or None, instance=initiative, user=user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.initiative_update(
                actor=user,
                initiative=initiative,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": initiative,
        "relationship": initiative.relationship,
        "title": f"Edit {initiative}",
    }
    return render(request, "plans/initiative_form.html", context)
