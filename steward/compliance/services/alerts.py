"""Expiry alerts: the certificate's owner and the vendor's owner are told 60, 30 and 7 days
before a certificate expires and on the day, each offset once (the sent-log's unique row is
claimed in the same transaction as the notification)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse

from steward.compliance import expiry
from steward.compliance.models import Certification, CertificationAlertSent
from steward.core.notifications import Alert, notifications_send

logger = logging.getLogger(__name__)

EXPIRY_ALERT = "compliance.certificate_expiry"


def certification_alerts_deliver(*, day: dt.date) -> int:
    """Send the alerts due on ``day``; returns how many were sent. Safe to run twice."""
    offsets = expiry.ALERT_OFFSETS
    horizon = day + dt.timedelta(days=max(offsets))
    oldest = day - dt.timedelta(days=expiry.LATE_EXPIRY_DAYS)
    certifications = (
        Certification.objects.filter(
            archived_at__isnull=True,
            superseded_at__isnull=True,
            expires_on__gte=oldest,
            expires_on__lte=horizon,
        )
        .select_related("supplier__relationship__organization", "supplier__relationship")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for certification in certifications:
        offset = expiry.due_offset((certification.expires_on - day).days, offsets)
        if offset is None:
            continue
        recipients = {certification.owner_id, certification.supplier.relationship.owner_id}
        for recipient_id in sorted(recipients):
            if _alert(certification, offset, recipient_id, day):
                sent += 1
    return sent


def _alert(certification: Certification, offset: int, recipient_id: int, day: dt.date) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                CertificationAlertSent.objects.create(
                    certification=certification,
                    offset=offset,
                    recipient_id=recipient_id,
                    sent_on=day,
                )
        except IntegrityError:
            return False
        vendor = certification.supplier.relationship.organization
        days_left = (certification.expires_on - day).days
        if days_left > 0:
            when = f"expires in {days_left} day{'s' if days_left != 1 else ''}"
        elif days_left == 0:
            when = "expires today"
        else:
            when = "has expired"
        notifications_send(
            [
                Alert(
                    recipient_id=recipient_id,
                    kind=EXPIRY_ALERT,
                    title=f"{certification.get_kind_display()} of {vendor} {when}",
                    body=(
                        f"“{certification.title}” {when} ({certification.expires_on:%d %b %Y}). "
                        "Ask the vendor for the renewed document."
                    ),
                    url=reverse("compliance:certification-detail", args=[certification.pk]),
                )
            ]
        )
    logger.info("Expiry alert for certification %s at %d days", certification.pk, offset)
    return True
