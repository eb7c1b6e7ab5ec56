"""The CSV and Excel export of bids: the rows the list shows (the policy keeps sealed bids
out), one per version, with totals in the bid's and the event's currency."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from steward.bidding.models import Bid
from steward.bidding.summaries import bid_summaries
from steward.core.display import person_name
from steward.core.exports import EXPORT_LIMIT, Column, export_response

BID_COLUMNS = (
    Column("Event", lambda b: b.invitation.event.reference),
    Column("Event title", lambda b: b.invitation.event.title),
    Column("Vendor", lambda b: b.invitation.supplier.relationship.organization.display_name),
    Column("Version", lambda b: b.number),
    Column("Submitted at", lambda b: b.submitted_at),
    Column("Submitted by", lambda b: person_name(b.submitted_by)),
    Column("Currency", lambda b: b.currency),
    Column("Notes", lambda b: b.notes),
)


def _figure(summaries: dict[int, Any], name: str) -> Column:
    label = name.replace("_", " ").capitalize().replace("Event total", "Total in event currency")
    return Column(label, lambda b: getattr(summaries.get(b.pk), name, None))


def export_bids(rows: QuerySet[Bid], *, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """The export of ``rows`` (already scoped by the policy and filtered)."""
    summaries = bid_summaries(list(rows[:EXPORT_LIMIT]))
    figures = ("total", "event_currency", "event_total", "lines_offered", "lines_asked")
    columns = (*BID_COLUMNS, *(_figure(summaries, name) for name in figures))
    return export_response(rows, columns, filename="bids", file_format=file_format)
