"""Pages of bidding: the vendor's portal pages (invitations, the event and its bid form, the
bid's versions), the buyer's bid list and export after close, a bid's page, and file downloads.

Views parse, call one selector or service and render. Rows the user may not see answer 404
(``get_for_user``): a sealed bid is, for every inside user, a bid that is not there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.bidding import forms, selectors, services
from steward.bidding.exports import BID_COLUMNS, export_bids
from steward.bidding.models import Bid
from steward.bidding.ranking import reverse_auction_rank
from steward.bidding.summaries import bid_summaries
from steward.core.access import principal_for
from steward.core.errors import DomainError
from steward.core.ui import ListPage, inside_only, portal_only, render_page
from steward.core.uploads import stored_file_response
from steward.sourcing import selectors as sourcing
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation
from steward.sourcing.services.clarifications import clarification_ask, published_for
from steward.sourcing.services.invitations import invitation_decline


def _form_error(form: Any, field: str, default: str) -> str:
    return " ".join(str(error) for error in form.errors.get(field, [default]))


# --- the portal --------------------------------------------------------------------------------


@login_required
def portal_list(request: HttpRequest) -> HttpResponse:
    """Every invitation of the vendor's organization, open ones first."""
    portal_only(request)
    rows = list(selectors.bidder_invitations(user=request.user))
    open_ids = set(sourcing.events_for_invitee(user=request.user).values_list("pk", flat=True))
    context = {
        "open_rows": [row for row in rows if row.pk in open_ids],
        "other_rows": [row for row in rows if row.pk not in open_ids],
    }
    return render_page(request, "bidding/portal/list.html", context)


def _with_summaries(bids: list[Bid], event: Any) -> list[tuple[Bid, Any]]:
    summaries = bid_summaries(bids, event)
    return [(bid, summaries[bid.pk]) for bid in bids]


def _event_context(
    request: HttpRequest, invitation: EventInvitation, sheet: forms.BidSheet | None = None
) -> dict[str, Any]:
    user = request.user
    event = invitation.event
    now = timezone.now()
    versions = list(selectors.bids_for_invitation(user, invitation))
    lines = list(sourcing.lines_of(event))
    questions = list(sourcing.bidder_questions_of(event))
    taking_bids = event.accepts_bids_at(now) and invitation.status != InvitationStatus.DECLINED
    if sheet is None:
        sheet = forms.bid_sheet(
            lines=lines,
            questions=questions,
            default_currency=event.currency,
            last=versions[0] if versions else None,
        )
    return {
        "invitation": invitation,
        "event": event,
        "lines": lines,
        "questions": questions,
        "files": sourcing.attachments_of(event),
        "clarifications": published_for(invitation),
        "versions": versions,
        "version_rows": _with_summaries(versions, event),
        "sheet": sheet,
        "taking_bids": taking_bids,
        "closed": event.is_closed_at(now),
        "declined": invitation.status == InvitationStatus.DECLINED,
        "not_yet_open": bool(event.opens_at and now < event.opens_at),
        "rank": reverse_auction_rank(invitation) if taking_bids else None,
        "question_form": forms.QuestionForm(),
        "decline_form": forms.DeclineForm(),
        "now": now,
    }


def _submit(request: HttpRequest, invitation: EventInvitation) -> tuple[forms.BidSheet, Bid | None]:
    lines = list(sourcing.lines_of(invitation.event))
    questions = list(sourcing.bidder_questions_of(invitation.event))
    sheet = forms.bid_sheet(
        lines=lines,
        questions=questions,
        default_currency=invitation.event.currency,
        posted=request.POST,
    )
    try:
        bid = services.bid_submit(
            actor=request.user,
            invitation=invitation,
            currency=sheet.currency,
            lines=forms.offers(sheet),
            answers=forms.answers(sheet),
            notes=sheet.notes,
            attachments=request.FILES.getlist("files"),
        )
    except services.BidRefusedError as refused:
        forms.place_errors(sheet, refused.problems)
        return sheet, None
    except DomainError as error:
        forms.place_errors(sheet, [error])
        return sheet, None
    return sheet, bid


@login_required
def portal_event(request: HttpRequest, pk: int) -> HttpResponse:
    """The bidder's page of one invitation: the event, questions and answers, the bid form,
    its own versions and, in a reverse auction, its rank. Posting submits a new version."""
    portal_only(request)
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    if request.method == "POST":
        sheet, bid = _submit(request, invitation)
        if bid is not None:
            messages.success(
                request,
                f"Version {bid.number} of your bid was received at "
                f"{services.moment_text(bid.submitted_at)}.",
            )
            return HttpResponseRedirect(invitation.get_absolute_url() + "#versions")
        context = _event_context(request, invitation, sheet)
        return render_page(request, "bidding/portal/event.html", context, status=400)
    context = _event_context(request, invitation)
    return render_page(request, "bidding/portal/event.html", context, partial="rank")


@login_required
@require_POST
def portal_ask(request: HttpRequest, pk: int) -> HttpResponse:
    portal_only(request)
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        try:
            clarification_ask(
                actor=request.user, invitation=invitation, question=form.cleaned_data["question"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Question sent. The answer is published to every invitee.")
    else:
        messages.error(request, _form_error(form, "question", "Write the question."))
    return HttpResponseRedirect(invitation.get_absolute_url() + "#questions")


@login_required
@require_POST
def portal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    portal_only(request)
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, "reason", "Say why you decline."))
        return HttpResponseRedirect(invitation.get_absolute_url())
    try:
        invitation_decline(
            actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You declined the invitation. The buyer is told.")
    return HttpResponseRedirect(invitation.get_absolute_url())


# --- inside pages ------------------------------------------------------------------------------


class BidListPage(ListPage):
    """Bids the user may see: for inside users, only those of events past their closing time."""

    template_name = "bidding/bid_list.html"
    filterset_selector = selectors.bid_filterset
    export_columns = BID_COLUMNS
    export_name = "bids"
    title = "Bids"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        if request.GET.get("export") in ("csv", "xlsx"):
            filterset = selectors.bid_filterset(user=request.user, filters=self.get_filters())
            rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
            return export_bids(rows, file_format=request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        bids = list(page.object_list)  # evaluated once; the template iterates the same rows
        summaries = bid_summaries(bids)
        for bid in bids:
            bid.summary = summaries[bid.pk]
        return {}


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One bid version with its lines, answers and files, and the invitee's other versions."""
    bid = selectors.bid_get(user=request.user, pk=pk)
    event = bid.invitation.event
    versions = list(selectors.bids_for_invitation(request.user, bid.invitation))
    context = {
        "bid": bid,
        "event": event,
        "summary": bid_summaries([bid], event)[bid.pk],
        "version_rows": _with_summaries(versions, event),
        "external": principal_for(request.user).is_external,
    }
    return render_page(request, "bidding/bid_detail.html", context)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a bid's file: through the policy (sealed or another's: 404)."""
    return stored_file_response(selectors.attachment_get(user=request.user, pk=pk))
