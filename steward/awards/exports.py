"""The comparison as a spreadsheet: one row per offer on a line, best first, through the shared
exporter (formula cells neutralized like every export)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse

from steward.awards import evaluation as ev
from steward.awards.matrix import Cell, Comparison, Row
from steward.core.exports import Column
from steward.spend.exports import rows_export

Offer = tuple[Row, Cell]


def _money(value: object) -> object:
    return ev.money(value) if value is not None else None  # type: ignore[arg-type]


COLUMNS: tuple[Column, ...] = (
    Column("Line", lambda o: o[0].line.number),
    Column("Description", lambda o: o[0].line.description),
    Column("Quantity", lambda o: o[0].line.quantity),
    Column("Unit", lambda o: o[0].line.unit),
    Column("Vendor", lambda o: str(o[1].invitation.supplier)),
    Column("Rank", lambda o: o[1].rank),
    Column("Bid currency", lambda o: o[1].currency),
    Column("Unit price (bid)", lambda o: o[1].bid_line.unit_price),
    Column("Price per", lambda o: o[1].bid_line.price_per),
    Column("Unit price", lambda o: ev.money(o[1].cost.unit_price, ev.UNIT)),
    Column("Line total", lambda o: ev.money(o[1].cost.price)),
    Column("Lead time (days)", lambda o: o[1].bid_line.lead_time_days),
    Column("Expected delivery", lambda o: o[1].expected_delivery),
    Column("Days late", lambda o: o[1].days_late),
    Column("Evaluated price", lambda o: ev.money(o[1].cost.evaluated)),
    Column("Life-cycle cost", lambda o: ev.money(o[1].cost.lifecycle_cost)),
    Column("Delivery cost", lambda o: ev.money(o[1].cost.delivery_cost)),
    Column("Quality cost", lambda o: ev.money(o[1].cost.quality_cost)),
    Column("Scorecard adjustment", lambda o: ev.money(o[1].cost.scorecard_adjustment)),
    Column("Cost of ownership", lambda o: ev.money(o[1].cost.tco)),
    Column("Abnormally low", lambda o: "; ".join(o[1].flag_labels)),
    Column("Baseline", lambda o: o[0].baseline),
    Column("Saving", lambda o: _money(o[1].saving)),
)


def _offers(comparison: Comparison) -> Iterator[Offer]:
    for row in comparison.rows:
        for cell in row.cells:
            yield row, cell


def comparison_response(
    comparison: Comparison, *, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    name = f"comparison-{comparison.event.reference}"
    return rows_export(_offers(comparison), COLUMNS, filename=name, file_format=file_format)
