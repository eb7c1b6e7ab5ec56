"""The winner's pages in the portal: its awards, and one award to confirm or decline.

A portal user reaches only its own organization's approved awards (the policy answers 404 for
anyone else's); what it sees is its own offer on the awarded lines, never another bid.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.views.decorators.http import require_POST

from steward.awards import selectors, services
from steward.awards.forms import ReasonForm
from steward.awards.models import Award
from steward.awards.services.notify import portal_award_url as portal_url
from steward.core.access import principal_for
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, render_page


def _portal_award(request: HttpRequest, pk: int) -> Award:
    if not principal_for(request.user).is_external:
        raise Http404
    return selectors.award_get(user=request.user, pk=pk)


@login_required
def portal_list(request: HttpRequest) -> HttpResponse:
    if not principal_for(request.user).is_external:
        raise Http404
    rows = selectors.award_list(user=request.user)
    return render_page(request, "awards/portal/list.html", {"rows": rows, "title": "Awards"})


def _render(
    request: HttpRequest, award: Award, form: ReasonForm, status: int = 200
) -> HttpResponse:
    context = {
        "award": award,
        "title": f"Award of {award.event.reference}",
        "lines": award.lines.select_related("line").order_by("line__number"),
        "decline_form": form,
    }
    return render_page(request, "awards/portal/award.html", context, status=status)


@login_required
def portal_award(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _portal_award(request, pk), ReasonForm())


@login_required
@require_POST
def portal_confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    award = _portal_award(request, pk)
    try:
        services.award_confirm(actor=request.user, award=award)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Award confirmed. The buyer prepares the contract.")
    return HttpResponseRedirect(portal_url(award))


@login_required
@require_POST
def portal_decline(request: HttpRequest, pk: int) -> HttpResponseBase:
    award = _portal_award(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.award_decline(
                actor=request.user, award=award, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Award declined. Thank you for telling us.")
            return HttpResponseRedirect(portal_url(award))
    return _render(request, award, form, status=400)
