"""Who may bid: a vendor prequalified for the event's category on the day, whose scorecard
standing does not block sourcing.

Eligibility is a fact about the vendor, not about who asks: an event open to its category
invites every eligible vendor, whoever publishes it, so the prequalification filter runs here
without the asking user's restriction (the suppliers app's filter, read as the system).
Procurement reads every vendor anyway; a vendor manager running an event sees eligible vendors
beyond their own, by name only, as the organization directory already shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from steward.core.access import Principal
from steward.scorecards.services.consequences import sourcing_blocked
from steward.suppliers.models import Category, Supplier
from steward.suppliers.selectors import prequalified_suppliers

# Reads the vendor table as the system does: eligibility must not depend on the reader.
SYSTEM = Principal(user_id=None, is_active=True, is_admin=True)

NOT_PREQUALIFIED = "not_prequalified"
STANDING_BLOCKS = "standing_blocks"
REASON_TEXT = {
    NOT_PREQUALIFIED: "not prequalified for {category} on {day}",
    STANDING_BLOCKS: "its scorecard standing blocks sourcing",
}


@dataclass(frozen=True)
class Eligibility:
    supplier: Supplier
    reasons: tuple[str, ...] = field(default=())

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def describe(self, category: Category, day: dt.date) -> list[str]:
        return [
            REASON_TEXT[reason].format(category=category, day=f"{day:%Y-%m-%d}")
            for reason in self.reasons
        ]


def prequalified(category: Category, on: dt.date | None = None) -> QuerySet[Supplier]:
    """Every vendor prequalified for ``category`` on ``on`` (today), whoever asks."""
    return prequalified_suppliers(user=SYSTEM, category=category, on=on or timezone.localdate())


def eligibility_of(
    supplier: Supplier, category: Category, on: dt.date | None = None
) -> Eligibility:
    reasons = []
    if not prequalified(category, on).filter(pk=supplier.pk).exists():
        reasons.append(NOT_PREQUALIFIED)
    if sourcing_blocked(supplier.pk):
        reasons.append(STANDING_BLOCKS)
    return Eligibility(supplier=supplier, reasons=tuple(reasons))


def split_prequalified(
    category: Category, on: dt.date | None = None
) -> tuple[list[Supplier], list[Eligibility]]:
    """The prequalified vendors of ``category``: (eligible, those whose standing blocks them)."""
    eligible, blocked = [], []
    for supplier in prequalified(category, on).order_by("relationship__organization__display_name"):
        if sourcing_blocked(supplier.pk):
            blocked.append(Eligibility(supplier=supplier, reasons=(STANDING_BLOCKS,)))
        else:
            eligible.append(supplier)
    return eligible, blocked
