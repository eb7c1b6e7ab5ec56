"""The pipeline list, the opportunity form and page, its stage actions and the account tab."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.accounts.models import WhitespaceCell
from steward.core.access import Action, allows, get_for_user, principal_for
from steward.core.charts import chart_page
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, inside_only, render_page, run_form_service
from steward.parties.models import Relationship
from steward.pipeline import charts, selectors, services
from steward.pipeline.forms import LoseForm, MoveForm, OpportunityForm, ReopenForm, WinForm
from steward.pipeline.models import Opportunity
from steward.pipeline.views.common import opportunity_for, render_detail, run_on_opportunity

OPPORTUNITY_COLUMNS = (
    Column("Name", lambda o: o.name),
    Column("Account", lambda o: o.relationship.organization.display_name),
    Column("Owner", lambda o: person_name(o.owner)),
    Column("Stage", lambda o: o.get_stage_display()),
    Column("Probability %", lambda o: o.probability),
    Column("Category", lambda o: o.get_forecast_category_display()),
    Column("Penetration", lambda o: o.get_penetration_type_display()),
    Column("Close date", lambda o: o.close_date),
    Column("Currency", lambda o: o.currency),
    Column("Amount", lambda o: o.amount),
    Column("Cost", lambda o: o.cost),
    Column("Next step", lambda o: o.next_step),
)


class OpportunityListPage(ListPage):
    template_name = "pipeline/opportunity_list.html"
    filterset_selector = selectors.opportunity_filterset
    export_columns = OPPORTUNITY_COLUMNS
    export_name = "pipeline"
    title = "Pipeline"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        user = self.request.user
        rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
        summary = selectors.stage_summary(rows)
        return {
            "may_create": principal_for(user).may_write,
            "owners": selectors.owner_choices(user=user),
            "accounts": selectors.account_choices(user=user),
            "summary": summary,
            "chart": charts.stage_chart(summary) if any(r.count for r in summary) else None,
        }


opportunity_list = chart_page(OpportunityListPage.as_view())


def _status(request: HttpRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def opportunity_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    if not principal_for(request.user).may_write:
        raise PermissionDenied("You may not open opportunities.")
    form = OpportunityForm(
        request.POST or None, user=request.user, initial=request.GET.dict() or None
    )
    if request.method == "POST" and form.is_valid():
        data = form.create_data()
        response = run_form_service(
            request,
            form,
            lambda: services.opportunity_create(actor=request.user, **data),
            success_message="Opportunity opened. Add its lines and the customer's people.",
        )
        if response is not None:
            return response
    context = {"form": form, "title": "New opportunity"}
    return render_page(
        request, "pipeline/opportunity_form.html", context, status=_status(request, form)
    )


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    form = OpportunityForm(request.POST or None, user=request.user, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                expected_version=form.cleaned_data.get("version") or opportunity.version,
                **form.changes(opportunity),
            ),
            success_message="Opportunity saved.",
        )
        if response is not None:
            return response
    context = {"form": form, "opportunity": opportunity, "title": f"Edit {opportunity.name}"}
    return render_page(
        request, "pipeline/opportunity_form.html", context, status=_status(request, form)
    )


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, opportunity_for(request, pk))


def _version(data: dict[str, Any], opportunity: Opportunity) -> int:
    return int(data.get("version") or opportunity.version)


@require_POST
@login_required
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        MoveForm(request.POST),
        "move_form",
        lambda data: services.opportunity_move(
            actor=request.user,
            opportunity=opportunity,
            stage=data["stage"],
            expected_version=_version(data, opportunity),
        ),
        success="Stage changed.",
        anchor="stage",
    )


@require_POST
@login_required
def opportunity_win(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        WinForm(request.POST),
        "win_form",
        lambda data: services.opportunity_win(
            actor=request.user,
            opportunity=opportunity,
            closed_on=data.get("closed_on"),
            expected_version=_version(data, opportunity),
        ),
        success="Won. Well done.",
        anchor="stage",
    )


@require_POST
@login_required
def opportunity_lose(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        LoseForm(request.POST),
        "lose_form",
        lambda data: services.opportunity_lose(
            actor=request.user,
            opportunity=opportunity,
            reason=data["reason"],
            closed_on=data.get("closed_on"),
            expected_version=_version(data, opportunity),
        ),
        success="Closed as lost.",
        anchor="stage",
    )


@require_POST
@login_required
def opportunity_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        ReopenForm(request.POST),
        "reopen_form",
        lambda data: services.opportunity_reopen(
            actor=request.user,
            opportunity=opportunity,
            stage=data["stage"],
            close_date=data["close_date"],
            expected_version=_version(data, opportunity),
        ),
        success="Reopened.",
        anchor="stage",
    )


@require_POST
@login_required
def opportunity_archive(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.DELETE)
    if opportunity.is_archived:
        services.opportunity_restore(actor=request.user, opportunity=opportunity)
        messages.success(request, "Opportunity restored.")
    else:
        services.opportunity_archive(actor=request.user, opportunity=opportunity)
        messages.success(request, "Opportunity archived: it leaves lists and forecasts.")
    return HttpResponseRedirect(opportunity.get_absolute_url())


@require_POST
@login_required
def opportunity_from_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """The whitespace cell's "Open an opportunity" button."""
    inside_only(request)
    cell = get_for_user(WhitespaceCell.objects.all(), user=request.user, pk=pk)
    try:
        opportunity = services.opportunity_from_cell(actor=request.user, cell=cell)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(cell.get_absolute_url())
    messages.success(request, "Opportunity opened from the whitespace. Add what you offer.")
    return HttpResponseRedirect(opportunity.get_absolute_url())


def account_tab_context(request: HttpRequest, relationship: Relationship) -> dict[str, Any]:
    """The account page's "Pipeline" tab: its open opportunities and the stage summary."""
    rows = selectors.opportunities_visible(user=request.user).filter(relationship=relationship)
    summary = selectors.stage_summary(rows)
    return {
        "pipeline_open": selectors.open_pipeline_for(relationship).filter(pk__in=rows.values("pk")),
        "pipeline_closed": rows.filter(
            stage__in=("won", "lost"), archived_at__isnull=True
        ).order_by("-closed_on", "-pk")[:10],
        "pipeline_summary": summary,
        "pipeline_may_create": allows(request.user, Action.CHANGE, relationship),
    }
