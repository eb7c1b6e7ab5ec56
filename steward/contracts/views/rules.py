"""Approval rules: the list (every inside user reads it), create, edit, archive and restore
(administrators), and the preview of which rules a contract like a given one would need."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.contracts import selectors_rules, services
from steward.contracts.forms.rules import ApprovalRuleForm, RulePreviewForm
from steward.contracts.models import ApprovalRule
from steward.core.access import Action, can_create
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, render_page, run_form_service


def _list_url() -> str:
    return reverse("contracts:approval-rule-list")


RULE_COLUMNS = (
    Column("Id", lambda r: r.pk),
    Column("Name", lambda r: r.name),
    Column("Function", lambda r: r.get_function_display()),
    Column("Approver", lambda r: person_name(r.approver)),
    Column("Contract kinds", lambda r: ", ".join(r.kinds or [])),
    Column("Side", lambda r: r.side),
    Column("From a yearly value of", lambda r: r.min_annual_value),
    Column("Order", lambda r: r.order),
    Column("In words", selectors_rules.rule_in_words),
    Column("Archived", lambda r: r.archived_at),
)


class ApprovalRuleListView(ListPage):
    template_name = "contracts/approval_rule_list.html"
    filterset_selector = selectors_rules.approval_rule_filterset
    export_name = "approval-rules"
    export_columns = RULE_COLUMNS
    title = "Approval rules"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "described": [(rule, selectors_rules.rule_in_words(rule)) for rule in page],
            "can_manage": can_create(self.request.user, ApprovalRule),
        }


def _render_form(request: HttpRequest, form: ApprovalRuleForm, *, title: str) -> HttpResponse:
    context = {"form": form, "title": title, "object": form.instance if form.instance.pk else None}
    return render(request, "contracts/approval_rule_form.html", context)


@login_required
def approval_rule_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, ApprovalRule):
        raise PermissionDenied("Only administrators set approval rules.")
    form = ApprovalRuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.approval_rule_create(actor=request.user, **form.changes()),
            success_message="Approval rule created.",
            success_url=lambda created: _list_url(),
        )
        if response is not None:
            return response
    return _render_form(request, form, title="New approval rule")


@login_required
def approval_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors_rules.approval_rule_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = ApprovalRuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.approval_rule_update(
                actor=request.user,
                rule=rule,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Approval rule saved.",
            success_url=lambda saved: _list_url(),
        )
        if response is not None:
            return response
    return _render_form(request, form, title=f"Edit {rule}")


def _archive_view(*, restore: bool) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        rule = selectors_rules.approval_rule_get(user=request.user, pk=pk, action=Action.DELETE)
        service = services.approval_rule_restore if restore else services.approval_rule_archive
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            service(actor=request.user, rule=rule, expected_version=version)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{rule} was {'restored' if restore else 'archived'}.")
        return HttpResponseRedirect(_list_url())

    return view


approval_rule_archive = _archive_view(restore=False)
approval_rule_restore = _archive_view(restore=True)


@login_required
def approval_rule_preview(request: HttpRequest) -> HttpResponse:
    """Which current rules a contract of this kind, side and yearly value would need."""
    form = RulePreviewForm(request.GET or None)
    applying: list[tuple[ApprovalRule, str]] | None = None
    if form.is_bound and form.is_valid():
        visible = selectors_rules.approval_rules_visible(user=request.user).active()
        rules = selectors_rules.rules_applying(
            kind=form.cleaned_data["kind"],
            side=form.cleaned_data["side"],
            annual_value=form.cleaned_data["annual_value"],
            rules=visible,
        )
        applying = [(rule, selectors_rules.rule_in_words(rule)) for rule in rules]
    context = {"title": "Which rules would apply", "form": form, "applying": applying}
    return render_page(request, "contracts/approval_rule_preview.html", context)
