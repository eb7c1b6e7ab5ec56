"""The accountability dashboard's "Satisfaction against the standard" column.

Per account manager: of the active accounts they own, how many meet the company's satisfaction
standard over its window (an account with too few responses does not meet it). The roll-up adds
the counts of the reports ("7 of 9"), it does not average their percentages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse

from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Relationship
from steward.quotas.dashboard import DashboardMeasure, MeasureValue, register_dashboard_measure
from steward.quotas.measures import count_roll_up
from steward.satisfaction.reporting import meets_standard
from steward.satisfaction.selectors import as_standard, window_start
from steward.satisfaction.services.standard import standard_current
from steward.satisfaction.tallies import Tally, tallies_by_account

HUNDRED = Decimal(100)


def standard_compute(person_ids: Sequence[int], today: dt.date) -> dict[int, MeasureValue]:
    """Three queries for any number of people: the standard, the accounts, their tallies."""
    record = standard_current()
    standard = as_standard(record)
    accounts = list(
        Relationship.objects.filter(
            owner_id__in=list(person_ids),
            side=Side.DEMAND,
            status=RelationshipStatus.ACTIVE,
            archived_at__isnull=True,
        ).values_list("pk", "owner_id")
    )
    tallies = tallies_by_account([pk for pk, _ in accounts], window_start(record, today), today)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, owner_id in accounts:
        tally = tallies.get(pk, Tally())
        counts[owner_id][1] += 1
        if meets_standard(tally.nps, tally.csat, standard):
            counts[owner_id][0] += 1
    url = reverse("satisfaction:overview")
    found: dict[int, MeasureValue] = {}
    for person_id, (meeting, total) in counts.items():
        value = (Decimal(meeting) * HUNDRED / Decimal(total)).quantize(Decimal(1))
        found[person_id] = MeasureValue(
            value=value,
            target=HUNDRED,
            numerator=Decimal(meeting),
            denominator=Decimal(total),
            display=f"{meeting} of {total}",
            meets=meeting == total,
            url=f"{url}?by=account&owner={person_id}",
        )
    return found


def register_standard_measure() -> None:
    register_dashboard_measure(
        DashboardMeasure(
            key="satisfaction_standard",
            label="Satisfaction against the standard",
            compute=standard_compute,
            roll_up=count_roll_up,
            order=50,
            help="Active accounts owned that meet the company's satisfaction standard (NPS and "
            "CSAT at or above their minimums, with enough responses in the window).",
        )
    )
