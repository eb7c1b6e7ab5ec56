"""Inside pages of awards: the list (with its export) and an award's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from steward.awards import selectors
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, inside_only, render_page

AWARD_COLUMNS = (
    Column("Event", lambda a: a.event.reference),
    Column("Title", lambda a: a.event.title),
    Column("Vendor", lambda a: str(a.invitation.supplier)),
    Column("Status", lambda a: a.get_status_display()),
    Column("Rank", lambda a: a.rank),
    Column("Total", lambda a: a.total),
    Column("Currency", lambda a: a.event.currency),
    Column("Confirm by", lambda a: a.confirm_by),
    Column("Contract", lambda a: a.contract.title if a.contract else ""),
)


class AwardListPage(ListPage):
    template_name = "awards/award_list.html"
    filterset_selector = selectors.award_filterset
    title = "Awards"
    export_columns = AWARD_COLUMNS
    export_name = "awards"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)


@login_required
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    award = selectors.award_get(user=request.user, pk=pk)
    context = {
        "award": award,
        "title": str(award),
        "lines": award.lines.select_related("line").order_by("line__number"),
        "chain": _chain(award),
        **history_context(request, award),
    }
    return render_page(request, "awards/award_detail.html", context)


def _chain(award: Any) -> list[Any]:
    """The awards this one fell from and to, oldest first (the same event, so the same access)."""
    before = []
    current = award.previous
    while current is not None:
        before.append(current)
        current = current.previous
    after = []
    current = getattr(award, "next_award", None)
    while current is not None:
        after.append(current)
        current = getattr(current, "next_award", None)
    return [*reversed(before), award, *after]
