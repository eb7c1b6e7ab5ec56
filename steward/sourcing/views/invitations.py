"""The invite screen: eligible vendors to invite with one click, ineligible ones with the reason
and a field for the override."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from steward.core.access import Action
from steward.core.errors import DomainError
from steward.core.ui import render_page
from steward.sourcing import selectors, services
from steward.sourcing.forms import InviteForm
from steward.sourcing.views.common import event_for
from steward.suppliers.models import Supplier


@login_required
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, Action.CHANGE)
    form = InviteForm(request.POST or None)
    failed: dict[int, str] = {}
    if request.method == "POST":
        if form.is_valid():
            supplier = Supplier.objects.filter(pk=form.cleaned_data["supplier"]).first()
            try:
                if supplier is None:
                    raise DomainError("No such vendor.", field="supplier")
                services.invitation_create(
                    actor=request.user,
                    event=event,
                    supplier=supplier,
                    override_reason=form.cleaned_data["override_reason"],
                )
            except DomainError as error:
                failed[form.cleaned_data["supplier"]] = error.message
            else:
                messages.success(request, f"{supplier} invited.")
                return HttpResponseRedirect(request.get_full_path())
        else:
            messages.error(request, "Choose a vendor to invite.")
    search = request.GET.get("q", "").strip()[:100]
    choices = selectors.invite_choices(user=request.user, event=event, search=search)
    context = {
        "event": event,
        "title": f"Invite vendors to {event.reference}",
        "choices": choices,
        "ineligible": [
            {
                "supplier": e.supplier,
                "reasons": e.describe(event.category, choices.on),
                "error": failed.pop(e.supplier.pk, ""),
            }
            for e in choices.ineligible
        ],
        "errors": list(failed.values()),  # refusals of vendors not listed (invited meanwhile)
        "posted_reason": form.data.get("override_reason", ""),
        "search": search,
        "invitations": selectors.invitations_of(event),
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "sourcing/event_invite.html", context, status=status)
