"""What the pipeline pages share: the opportunity page's context and running a service from
one of its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from steward.core.access import Action, allows
from steward.core.errors import DomainError, StaleVersionError
from steward.core.ui import apply_domain_error, history_context, inside_only, render_page
from steward.pipeline import selectors, services
from steward.pipeline.forms import (
    ContactForm,
    CreditsForm,
    LineForm,
    LoseForm,
    MoveForm,
    ProposalForm,
    ReopenForm,
    WinForm,
)
from steward.pipeline.models import Opportunity


def opportunity_for(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Opportunity:
    inside_only(request)
    return selectors.opportunity_get(user=request.user, pk=pk, action=action)


def detail_context(
    request: HttpRequest, opportunity: Opportunity, **bound: BaseForm
) -> dict[str, Any]:
    user = request.user
    can_change = allows(user, Action.CHANGE, opportunity) and not opportunity.is_archived
    credit_rows = list(selectors.credits_of(opportunity))
    forms: dict[str, BaseForm] = {
        "move_form": MoveForm(initial={"version": opportunity.version}),
        "win_form": WinForm(initial={"version": opportunity.version}),
        "lose_form": LoseForm(initial={"version": opportunity.version}),
        "reopen_form": ReopenForm(
            initial={"version": opportunity.version, "close_date": timezone.localdate()}
        ),
        "line_form": LineForm(),
        "contact_form": ContactForm(
            organization_ids=services.group_organization_ids(opportunity.relationship)
        ),
        "credits_form": CreditsForm(
            user=user,
            initial={
                key: value
                for index, row in enumerate(credit_rows)
                for key, value in (
                    (f"user_{index}", row.user_id),
                    (f"role_{index}", row.role),
                    (f"percent_{index}", row.percent),
                )
            },
        ),
        "proposal_form": ProposalForm(),
    }
    forms.update(bound)
    return {
        "opportunity": opportunity,
        "title": opportunity.name,
        "can_change": can_change,
        "is_open": not opportunity.is_closed,
        "lines": selectors.lines_of(opportunity),
        "contacts": selectors.contacts_of(opportunity),
        "credits": credit_rows,
        "shares": services.credit_shares(opportunity),
        "proposals": selectors.proposals_of(opportunity),
        "stage_changes": selectors.stage_changes_of(opportunity),
        **history_context(request, opportunity),
        **forms,
    }


def render_detail(
    request: HttpRequest, opportunity: Opportunity, *, status: int = 200, **bound: BaseForm
) -> HttpResponse:
    return render_page(
        request,
        "pipeline/opportunity_detail.html",
        detail_context(request, opportunity, **bound),
        status=status,
    )


def run_on_opportunity(
    request: HttpRequest,
    opportunity: Opportunity,
    form: BaseForm,
    form_name: str,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate ``form`` and call the service; back to the page, or the page again with the
    refusal next to the field it names (status 400), nothing saved."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except DomainError as error:
            apply_domain_error(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, success)
            return HttpResponseRedirect(f"{opportunity.get_absolute_url()}#{anchor}")
    refusals = " ".join(str(error) for error in form.non_field_errors())
    messages.error(request, f"Nothing was saved: {refusals}" if refusals else "Nothing was saved.")
    fresh = selectors.opportunity_get(user=request.user, pk=opportunity.pk)
    return render_detail(request, fresh, status=400, **{form_name: form})
