"""A relationship's scorecard page, the evidence behind a number, and the actions on a card:
correct a criterion, share with the portal, raise and answer appeals.

A refused input re-renders the scorecard page with the service's message on the field it names;
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from steward.core.access import Action, allows, principal_for
from steward.core.charts import base_layout, chart_context, chart_page, plain_text
from steward.core.ui import render_page, run_form_service
from steward.parties import selectors as parties_selectors
from steward.scorecards import selectors
from steward.scorecards.choices import AppealStatus, PlanStatus
from steward.scorecards.forms.cards import (
    AppealAnswerForm,
    AppealForm,
    CorrectionForm,
    PlanCloseForm,
    PlanForm,
    ShareForm,
    TargetForm,
    TargetMetForm,
)
from steward.scorecards.models import Scorecard

CARD_TEMPLATE = "scorecards/scorecard.html"


def scorecard_url(card: Scorecard) -> str:
    url = reverse("scorecards:relationship-scorecard", args=[card.relationship_id])
    return f"{url}?card={card.pk}"


def trend_chart(trend: selectors.Trend) -> dict[str, Any] | None:
    """Overall and per-criterion scores over the periods, one line each."""
    if not trend.labels:
        return None
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=trend.labels,
            y=[float(v) if v is not None else None for v in trend.overall],
            name="Overall",
            mode="lines+markers",
            line={"width": 3},
        )
    )
    for code, values in trend.series.items():
        figure.add_trace(
            go.Scatter(
                x=trend.labels,
                y=[float(v) if v is not None else None for v in values],
                name=plain_text(trend.names.get(code, code)),
                mode="lines+markers",
            )
        )
    figure.update_layout(**base_layout(height=320, yaxis={"range": [0, 100], "title": "Score"}))
    return chart_context(
        figure,
        chart_id="scorecard-trend",
        label="Score per criterion over the periods",
        description="The table of criteria beside the chart gives the same scores as text.",
    )


def card_context(
    request: HttpRequest, relationship: Any, card: Scorecard | None, **forms: Any
) -> dict[str, Any]:
    """What the scorecard page shows; ``forms`` carry bound forms with errors."""
    user = request.user
    may_change = not relationship.is_archived and allows(user, Action.CHANGE, relationship)
    cards = list(selectors.relationship_cards(user=user, relationship=relationship)[:24])
    context: dict[str, Any] = {
        "relationship": relationship,
        "card": card,
        "cards": cards,
        "may_change": may_change,
        "is_internal": principal_for(user).is_internal,
        "can_view_relationship": allows(user, Action.VIEW, relationship),
        "chart": trend_chart(selectors.card_trend(user=user, relationship=relationship)),
        "plans": list(selectors.plans_for(user=user, relationship=relationship)),
        "open": forms.pop("open", None),
        "title": f"Scorecard — {relationship.organization}",
    }
    if card is not None:
        lines = selectors.card_lines(card=card)
        criteria = [line.criterion for line in lines]
        appeals = list(selectors.card_appeals(user=user, card=card))
        open_appeals = [a for a in appeals if a.status == AppealStatus.OPEN]
        context.update(
            lines=lines,
            missing=selectors.missing_names(card),
            appeals=appeals,
            corrections=list(selectors.card_corrections(user=user, card=card)),
            appeal_form=forms.get("appeal_form") or AppealForm(criteria=criteria),
            criteria=criteria,
        )
        if may_change:
            context.update(
                correction_form=forms.get("correction_form")
                or CorrectionForm(criteria=criteria, appeals=open_appeals),
                share_form=forms.get("share_form")
                or ShareForm(initial={"shared": not card.shared_with_portal}),
                answer_form=forms.get("answer_form") or AppealAnswerForm(),
                answer_blank=AppealAnswerForm(),
                answer_pk=forms.get("answer_pk"),
            )
    if may_change:
        criteria_for_targets = context.get("criteria", [])
        context.update(
            plan_form=forms.get("plan_form") or PlanForm(),
            target_form=forms.get("target_form") or TargetForm(criteria=criteria_for_targets),
            target_blank=TargetForm(criteria=criteria_for_targets),
            target_plan_pk=forms.get("target_plan_pk"),
            close_form=forms.get("close_form") or PlanCloseForm(initial={"status": PlanStatus.MET}),
            close_blank=PlanCloseForm(initial={"status": PlanStatus.MET}),
            close_plan_pk=forms.get("close_plan_pk"),
            met_form=TargetMetForm(),
        )
    return context


def _selected_card(request: HttpRequest, relationship: Any) -> Scorecard | None:
    wanted = request.GET.get("card")
    cards = selectors.relationship_cards(user=request.user, relationship=relationship)
    if wanted:
        try:
            return cards.get(pk=int(wanted))
        except (ValueError, Scorecard.DoesNotExist) as error:
            raise Http404 from error
    return cards.first()


@chart_page
@login_required
@require_GET
def relationship_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = parties_selectors.relationship_get(user=request.user, pk=pk)
    card = _selected_card(request, relationship)
    return render_page(request, CARD_TEMPLATE, card_context(request, relationship, card))


@login_required
@require_GET
def card_evidence(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """The rows behind one criterion's number on one card (its period only)."""
    card = selectors.card_get(user=request.user, pk=pk)
    criterion = card.period.version.criteria.filter(pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    evidence = selectors.card_evidence(user=request.user, card=card, criterion=criterion)
    context = {
        "evidence": evidence,
        "card": card,
        "relationship": card.relationship,
        "can_view_relationship": allows(request.user, Action.VIEW, card.relationship),
        "title": f"Evidence: {criterion.name} — {card.period.label}",
    }
    return render_page(request, "scorecards/evidence.html", context, partial="evidence")


# --- actions on a card --------------------------------------------------------------------------


def card_post(
    request: HttpRequest,
    card: Scorecard,
    *,
    name: str,
    form: Any,
    service: Callable[[], Any],
    success_message: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Call ``service`` for a valid form and return to the card; else re-render with errors."""
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            service,
            success_message=success_message,
            success_url=lambda _: card_page_url(request.user, card),
        )
        if response is not None:
            return response
    forms = {f"{name}_form": form, "open": name, **(extra or {})}
    context = card_context(request, card.relationship, card, **forms)
    return render_page(request, CARD_TEMPLATE, context)


def _card_for_change(request: HttpRequest, pk: int) -> Scorecard:
    card = selectors.card_get(user=request.user, pk=pk)
    if not allows(request.user, Action.CHANGE, card.relationship):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("You may not change this relationship's scorecards.")
    return card


@chart_page
@login_required
@require_POST
def card_correct(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import feedback

    card = _card_for_change(request, pk)
    criteria = selectors.criteria_of(card.period.version)
    appeals = [
        a
        for a in selectors.card_appeals(user=request.user, card=card)
        if a.status == AppealStatus.OPEN
    ]
    form = CorrectionForm(request.POST, criteria=criteria, appeals=appeals)

    def correct() -> Any:
        data = form.cleaned_data
        criterion = next(c for c in criteria if c.pk == data["criterion"])
        appeal = next((a for a in appeals if a.pk == data.get("appeal")), None)
        return feedback.card_correct(
            actor=request.user,
            card=card,
            criterion=criterion,
            to_score=data["to_score"],
            reason=data["reason"],
            appeal=appeal,
        )

    return card_post(
        request,
        card,
        name="correction",
        form=form,
        service=correct,
        success_message="Correction recorded; the card was re-weighted.",
    )


@chart_page
@login_required
@require_POST
def card_share(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import feedback

    card = _card_for_change(request, pk)
    form = ShareForm(request.POST)
    shared = request.POST.get("shared") in ("on", "true", "1")
    return card_post(
        request,
        card,
        name="share",
        form=form,
        service=lambda: feedback.card_share(actor=request.user, card=card, shared=shared),
        success_message="Shared with the portal." if shared else "No longer shared.",
    )


@chart_page
@login_required
@require_POST
def appeal_raise(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import feedback

    card = selectors.card_get(user=request.user, pk=pk)
    form = AppealForm(request.POST, criteria=selectors.criteria_of(card.period.version))
    return card_post(
        request,
        card,
        name="appeal",
        form=form,
        service=lambda: feedback.appeal_raise(
            actor=request.user,
            card=card,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
            criterion_code=form.cleaned_data.get("criterion_code") or "",
        ),
        success_message="Recorded; the relationship's owner will answer.",
    )


@chart_page
@login_required
@require_POST
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services import feedback

    appeal = selectors.appeal_get(user=request.user, pk=pk)
    card = _card_for_change(request, appeal.card_id)
    form = AppealAnswerForm(request.POST)
    return card_post(
        request,
        card,
        name="answer",
        form=form,
        service=lambda: feedback.appeal_answer(
            actor=request.user,
            appeal=appeal,
            answer=form.cleaned_data["answer"],
            uphold=form.cleaned_data["uphold"],
        ),
        success_message="Answer recorded.",
        extra={"answer_pk": appeal.pk},
    )


@chart_page
@login_required
@require_GET
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A card's own address (notifications link here): its relationship's scorecard page for
    those who see the relationship; the card alone for a counterparty's portal user it is
    shared with (the relationship page is not theirs)."""
    from django.http import HttpResponseRedirect

    card = selectors.card_get(user=request.user, pk=pk)
    if allows(request.user, Action.VIEW, card.relationship):
        return HttpResponseRedirect(scorecard_url(card))
    return render_page(request, CARD_TEMPLATE, card_context(request, card.relationship, card))


def card_page_url(user: Any, card: Scorecard) -> str:
    """Where a card is shown to ``user``: see ``card_detail``."""
    if allows(user, Action.VIEW, card.relationship):
        return scorecard_url(card)
    return reverse("scorecards:card-detail", args=[card.pk])
