"""The improvement plan panel of the scorecard page: create and edit a plan, add targets, mark
them met, close the plan. Each posts back to the scorecard page; a refusal re-renders it with the
service's message on the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.charts import chart_page
from steward.core.ui import render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.scorecards import selectors
from steward.scorecards.forms.cards import PlanCloseForm, PlanForm, TargetForm, TargetMetForm
from steward.scorecards.views.cards import CARD_TEMPLATE, card_context


def _page_url(relationship_id: int) -> str:
    return reverse("scorecards:relationship-scorecard", args=[relationship_id]) + "#plans"


def _plan_post(
    request: HttpRequest,
    relationship: Any,
    *,
    name: str,
    form: Any,
    service: Callable[[], Any],
    success_message: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            service,
            success_message=success_message,
            success_url=lambda _: _page_url(relationship.pk),
        )
        if response is not None:
            return response
    card = selectors.latest_card(user=request.user, relationship=relationship)
    forms = {f"{name}_form": form, "open": name, **(extra or {})}
    return render_page(request, CARD_TEMPLATE, card_context(request, relationship, card, **forms))


@chart_page
@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import plans

    relationship = parties_selectors.relationship_get(
        user=request.user, pk=pk, action=Action.CHANGE
    )
    form = PlanForm(request.POST)
    card = selectors.latest_card(user=request.user, relationship=relationship)

    def create() -> Any:
        data = form.cleaned_data
        return plans.improvement_plan_create(
            actor=request.user,
            relationship=relationship,
            title=data["title"],
            summary=data["summary"],
            due_on=data["due_on"],
            card=card,
        )

    return _plan_post(
        request,
        relationship,
        name="plan",
        form=form,
        service=create,
        success_message="Improvement plan started.",
    )


@chart_page
@login_required
@require_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import plans

    plan = selectors.plan_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = PlanForm(request.POST)

    def update() -> Any:
        data = form.cleaned_data
        return plans.improvement_plan_update(
            actor=request.user,
            plan=plan,
            expected_version=data.get("version") or plan.version,
            title=data["title"],
            summary=data["summary"],
            due_on=data["due_on"],
        )

    return _plan_post(
        request,
        plan.relationship,
        name="plan_edit",
        form=form,
        service=update,
        success_message="Plan saved.",
    )


@chart_page
@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import plans

    plan = selectors.plan_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = PlanCloseForm(request.POST)
    return _plan_post(
        request,
        plan.relationship,
        name="close",
        form=form,
        service=lambda: plans.improvement_plan_close(
            actor=request.user,
            plan=plan,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        ),
        success_message="Plan closed.",
        extra={"close_plan_pk": plan.pk},
    )


@chart_page
@login_required
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import plans

    plan = selectors.plan_get(user=request.user, pk=pk, action=Action.CHANGE)
    card = selectors.latest_card(user=request.user, relationship=plan.relationship)
    criteria = selectors.criteria_of(card.period.version) if card else []
    form = TargetForm(request.POST, criteria=criteria)

    def add() -> Any:
        data = form.cleaned_data
        return plans.improvement_target_add(
            actor=request.user,
            plan=plan,
            criterion_code=data.get("criterion_code") or "",
            label=data["label"],
            target_score=data["target_score"],
            due_on=data["due_on"],
        )

    return _plan_post(
        request,
        plan.relationship,
        name="target",
        form=form,
        service=add,
        success_message="Target added.",
        extra={"target_plan_pk": plan.pk},
    )


@chart_page
@login_required
@require_POST
def target_met(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import plans

    target = selectors.target_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = TargetMetForm(request.POST)

    def mark() -> Any:
        met_on = form.cleaned_data.get("met_on")
        kwargs = {"met_on": met_on} if met_on else {}
        return plans.improvement_target_mark_met(actor=request.user, target=target, **kwargs)

    return _plan_post(
        request,
        target.plan.relationship,
        name="met",
        form=form,
        service=mark,
        success_message="Target met.",
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's own address (notifications link here): the plan panel of the scorecard page."""
    from django.http import HttpResponseRedirect

    plan = selectors.plan_get(user=request.user, pk=pk)
    return HttpResponseRedirect(_page_url(plan.relationship_id))
