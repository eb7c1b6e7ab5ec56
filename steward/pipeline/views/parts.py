"""Lines, contacts, credits and proposal documents, from the opportunity page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import inside_only
from steward.core.uploads import stored_file_response
from steward.pipeline import selectors, services
from steward.pipeline.forms import ContactForm, CreditsForm, LineEditForm, LineForm, ProposalForm
from steward.pipeline.models import OpportunityContact, OpportunityLine, ProposalDocument
from steward.pipeline.views.common import opportunity_for, run_on_opportunity


@require_POST
@login_required
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        LineForm(request.POST),
        "line_form",
        lambda data: services.line_add(
            actor=request.user,
            opportunity=opportunity,
            product=data["product"],
            quantity=data["quantity"],
            unit_price=data.get("unit_price"),
            discount_percent=data.get("discount_percent") or 0,
        ),
        success="Line added.",
        anchor="lines",
    )


@require_POST
@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    line: Any = selectors.part_get(
        user=request.user, model=OpportunityLine, pk=pk, action=Action.CHANGE
    )
    form = LineEditForm(request.POST, prefix=f"line-{line.pk}")
    form.line_pk = line.pk  # type: ignore[attr-defined] # which row the page opens with errors
    return run_on_opportunity(
        request,
        line.opportunity,
        form,
        "line_edit_form",
        lambda data: services.line_update(
            actor=request.user,
            line=line,
            expected_version=data.get("version"),
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            discount_percent=data.get("discount_percent") or 0,
        ),
        success="Line changed.",
        anchor="lines",
    )


@require_POST
@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    form = ContactForm(
        request.POST, organization_ids=services.group_organization_ids(opportunity.relationship)
    )
    return run_on_opportunity(
        request,
        opportunity,
        form,
        "contact_form",
        lambda data: services.contact_add(
            actor=request.user,
            opportunity=opportunity,
            contact=data["contact"],
            buying_role=data["buying_role"],
            notes=data.get("notes", ""),
        ),
        success="Contact added.",
        anchor="contacts",
    )


@require_POST
@login_required
def credits_set(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    form = CreditsForm(request.POST, user=request.user)
    return run_on_opportunity(
        request,
        opportunity,
        form,
        "credits_form",
        lambda data: services.credits_set(
            actor=request.user, opportunity=opportunity, splits=form.splits()
        ),
        success="Credits saved.",
        anchor="credits",
    )


@require_POST
@login_required
def proposal_upload(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_for(request, pk, Action.CHANGE)
    return run_on_opportunity(
        request,
        opportunity,
        ProposalForm(request.POST, request.FILES),
        "proposal_form",
        lambda data: services.proposal_upload(
            actor=request.user,
            opportunity=opportunity,
            title=data["title"],
            upload=data["file"],
            note=data.get("note", ""),
        ),
        success="Proposal uploaded.",
        anchor="proposals",
    )


@login_required
def proposal_download(request: HttpRequest, pk: int) -> FileResponse:
    inside_only(request)
    document = selectors.part_get(user=request.user, model=ProposalDocument, pk=pk)
    return stored_file_response(document)


PARTS: dict[str, Any] = {
    "lines": OpportunityLine,
    "contacts": OpportunityContact,
    "proposals": ProposalDocument,
}


@require_POST
@login_required
def part_remove(request: HttpRequest, part: str, pk: int) -> HttpResponse:
    """Take a line, a contact or a proposal version off (archived, kept in the history)."""
    inside_only(request)
    model = PARTS.get(part)
    if model is None:
        from django.http import Http404

        raise Http404
    record: Any = selectors.part_get(user=request.user, model=model, pk=pk, action=Action.DELETE)
    try:
        if isinstance(record, OpportunityLine):
            services.line_remove(actor=request.user, line=record)
        elif isinstance(record, OpportunityContact):
            services.contact_remove(actor=request.user, opportunity_contact=record)
        else:
            services.proposal_archive(actor=request.user, document=record)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Removed.")
    return HttpResponseRedirect(f"{record.opportunity.get_absolute_url()}#{part}")
