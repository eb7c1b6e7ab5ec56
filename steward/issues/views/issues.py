"""Issues: the list, an issue's page with its timeline and moves, raise and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
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
from steward.issues import lifecycle, selectors, services
from steward.issues.choices import IssueStatus
from steward.issues.forms import EscalateForm, IssueEditForm, IssueForm, TransitionForm
from steward.issues.models import Issue
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices

DETAIL_TABS = ("overview", "history")

ISSUE_COLUMNS = (
    Column("Reference", lambda i: i.reference),
    Column("Title", lambda i: i.title),
    Column("Organization", lambda i: i.relationship.organization.display_name),
    Column("Side", lambda i: i.relationship.get_side_display()),
    Column("Category", lambda i: i.get_category_display()),
    Column("Severity", lambda i: i.get_severity_display()),
    Column("Status", lambda i: i.get_status_display()),
    Column("Owner", lambda i: person_name(i.owner)),
    Column("Source", lambda i: i.get_source_display()),
    Column("Contract", lambda i: i.contract.title if i.contract else ""),
    Column("SLA", lambda i: i.service_level.name if i.service_level else ""),
    Column("Opened", lambda i: i.opened_at),
    Column("Respond by", lambda i: i.respond_by),
    Column("Resolve by", lambda i: i.resolve_by),
    Column("Acknowledged", lambda i: i.acknowledged_at),
    Column("Resolved", lambda i: i.resolved_at),
    Column("Closed", lambda i: i.closed_at),
    Column("Escalation level", lambda i: i.escalation_level),
    Column("Root cause", lambda i: i.root_cause),
    Column("Corrective action", lambda i: i.corrective_action),
)

# What each move is called on a button, and which of the form's fields it asks for.
MOVE_LABELS = {
    IssueStatus.ACKNOWLEDGED: "Acknowledge",
    IssueStatus.IN_PROGRESS: "Start work",
    IssueStatus.RESOLVED: "Resolve",
    IssueStatus.CLOSED: "Close",
}


def move_fields(current: str, to: str) -> tuple[str, ...]:
    if to == IssueStatus.RESOLVED:
        return ("root_cause", "corrective_action")
    if lifecycle.is_reopen(current, to):
        return ("reason",)
    return ()


class IssueListView(ListPage):
    template_name = "issues/issue_list.html"
    filterset_selector = selectors.issue_filterset
    export_name = "issues"
    export_columns = ISSUE_COLUMNS
    title = "Issues"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "now": timezone.now(),
            "owner_choices": internal_user_choices(user=user),
            "relationship_filter": parties_selectors.relationship_named(
                user=user, pk=self.request.GET.get("relationship")
            ),
        }


def _moves(issue: Issue, state: dict[str, Any]) -> list[dict[str, Any]]:
    moves = []
    for to in state["moves"]:
        reopen = lifecycle.is_reopen(issue.status, to)
        moves.append(
            {
                "to": to,
                "label": "Reopen" if reopen else MOVE_LABELS.get(to, IssueStatus(to).label),
                "fields": move_fields(issue.status, to),
            }
        )
    return moves


def detail_context(
    request: HttpRequest,
    issue: Issue,
    *,
    tab: str = "overview",
    transition_form: TransitionForm | None = None,
    escalate_form: EscalateForm | None = None,
) -> dict[str, Any]:
    user = request.user
    state = selectors.issue_state(user=user, issue=issue)
    context: dict[str, Any] = {
        "object": issue,
        "relationship": issue.relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        **state,
        "moves": _moves(issue, state),
        "failed_move": transition_form.data.get("to") if transition_form is not None else "",
        "transition_form": transition_form or TransitionForm(),
        "escalate_form": escalate_form or EscalateForm(),
    }
    if tab == "overview":
        context["timeline"] = selectors.issue_timeline(user=user, issue=issue)
    else:
        context.update(history_context(request, issue))
    return context


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.issue_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    # History names people and records inside; portal users see the issue itself only.
    tabs = ("overview",) if principal_for(request.user).is_external else DETAIL_TABS
    if tab not in tabs:
        tab = "overview"
    context = detail_context(request, issue, tab=tab)
    context["tabs"] = tabs
    return render_page(request, "issues/issue_detail.html", context, partial="tab")


@login_required
@require_POST
def issue_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get(user=user, pk=pk, action=Action.CHANGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.issue_transition(
                actor=user,
                issue=issue,
                to=data["to"],
                reason=data["reason"],
                root_cause=data["root_cause"],
                corrective_action=data["corrective_action"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{moved.reference} is {moved.get_status_display().lower()}.")
            return HttpResponseRedirect(moved.get_absolute_url())
    context = detail_context(request, issue, transition_form=form)
    return render(request, "issues/issue_detail.html", context, status=400)


@login_required
@require_POST
def issue_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get(user=user, pk=pk, action=Action.CHANGE)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            escalated = services.issue_escalate(
                actor=user, issue=issue, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, f"{escalated.reference} escalated to level {escalated.escalation_level}."
            )
            return HttpResponseRedirect(escalated.get_absolute_url())
    context = detail_context(request, issue, escalate_form=form)
    return render(request, "issues/issue_detail.html", context, status=400)


@login_required
def issue_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, Issue, parent=relationship):
        raise PermissionDenied("You may not raise issues on this relationship.")
    form = IssueForm(request.POST or None, user=user, relationship=relationship)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.issue_open(actor=user, relationship=relationship, **form.changes()),
            success_message="Issue raised.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"New issue with {relationship.organization}",
    }
    return render(request, "issues/issue_form.html", context, status=400 if form.errors else 200)


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    issue = selectors.issue_get(user=user, pk=pk, action=Action.CHANGE)
    form = IssueEditForm(request.POST or None, instance=issue, user=user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.issue_update(
                actor=user,
                issue=issue,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": issue,
        "relationship": issue.relationship,
        "title": f"Edit {issue.reference}",
        "can_delete": allows(user, Action.DELETE, issue),
    }
    return render(request, "issues/issue_form.html", context, status=400 if form.errors else 200)
