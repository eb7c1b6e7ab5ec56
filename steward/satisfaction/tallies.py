"""Set-based reads of response counts: one GROUP BY gives every account's tallies.

The database counts responses per account, kind and score; :mod:`reporting` turns the counts
into NPS and CSAT. Roll-ups add the counts of their accounts before computing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncQuarter

from steward.satisfaction.choices import SurveyKind
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.reporting import CsatTally, NpsTally


@dataclass
class Tally:
    nps: NpsTally = field(default_factory=NpsTally)
    csat: CsatTally = field(default_factory=CsatTally)

    def add(self, kind: str, score: int, count: int) -> None:
        if kind == SurveyKind.NPS:
            self.nps = self.nps + NpsTally.of([score] * count)
        else:
            self.csat = self.csat + CsatTally(
                satisfied=count if score >= 4 else 0, count=count, total=score * count
            )

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.nps + other.nps, self.csat + other.csat)


def _live(
    relationship_ids: Iterable[int] | QuerySet[Any] | None,
    start: dt.date | None,
    end: dt.date | None,
) -> QuerySet[SatisfactionResponse]:
    rows = SatisfactionResponse.objects.filter(archived_at__isnull=True)
    if relationship_ids is not None:
        rows = rows.filter(relationship_id__in=relationship_ids)
    if start is not None:
        rows = rows.filter(answered_on__gte=start)
    if end is not None:
        rows = rows.filter(answered_on__lte=end)
    return rows


def tallies_by_account(
    relationship_ids: Iterable[int] | QuerySet[Any] | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[int, Tally]:
    """``{relationship id: Tally}`` of the responses answered in the period: one query."""
    grouped = (
        _live(relationship_ids, start, end)
        .values("relationship_id", "kind", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[int, Tally] = defaultdict(Tally)
    for row in grouped:
        found[row["relationship_id"]].add(row["kind"], row["score"], row["n"])
    return dict(found)


def tallies_by_quarter(
    relationship_ids: Iterable[int] | QuerySet[Any] | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[dt.date, Tally]:
    """``{first day of the quarter: Tally}`` over the accounts given: one query."""
    grouped = (
        _live(relationship_ids, start, end)
        .annotate(quarter=TruncQuarter("answered_on"))
        .values("quarter", "kind", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[dt.date, Tally] = defaultdict(Tally)
    for row in grouped:
        quarter = row["quarter"]
        if isinstance(quarter, dt.datetime):
            quarter = quarter.date()
        found[quarter].add(row["kind"], row["score"], row["n"])
    return dict(sorted(found.items()))


def tallies_by_account_quarter(
    relationship_ids: Iterable[int] | QuerySet[Any] | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[int, dict[dt.date, Tally]]:
    """``{relationship id: {quarter: Tally}}``: one query."""
    grouped = (
        _live(relationship_ids, start, end)
        .annotate(quarter=TruncQuarter("answered_on"))
        .values("relationship_id", "quarter", "kind", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[int, dict[dt.date, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for row in grouped:
        quarter = row["quarter"]
        if isinstance(quarter, dt.datetime):
            quarter = quarter.date()
        found[row["relationship_id"]][quarter].add(row["kind"], row["score"], row["n"])
    return {rid: dict(by_quarter) for rid, by_quarter in found.items()}


def roll_up(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total = total + tally
    return total
