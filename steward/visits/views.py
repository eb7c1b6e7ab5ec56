"""The pre-visit brief (page and PDF) and the post-visit note's form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from steward.accountplans.selectors import current_plan
from steward.core.errors import DomainError
from steward.core.ui import inside_only, render_page
from steward.parties.models import Relationship
from steward.people.selectors import internal_user_choices
from steward.visits import pdf, rules, selectors, services
from steward.visits.forms import VisitNoteForm
from steward.visits.selectors import VisitBrief


def _account(request: HttpRequest, pk: int) -> Relationship:
    inside_only(request)
    return selectors.brief_account(user=request.user, pk=pk)


def _brief(request: HttpRequest, account: Relationship) -> VisitBrief:
    location = selectors.account_location(account, request.GET.get("location"))
    return selectors.visit_brief(request.user, account, location)


@login_required
def brief_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable page: objectives, problems, whitespace, pipeline, activity, people,
    actions."""
    account = _account(request, pk)
    brief = _brief(request, account)
    context = {
        "brief": brief,
        "account": account,
        "title": f"Visit brief: {account.organization}",
        "locations": list(selectors.location_choices(account)),
        "may_record": rules.may_record(request.user, account),
    }
    return render_page(request, "visits/brief.html", context)


@login_required
def brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    brief = _brief(request, account)
    response = HttpResponse(pdf.brief_pdf(brief), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.brief_pdf_filename(brief)}"'
    return response


def _note_form(request: HttpRequest, account: Relationship) -> VisitNoteForm:
    plan = current_plan(user=request.user, relationship=account)
    mapped = (
        {s.contact_id: s for s in plan.stakeholders.active().select_related("contact")}
        if plan is not None
        else {}
    )
    location = request.GET.get("location")
    initial: dict[str, Any] = {"visited_on": timezone.localdate(), "face_to_face": True}
    if location and location.isdigit():
        initial["location"] = location
    return VisitNoteForm(
        request.POST or None,
        initial=initial,
        relationship=account,
        people=list(selectors.attendee_choices(user=request.user, relationship=account)),
        mapped=mapped,
        actions=list(selectors.open_actions(user=request.user, relationship=account)[:50]),
        locations=selectors.location_choices(account),
        owners=internal_user_choices(user=request.user).order_by("first_name", "last_name"),
    )


@login_required
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The post-visit note: log the visit, update the relationship map and the actions."""
    account = _account(request, pk)
    if not rules.may_record(request.user, account):
        raise PermissionDenied("You may not record visits to this account.")
    form = _note_form(request, account)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_note_record(
                actor=request.user, relationship=account, **form.note_kwargs()
            )
        except DomainError as error:
            form.add_error(form.field_for(error.field), ValidationError(error.message, error.code))
        else:
            count = len(visit.changes)
            changes = f"{count} change{'s' if count != 1 else ''}"
            messages.success(request, f"Visit recorded: {changes} to the plan and actions.")
            return HttpResponseRedirect(reverse("visits:brief", args=[account.pk]))
    if request.method == "POST":
        messages.error(request, "Nothing was saved: see the fields marked below.")
    context = {
        "form": form,
        "account": account,
        "title": f"Post-visit note: {account.organization}",
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "visits/visit_form.html", context, status=status)
