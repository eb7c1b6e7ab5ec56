"""Background work about people: the daily digest of what falls due.

The periodic job ``people.daily_digest`` fans out: it queues one ``digest_send`` per person who
wants a digest, so many workers share the load. Each send claims ``(person, day)`` before it
mails, in the same transaction, so running it twice — a retry, a second worker, a re-run by
hand — sends one email.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from steward.core.notifications import notification_list
from steward.core.registry import DueItem, due_items
from steward.core.schedule import claim_slot
from steward.people.choices import UserKind

logger = logging.getLogger(__name__)

DIGEST_JOB = "people.daily_digest"
DIGEST_HORIZON = dt.timedelta(days=7)


def digest_recipients() -> QuerySet[Any]:
    """Active inside people who keep the digest on and have an address to send it to."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__kind=UserKind.INTERNAL,
            profile__digest_enabled=True,
        )
        .exclude(email="")
        .order_by("pk")
    )


def digest_alerts(user: Any, *, today: dt.date) -> list[Any]:
    """Alerts the user has not read that arrived since the day before ``today``."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min))
    return list(notification_list(user=user, unread_only=True).filter(created_at__gte=since))


def digest_message(
    user: Any, items: list[DueItem], *, today: dt.date, alerts: list[Any] | None = None
) -> EmailMultiAlternatives:
    """The email for ``user``: plain text with an HTML alternative, links made absolute."""
    base_url = settings.STEWARD_BASE_URL.rstrip("/")
    alert_rows = [
        {"alert": alert, "link": f"{base_url}{alert.url}" if alert.url.startswith("/") else ""}
        for alert in alerts or []
    ]
    rows = [
        {
            "item": item,
            "link": f"{base_url}{item.url}" if item.url.startswith("/") else item.url,
            "overdue": item.due_on < today,
            "days_late": (today - item.due_on).days,
        }
        for item in items
    ]
    overdue = sum(1 for row in rows if row["overdue"])
    context = {
        "user": user,
        "name": user.first_name or user.get_username(),
        "today": today,
        "until": today + DIGEST_HORIZON,
        "overdue_rows": [row for row in rows if row["overdue"]],
        "upcoming_rows": [row for row in rows if not row["overdue"]],
        "overdue_count": overdue,
        "total": len(rows),
        "alert_rows": alert_rows,
        "base_url": base_url,
    }
    if rows:
        subject = f"Steward: {len(rows)} due by {date_format(context['until'], 'D j M')}"
        if overdue:
            subject += f" ({overdue} overdue)"
        if alert_rows:
            subject += f", {len(alert_rows)} new alert{'s' if len(alert_rows) != 1 else ''}"
    else:
        subject = f"Steward: {len(alert_rows)} new alert{'s' if len(alert_rows) != 1 else ''}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("people/email/digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("people/email/digest.html", context), "text/html")
    return message


@task()
def digest_send(*, user_id: int, day: str) -> bool:
    """Email one person what is due in the week from ``day``; True when an email went out."""
    today = dt.date.fromisoformat(day)
    user = digest_recipients().filter(pk=user_id).first()
    if user is None:  # left, turned the digest off, or became a portal user since queued
        return False
    items = due_items(user, today=today, until=today + DIGEST_HORIZON)
    alerts = digest_alerts(user, today=today)
    if not items and not alerts:
        return False
    with transaction.atomic():
        # A failed send rolls the claim back, so a retry may still send today's digest.
        if claim_slot(f"{DIGEST_JOB}:user:{user_id}", day) is None:
            return False
        digest_message(user, items, today=today, alerts=alerts).send()
    logger.info(
        "Sent the digest for %s to user %s (%d items, %d alerts)",
        day,
        user_id,
        len(items),
        len(alerts),
    )
    return True


@task()
def digests_enqueue(*, slot: str) -> int:
    """The periodic job: queue one digest per recipient for the day ``slot`` names."""
    dt.date.fromisoformat(slot)  # refuse a malformed slot before queueing anything
    user_ids = list(digest_recipients().values_list("pk", flat=True))
    for user_id in user_ids:
        digest_send.enqueue(user_id=user_id, day=slot)
    return len(user_ids)
