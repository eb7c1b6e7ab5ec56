"""Vendor figures derived from the ledger: a vendor's spend over the last twelve months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import LessThan
from django.utils import timezone

from steward.spend.analytics.period import Period
from steward.spend.models import SpendSegment
from steward.suppliers.models import Supplier


def refresh_vendor_figures(today: dt.date | None = None) -> int:
    """Set every vendor's ``annual_spend`` to its spend in the twelve whole months before
    ``today``'s month, in the base currency, from the ledger's segments: one UPDATE.

    A vendor with no spend in those months gets NULL (no data); one whose credits outweigh its
    invoices gets 0 (the field holds no negative spend). Returns the number of vendors written.
    Only the figure is written: no history row and no new version, as it is derived, not
    entered (so an edit form open meanwhile stays valid).
    """
    period = Period.last_12_months(today or timezone.localdate())
    cents = (
        SpendSegment.objects.filter(
            supplier_id=OuterRef("pk"), month__gte=period.first, month__lte=period.last
        )
        .order_by()
        .values("supplier_id")
        .annotate(total=Sum("amount_base_cents"))
        .values("total")
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    spend: Any
    if connection.vendor == "sqlite":
        # SQLite keeps decimals as REAL, and Django would CAST a decimal divisor to an integer
        # 100 (integer division): divide as REAL, exact to the cent below 10^13.
        spend = ExpressionWrapper(Subquery(cents) / Value(100.0), output_field=FloatField())
    else:
        spend = Subquery(cents) / Value(Decimal("100.00"), output_field=money)
    return Supplier.objects.update(
        annual_spend=Case(
            When(LessThan(Subquery(cents), 0), then=Value(Decimal(0), output_field=money)),
            default=spend,
            output_field=money,
        )
    )
