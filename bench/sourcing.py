"""Compare the bids of a large closed sourcing event: one set-based read against a per-cell loop.

    .venv/bin/python bench/sourcing.py                  # on a fresh copy of the large demo data
    .venv/bin/python bench/sourcing.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database.

Before measuring, in a transaction that is rolled back at the end, one closed request for
quotation is written with ``LINES`` lines and ``BIDDERS`` invited vendors, each of which
submitted ``VERSIONS`` versions of a bid on every line, some in USD (bulk inserts).

- set-based: ``steward.awards.selectors.comparison`` (the evaluation page, its export and the
  API): the lines, each invitee's last version by one correlated subquery, their offers in one
  query, the scores, the scorecards and the rates, then the arithmetic in memory.
- naive: what one would write without it: for each invitee, read its versions and take the
  last; for each line, read that version's offer; then the same arithmetic.

The rounds alternate which approach goes first. After every run the comparisons are compared:
both must rank every offer of every line the same and give every vendor the same totals.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.compare import Approach, Same, alternate, rows, table  # noqa: E402

LINES = 120
BIDDERS = 12
VERSIONS = 3
Figures = list[tuple[Any, ...]]


# --- the two approaches --------------------------------------------------------------------------


def _figures(comparison: Any) -> Figures:
    """What both must agree on: every offer's rank and cost of ownership, every vendor's total."""
    cells = [
        (row.line.pk, cell.invitation.pk, cell.rank, cell.cost.tco)
        for row in comparison.rows
        for cell in row.cells
    ]
    totals = [(t.invitation.pk, t.rank, t.price, t.tco) for t in comparison.totals]
    return sorted(cells) + sorted(totals)


def set_based(user: Any, event: Any) -> Figures:
    from steward.awards.selectors import comparison

    return _figures(comparison(user=user, event=event))


def naive(user: Any, event: Any) -> Figures:
    from steward.awards import matrix
    from steward.awards.models import CriterionScore
    from steward.bidding.models import Bid, BidLine
    from steward.core.access import Action
    from steward.scorecards.services.consequences import standing_of
    from steward.sourcing.models import EventInvitation, EventLine

    matrix.require_closed(event)
    day = matrix.closing_day(event)
    lines = list(EventLine.objects.filter(event=event, archived_at__isnull=True))
    bids = Bid.objects.restrict(user, Action.VIEW)
    invitations, latest, offers, cards = {}, {}, {}, {}
    for invitation in EventInvitation.objects.filter(event=event).select_related(
        "supplier__relationship__organization"
    ):
        versions = list(
            bids.filter(invitation=invitation, submitted_at__lte=event.closes_at).order_by("number")
        )
        if not versions:
            continue
        last = versions[-1]
        invitations[invitation.pk] = invitation
        latest[invitation.pk] = last
        cards[invitation.pk] = standing_of(invitation.supplier_id)
        for line in lines:
            offer = BidLine.objects.filter(bid=last, line=line).first()
            if offer is not None:
                offers[(invitation.pk, line.pk)] = offer
    sheet = matrix.Sheet(
        event=event,
        rate_day=day,
        lines=lines,
        invitations=invitations,
        bids=latest,
        bid_lines=offers,
        criteria=[],
        scores={
            (s.invitation_id, s.criterion_id): s
            for s in CriterionScore.objects.filter(invitation__event=event)
        },
        scorecards=cards,
        rates=matrix._rates({b.currency for b in latest.values()}, event, day),
        evaluation=matrix.ev.Evaluation(lines={}),
    )
    sheet.evaluation = matrix._evaluate(sheet)
    return _figures(matrix.comparison_of(sheet))


# --- the data ------------------------------------------------------------------------------------


def _seed(admin: Any) -> Any:
    """One closed RFQ with its lines, invitations and every version of every bid."""
    from django.utils import timezone

    from steward.bidding.models import Bid, BidLine
    from steward.sourcing.models import EventInvitation, EventLine, SourcingEvent
    from steward.spend.models import ExchangeRate
    from steward.spend.money import base_currency
    from steward.suppliers.models import Category, Supplier

    now = timezone.now()
    closed = now - dt.timedelta(days=1)
    base = base_currency()
    foreign = "USD" if base != "USD" else "EUR"
    if not ExchangeRate.objects.filter(currency=foreign, rate_date__lte=closed.date()).exists():
        ExchangeRate.objects.create(
            currency=foreign, rate_date=closed.date() - dt.timedelta(days=30), rate=Decimal("0.9")
        )
    event = SourcingEvent(
        reference="BENCH-0001",
        title="Benchmark request for quotation",
        category=Category.objects.order_by("pk").first(),
        currency=base,
        owner=admin,
        status="closed",
        opens_at=closed - dt.timedelta(days=14),
        closes_at=closed,
        quality_cost_rate=Decimal("0.02"),
    )
    event.save()
    lines = EventLine.objects.bulk_create(
        EventLine(
            event=event,
            number=n,
            description=f"Part {n}",
            quantity=Decimal(100 + n * 7),
            target_unit_price=Decimal(10 + n % 17),
        )
        for n in range(1, LINES + 1)
    )
    suppliers = list(Supplier.objects.order_by("pk")[:BIDDERS])
    invitations = EventInvitation.objects.bulk_create(
        EventInvitation(event=event, supplier=s, invited_by=admin, visible_to_vendor=True)
        for s in suppliers
    )
    bids = Bid.objects.bulk_create(
        Bid(
            invitation=invitation,
            number=version,
            currency=foreign if i % 4 == 3 else base,
            submitted_at=closed - dt.timedelta(days=VERSIONS - version + 1, minutes=i),
            submitted_by=admin,
        )
        for i, invitation in enumerate(invitations)
        for version in range(1, VERSIONS + 1)
    )
    BidLine.objects.bulk_create(
        BidLine(
            bid=bid,
            line=line,
            unit_price=Decimal(8 + (bid.invitation.pk * 7 + line.number * 3 + bid.number) % 9),
            lead_time_days=10 + (bid.invitation.pk + line.number) % 30,
            delivery_cost=Decimal(line.number % 5 * 20),
        )
        for bid in bids
        for line in lines
    )
    return event


# --- measuring -----------------------------------------------------------------------------------


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    admin = get_user_model().objects.get(username="admin")
    fast = Approach("set-based (awards.selectors.comparison)", set_based)
    slow = Approach("naive per-invitee, per-line loop", naive)
    same = Same(fast, slow)

    with transaction.atomic():
        event = _seed(admin)
        print(
            f"\nComparing the bids of a closed event on {connection.vendor}: {LINES} lines, "
            f"{BIDDERS} bidders, {VERSIONS} versions each ({LINES * BIDDERS * VERSIONS:,} "
            f"offers stored); {rounds} rounds:",
            flush=True,
        )
        alternate(
            [fast, slow],
            rounds,
            lambda a, count: a.once(admin, event, count=count),
            compare=same,
        )
        transaction.set_rollback(True)
    ratio = table([fast, slow])
    print(f"same ranks and totals: {'yes' if same.ok else 'NO'}")
    return {
        "lines": LINES,
        "bidders": BIDDERS,
        "versions": VERSIONS,
        "rounds": len(fast.seconds),
        "approaches": rows([fast, slow]),
        "ratio_naive_to_set_based": round(ratio, 2),
        "same_ranks_and_totals": same.ok,
    }


# --- on its own ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="sourcing",
        result="sourcing.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
