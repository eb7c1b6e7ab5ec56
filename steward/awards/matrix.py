"""The comparison of a closed event's bids: read once, evaluated by ``evaluation.py``.

``read_sheet`` gathers what the arithmetic needs — the lines, each invitee's last bid before
closing, the criterion scores, the scorecard scores and the exchange rates of the closing day —
from querysets the caller chose: the selectors pass them through the access policy (so before
closing there are no bids to read), the award services read them as the system once they have
checked that the event is closed. ``comparison_of`` turns a sheet into what the pages, the
export and the API show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from steward.awards import evaluation as ev
from steward.awards.models import CriterionScore
from steward.bidding.models import Bid, BidLine
from steward.core.errors import DomainError
from steward.scorecards.services.consequences import standing_of
from steward.sourcing.choices import EvaluationMethod, InvitationStatus
from steward.sourcing.models import EvaluationCriterion, EventInvitation, EventLine, SourcingEvent
from steward.spend.conversion import convert


@dataclass
class Sheet:
    """Everything one evaluation of an event reads, keyed by ids."""

    event: SourcingEvent
    rate_day: dt.date
    lines: list[EventLine]
    invitations: dict[int, EventInvitation]
    bids: dict[int, Bid]  # invitation id -> its last bid before closing
    bid_lines: dict[tuple[int, int], BidLine]  # (invitation id, line id) -> the offer
    criteria: list[EvaluationCriterion]
    scores: dict[tuple[int, int], CriterionScore]  # (invitation id, criterion id)
    scorecards: dict[int, Any]  # invitation id -> the vendor's latest closed card, or None
    rates: dict[str, Decimal]  # bid currency -> one unit in the event's currency
    evaluation: ev.Evaluation

    @property
    def weighted(self) -> bool:
        return self.event.evaluation_method == EvaluationMethod.WEIGHTED

    def line(self, line_id: int) -> EventLine:
        return next(line for line in self.lines if line.pk == line_id)


def closing_day(event: SourcingEvent) -> dt.date:
    """Bids are converted at the rates of the day the event closed (server time zone)."""
    if event.closes_at is None:
        raise DomainError("The event has no closing time.", field="closes_at", code="not_closed")
    return timezone.localdate(event.closes_at)


def require_closed(event: SourcingEvent, *, now: dt.datetime | None = None) -> None:
    """Bids are sealed until the closing time: nothing is evaluated before it."""
    if not event.is_closed_at(now):
        when = (
            f" at {timezone.localtime(event.closes_at):%d %b %Y %H:%M}" if event.closes_at else ""
        )
        raise DomainError(
            f"The bids are sealed until the event closes{when}; the comparison opens then.",
            code="sealed",
        )


def last_bids(bids: QuerySet[Bid], event: SourcingEvent) -> list[Bid]:
    """Each invitee's last version submitted by the closing time (declined invitations out)."""
    in_event = bids.filter(
        invitation__event=event,
        submitted_at__lte=event.closes_at,
        archived_at__isnull=True,
    ).exclude(invitation__status=InvitationStatus.DECLINED)
    newest = (
        in_event.filter(invitation_id=OuterRef("invitation_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        in_event.filter(number=Subquery(newest))
        .select_related("invitation__supplier__relationship__organization")
        .order_by("invitation_id")
    )


def _rates(currencies: set[str], event: SourcingEvent, day: dt.date) -> dict[str, Decimal]:
    return {c: convert(Decimal(1), c, event.currency, day) for c in sorted(currencies)}


def read_sheet(
    event: SourcingEvent, *, bids: QuerySet[Bid], scores: QuerySet[CriterionScore]
) -> Sheet:
    """Read and evaluate ``event``'s bids from ``bids`` and ``scores`` (already scoped)."""
    require_closed(event)
    day = closing_day(event)
    lines = list(EventLine.objects.filter(event=event, archived_at__isnull=True))
    latest = last_bids(bids, event)
    offered = BidLine.objects.filter(bid__in=[b.pk for b in latest], line__in=lines)
    by_bid = {b.pk: b for b in latest}
    bid_lines = {(by_bid[o.bid_id].invitation_id, o.line_id): o for o in offered}
    criteria = list(EvaluationCriterion.objects.filter(event=event, archived_at__isnull=True))
    weighted = event.evaluation_method == EvaluationMethod.WEIGHTED
    if weighted:
        ev.check_maxima([c.max_value for c in criteria])
    score_rows = scores.filter(invitation__event=event, criterion__in=criteria)
    scored = {(s.invitation_id, s.criterion_id): s for s in score_rows}
    cards = {b.invitation_id: standing_of(b.invitation.supplier_id) for b in latest}
    rates = _rates({b.currency for b in latest}, event, day)
    sheet = Sheet(
        event=event,
        rate_day=day,
        lines=lines,
        invitations={b.invitation_id: b.invitation for b in latest},
        bids={b.invitation_id: b for b in latest},
        bid_lines=bid_lines,
        criteria=criteria,
        scores=scored,
        scorecards=cards,
        rates=rates,
        evaluation=ev.Evaluation(lines={}),
    )
    sheet.evaluation = _evaluate(sheet)
    return sheet


def _evaluate(sheet: Sheet) -> ev.Evaluation:
    event = sheet.event
    offers = [
        ev.Offer(
            bidder=invitation_id,
            line=line_id,
            unit_price=offer.unit_price,
            price_per=offer.price_per,
            quantity=sheet.line(line_id).quantity,
            rate=sheet.rates[sheet.bids[invitation_id].currency],
            submitted_at=sheet.bids[invitation_id].submitted_at,
            delivery_cost=offer.delivery_cost,
            lifecycle_cost=offer.lifecycle_cost,
        )
        for (invitation_id, line_id), offer in sheet.bid_lines.items()
    ]
    bidders: dict[Hashable, ev.Bidder] = {}
    for invitation_id in sheet.bids:
        features = tuple(
            ev.Feature(value=_score_value(sheet, invitation_id, c.pk), maximum=c.max_value)
            for c in sheet.criteria
        )
        card = sheet.scorecards.get(invitation_id)
        bidders[invitation_id] = ev.Bidder(
            features=features if sheet.weighted else (),
            scorecard_score=card.score if card is not None else None,
        )
    terms = ev.Terms(
        weighted=sheet.weighted,
        quality_cost_rate=event.quality_cost_rate,
        scorecard_weight=event.scorecard_weight,
    )
    return ev.evaluate(offers, terms, bidders)


def _score_value(sheet: Sheet, invitation_id: int, criterion_id: int) -> Decimal:
    score = sheet.scores.get((invitation_id, criterion_id))
    return score.value if score is not None else Decimal(0)


# --- what the pages show -----------------------------------------------------------------------


def baseline_of(line: EventLine) -> tuple[Decimal | None, str]:
    """What a saving on the line is measured from: the target price, else the last price paid."""
    if line.target_unit_price is not None:
        return line.target_unit_price, "target"
    if line.last_unit_price is not None:
        return line.last_unit_price, "last price"
    return None, ""


@dataclass
class Cell:
    """One invitee's offer on one line, evaluated."""

    invitation: EventInvitation
    bid_line: BidLine
    currency: str
    rank: int
    flags: tuple[ev.LowRule, ...]
    cost: ev.LineCost
    features: list[tuple[EvaluationCriterion, Decimal]]
    expected_delivery: dt.date
    days_late: int
    saving: Decimal | None

    @property
    def flag_labels(self) -> list[str]:
        return [flag.label for flag in self.flags]


@dataclass
class Row:
    """One event line with every offer on it, best first."""

    line: EventLine
    baseline: Decimal | None
    baseline_kind: str
    cells: list[Cell]
    without_offer: list[EventInvitation]


@dataclass
class VendorTotal:
    invitation: EventInvitation
    bid: Bid
    lines_bid: int
    complete: bool
    price: Decimal
    tco: Decimal
    saving: Decimal | None
    rank: int | None  # among the vendors that bid every line
    scorecard: Any
    scorecard_note: str


@dataclass
class Comparison:
    sheet: Sheet
    rows: list[Row]
    totals: list[VendorTotal]
    criteria: list[EvaluationCriterion] = field(default_factory=list)

    @property
    def event(self) -> SourcingEvent:
        return self.sheet.event


def _cell(sheet: Sheet, line: EventLine, ranked: ev.RankedCost) -> Cell:
    invitation_id = cast("int", ranked.cost.bidder)
    offer = sheet.bid_lines[(invitation_id, line.pk)]
    expected = closing_day(sheet.event) + dt.timedelta(days=offer.lead_time_days)
    target = line.target_delivery_date
    baseline, _ = baseline_of(line)
    saving = (baseline - ranked.cost.unit_price) * line.quantity if baseline is not None else None
    return Cell(
        invitation=sheet.invitations[invitation_id],
        bid_line=offer,
        currency=sheet.bids[invitation_id].currency,
        rank=ranked.rank,
        flags=ranked.flags,
        cost=ranked.cost,
        features=[(c, _score_value(sheet, invitation_id, c.pk)) for c in sheet.criteria],
        expected_delivery=expected,
        days_late=max((expected - target).days, 0) if target else 0,
        saving=saving,
    )


def comparison_of(sheet: Sheet) -> Comparison:
    rows = []
    for line in sheet.lines:
        ranked = sheet.evaluation.lines.get(line.pk, [])
        bidders = {r.cost.bidder for r in ranked}
        baseline, kind = baseline_of(line)
        rows.append(
            Row(
                line=line,
                baseline=baseline,
                baseline_kind=kind,
                cells=[_cell(sheet, line, r) for r in ranked],
                without_offer=[i for k, i in sheet.invitations.items() if k not in bidders],
            )
        )
    return Comparison(
        sheet=sheet,
        rows=rows,
        totals=_totals(sheet, rows),
        criteria=sheet.criteria if sheet.weighted else [],
    )


def _totals(sheet: Sheet, rows: list[Row]) -> list[VendorTotal]:
    ranks: dict[Hashable, int] = {
        t.bidder: t.rank for t in sheet.evaluation.ranking([line.pk for line in sheet.lines])
    }
    totals = []
    for invitation_id, invitation in sheet.invitations.items():
        cells = [c for row in rows for c in row.cells if c.invitation.pk == invitation_id]
        savings = [c.saving for c in cells if c.saving is not None]
        card = sheet.scorecards.get(invitation_id)
        totals.append(
            VendorTotal(
                invitation=invitation,
                bid=sheet.bids[invitation_id],
                lines_bid=len(cells),
                complete=len(cells) == len(sheet.lines),
                price=sum((c.cost.price for c in cells), Decimal(0)),
                tco=sum((c.cost.tco for c in cells), Decimal(0)),
                saving=sum(savings, Decimal(0)) if savings else None,
                rank=ranks.get(invitation_id),
                scorecard=card,
                scorecard_note=cells[0].cost.scorecard_note if cells else "",
            )
        )
    return sorted(totals, key=lambda t: (t.rank is None, t.rank or 0, t.tco))
