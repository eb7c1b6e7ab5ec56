"""The list of plans, a plan's page, starting, editing, closing and reviewing a plan, its PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.accountplans import pdf, selectors, services
from steward.accountplans.forms import (
    ActionForm,
    InitiativeLinkForm,
    ObjectiveForm,
    PlanForm,
    ReviewForm,
    StakeholderForm,
)
from steward.accountplans.models import AccountPlan
from steward.accountplans.sections import plan_sections
from steward.core.access import Action, allows, can_create
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column, export_response
from steward.core.ui import (
    ListPage,
    history_context,
    inside_only,
    render_page,
    run_form_service,
)
from steward.parties import selectors as parties_selectors
from steward.people.selectors import internal_user_choices

DETAIL_TABS = ("plan", "history")


def plan_columns(standings: dict[int, Any]) -> tuple[Column, ...]:
    def standing(plan: AccountPlan) -> Any:
        return standings.get(plan.pk)

    return (
        Column("Id", lambda p: p.pk),
        Column("Plan", lambda p: p.title),
        Column("Account", lambda p: p.relationship.organization.display_name),
        Column("Account owner", lambda p: person_name(p.relationship.owner)),
        Column("Status", lambda p: p.get_status_display()),
        Column("Starts", lambda p: p.starts_on),
        Column("Ends", lambda p: p.ends_on),
        Column("Score (%)", lambda p: standing(p).score if standing(p) else None),
        Column("Meets the standard", lambda p: standing(p).meets if standing(p) else None),
        Column("Last review", lambda p: p.last_reviewed_on),
        Column("Next review", lambda p: p.next_review_on),
        Column("Archived", lambda p: p.archived_at),
    )


class PlanListView(ListPage):
    template_name = "accountplans/plan_list.html"
    filterset_selector = selectors.plan_filterset
    export_name = "account-plans"
    export_columns = plan_columns({})
    title = "Account plans"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        inside_only(request)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            filterset = selectors.plan_filterset(user=request.user, filters=self.get_filters())
            rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
            standings = selectors.plan_standing_for(rows)
            return export_response(
                rows, plan_columns(standings), filename=self.export_name, file_format=export
            )
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        selectors.with_standing(list(page.object_list))
        return {
            "today": timezone.localdate(),
            "owner_choices": internal_user_choices(user=self.request.user),
        }


def _plan_context(request: HttpRequest, plan: AccountPlan) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    parts = selectors.plan_parts(plan)
    facts = selectors.plan_facts_for([plan], today)[plan.pk]
    standing = selectors.plan_standing(plan, today=today)
    can_change = (
        plan.status == "active" and not plan.is_archived and allows(user, Action.CHANGE, plan)
    )
    context: dict[str, Any] = {
        **parts,
        "standing": standing,
        "gaps": selectors.coverage_gaps(plan, parts["stakeholders"], facts),
        "sections": [
            {
                "section": section,
                "shared": section.key in plan.shared_live_sections,
                **section.compute(plan, user, today),
            }
            for section in plan_sections()
        ],
        "can_change": can_change,
    }
    if can_change:
        context.update(
            stakeholder_form=StakeholderForm(user=user, plan=plan, prefix="stakeholder"),
            objective_form=ObjectiveForm(user=user, plan=plan, prefix="objective"),
            initiative_form=InitiativeLinkForm(user=user, plan=plan, prefix="initiative"),
            action_form=ActionForm(user=user, plan=plan, prefix="action"),
            review_form=ReviewForm(prefix="review", initial={"held_on": today}),
        )
    return context


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    plan = selectors.plan_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "plan")
    if tab not in DETAIL_TABS:
        tab = "plan"
    context: dict[str, Any] = {
        "object": plan,
        "plan": plan,
        "relationship": plan.relationship,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "today": timezone.localdate(),
        "can_delete": allows(request.user, Action.DELETE, plan),
    }
    if tab == "plan":
        context.update(_plan_context(request, plan))
    else:
        context.update(history_context(request, plan))
    return render_page(request, "accountplans/plan_detail.html", context, partial="tab")


@login_required
def plan_create(request: HttpRequest, relationship_pk: int) -> HttpResponse:
    inside_only(request)
    user = request.user
    relationship = parties_selectors.relationship_get(
        user=user, pk=relationship_pk, action=Action.CHANGE
    )
    if not can_create(user, AccountPlan, parent=relationship):
        raise PermissionDenied("You may not start a plan on this account.")
    today = timezone.localdate()
    initial = {"starts_on": today, "ends_on": today.replace(year=today.year + 1)}
    if today.month == 2 and today.day == 29:  # pragma: no cover - a leap day
        initial["ends_on"] = today.replace(year=today.year + 1, day=28)
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.plan_create(actor=user, relationship=relationship, **form.changes()),
            success_message="Plan started.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "relationship": relationship,
        "title": f"New account plan with {relationship.organization}",
    }
    return render(request, "accountplans/plan_form.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    user = request.user
    plan = selectors.plan_get(user=user, pk=pk, action=Action.CHANGE)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.plan_update(
                actor=user,
                plan=plan,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "object": plan,
        "relationship": plan.relationship,
        "title": f"Edit {plan}",
    }
    return render(request, "accountplans/plan_form.html", context)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    plan = selectors.plan_get(user=request.user, pk=pk)
    response = HttpResponse(pdf.plan_pdf(plan, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.plan_pdf_filename(plan)}"'
    return response


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    plan = selectors.plan_get(user=request.user, pk=pk, action=Action.CHANGE)
    try:
        services.plan_close(actor=request.user, plan=plan, expected_version=_version(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Plan closed; it is kept as it was.")
    return HttpResponseRedirect(plan.get_absolute_url())


def _archive_or_restore(request: HttpRequest, pk: int, *, restore: bool) -> HttpResponse:
    inside_only(request)
    plan = selectors.plan_get(user=request.user, pk=pk, action=Action.DELETE)
    service = services.plan_restore if restore else services.plan_archive
    try:
        service(actor=request.user, plan=plan, expected_version=_version(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{plan} was {'restored' if restore else 'archived'}.")
    return HttpResponseRedirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_or_restore(request, pk, restore=False)


@login_required
@require_POST
def plan_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_or_restore(request, pk, restore=True)
