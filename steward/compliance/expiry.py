"""Pure rules about certificate dates: the derived status, alert offsets and risk points.

Kept free of the database so they can be table- and property-tested.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from steward.compliance.choices import CertificationKind as K
from steward.compliance.choices import CertificationStatus as S

# A certificate is "expiring" from this many days before its expiry date.
EXPIRING_WITHIN_DAYS = 60
# Alerts go out this many days before expiry; 0 is the day it expires.
ALERT_OFFSETS: tuple[int, ...] = (60, 30, 7, 0)
# A job that was down on the expiry day still announces it within this many days after.
LATE_EXPIRY_DAYS = 7

# Risk points each expired (not renewed) certificate adds to its vendor's score.
EXPIRED_POINTS: dict[str, int] = {
    K.ISO_27001: 15,
    K.SOC2_TYPE2: 15,
    K.SOC2_TYPE1: 15,
    K.ISO_27701: 15,
    K.PCI_DSS: 15,
    K.DPA: 15,
    K.INSURANCE: 5,
    K.TAX_FORM: 5,
    K.OTHER: 5,
}
# A vendor's expired certificates never add more than this.
EXPIRED_POINTS_CAP = 45


def status_on(*, expires_on: dt.date, superseded: bool, today: dt.date) -> str:
    if superseded:
        return S.SUPERSEDED
    if expires_on < today:
        return S.EXPIRED
    if expires_on <= today + dt.timedelta(days=EXPIRING_WITHIN_DAYS):
        return S.EXPIRING
    return S.VALID


def status_clause(status: str, today: dt.date) -> Q:
    """The same rule as ``status_on``, as a filter on certification rows."""
    current = Q(superseded_at__isnull=True)
    soon = today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    clauses: dict[str, Q] = {
        S.SUPERSEDED: Q(superseded_at__isnull=False),
        S.EXPIRED: current & Q(expires_on__lt=today),
        S.EXPIRING: current & Q(expires_on__gte=today, expires_on__lte=soon),
        S.VALID: current & Q(expires_on__gt=soon),
    }
    return clauses[status]


def due_offset(days_left: int, offsets: tuple[int, ...] = ALERT_OFFSETS) -> int | None:
    """The alert due when ``days_left`` remain: the smallest offset not below it.

    A job that missed a day still sends the alert it owes (a certificate 29 days from expiry
    gets the 30-day alert if that was never sent); an expired one gets the expiry alert.
    """
    if days_left < 0:
        # Only a recent expiry is announced late: years-old lapses are the dashboard's job.
        return 0 if 0 in offsets and days_left >= -LATE_EXPIRY_DAYS else None
    candidates = [offset for offset in offsets if offset >= days_left]
    return min(candidates) if candidates else None
