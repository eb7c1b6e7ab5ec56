"""Findings: the list, a finding's page with its moves and history, and the vendor's answer
(its remediation plan), which portal users of the vendor record themselves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, principal_for
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, apply_domain_error, history_context, render_page
from steward.risk import findings_lifecycle, selectors, services
from steward.risk.choices import FindingStatus
from steward.risk.forms import FindingRespondForm, FindingTransitionForm
from steward.risk.models import Finding

FINDING_COLUMNS = (
    Column("Id", lambda f: f.pk),
    Column("Vendor", lambda f: f.supplier.relationship.organization.display_name),
    Column("Title", lambda f: f.title),
    Column("Severity", lambda f: f.get_severity_display()),
    Column("Status", lambda f: f.get_status_display()),
    Column("Source", lambda f: f.get_source_display()),
    Column("Origin", lambda f: f.origin),
    Column("Owner", lambda f: person_name(f.owner)),
    Column("Remediation due", lambda f: f.remediation_due_on),
    Column("Remediation plan", lambda f: f.remediation_plan),
    Column("Shared with the vendor", lambda f: "yes" if f.shared_with_portal else "no"),
    Column("Closed", lambda f: f.closed_at),
)

MOVE_LABELS: dict[str, str] = {
    FindingStatus.REMEDIATING: "Start remediation",
    FindingStatus.CLOSED: "Close",
    FindingStatus.ACCEPTED: "Accept the risk",
    FindingStatus.OPEN: "Reopen",
}


class FindingListView(ListPage):
    template_name = "risk/finding_list.html"
    filterset_selector = selectors.finding_filterset
    export_name = "findings"
    export_columns = FINDING_COLUMNS
    title = "Findings"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"today": timezone.localdate()}


def _detail(
    request: HttpRequest,
    finding: Finding,
    *,
    transition_form: FindingTransitionForm | None = None,
    respond_form: FindingRespondForm | None = None,
) -> dict[str, Any]:
    user = request.user
    external = principal_for(user).is_external
    tab = "history" if request.GET.get("tab") == "history" and not external else "overview"
    can_change = allows(user, Action.CHANGE, finding) and not finding.is_archived
    is_open = finding.status in findings_lifecycle.OPEN
    context: dict[str, Any] = {
        "object": finding,
        "tab": tab,
        "external": external,
        "can_change": can_change,
        "moves": [
            {"to": to, "label": MOVE_LABELS[to], "needs_note": _needs_note(finding.status, to)}
            for to in sorted(findings_lifecycle.allowed_next(finding.status))
        ]
        if can_change
        else [],
        "can_respond": is_open and (external or can_change),
        "overdue": finding.is_overdue(timezone.localdate()),
        "transition_form": transition_form or FindingTransitionForm(),
        "failed_move": transition_form.data.get("to_status") if transition_form else "",
        "respond_form": respond_form
        or FindingRespondForm(
            initial={"remediation_plan": finding.remediation_plan, "version": finding.version}
        ),
    }
    if tab == "history":
        context.update(history_context(request, finding))
    return context


def _needs_note(current: str, to: str) -> bool:
    return to in findings_lifecycle.DONE or current in findings_lifecycle.DONE


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk)
    return render_page(
        request, "risk/finding_detail.html", _detail(request, finding), partial="tab"
    )


@login_required
@require_POST
def finding_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    finding = selectors.finding_get(user=user, pk=pk, action=Action.CHANGE)
    form = FindingTransitionForm(request.POST)
    if form.is_valid():
        try:
            moved = services.finding_transition(
                actor=user,
                finding=finding,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Finding {moved.get_status_display().lower()}.")
            return HttpResponseRedirect(moved.get_absolute_url())
    context = _detail(request, finding, transition_form=form)
    return render(request, "risk/finding_detail.html", context, status=400)


@login_required
@require_POST
def finding_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    finding = selectors.finding_get(user=user, pk=pk)  # the service checks who may answer
    form = FindingRespondForm(request.POST)
    if form.is_valid():
        try:
            answered = services.finding_respond(
                actor=user,
                finding=finding,
                remediation_plan=form.cleaned_data["remediation_plan"],
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Remediation plan recorded.")
            return HttpResponseRedirect(answered.get_absolute_url())
    context = _detail(request, finding, respond_form=form)
    return render(request, "risk/finding_detail.html", context, status=400)
