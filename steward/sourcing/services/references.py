"""Event references: ``RFQ-2026-0001``, numbered per kind and year.

The next number is one past the highest of the kind and year; two buyers creating at the same
moment may both compute it, and the unique reference makes the second insert fail, so the
creation retries with a fresh number (see ``events.event_create``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from steward.sourcing.choices import EventKind
from steward.sourcing.models import SourcingEvent

DIGITS = 4


def reference_prefix(kind: str, year: int) -> str:
    return f"{EventKind(kind).name}-{year}-"


def next_reference(kind: str, day: dt.date) -> str:
    prefix = reference_prefix(kind, day.year)
    highest = (
        SourcingEvent.objects.filter(reference__startswith=prefix)
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), IntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"{prefix}{(highest or 0) + 1:0{DIGITS}d}"
