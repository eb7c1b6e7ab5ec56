"""In-app notifications: written in bulk by the services that notice something."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from steward.core.access import Action
from steward.core.models import Notification


@dataclass(frozen=True)
class Alert:
    recipient_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""


def notifications_send(alerts: Iterable[Alert]) -> int:
    """Write the alerts in one insert; returns how many were written."""
    rows = [
        Notification(
            recipient_id=a.recipient_id, kind=a.kind, title=a.title[:200], body=a.body, url=a.url
        )
        for a in alerts
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.restrict(user, Action.VIEW).filter(recipient_id=user.pk)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when ``ids`` is None)."""
    unread = notification_list(user=user, unread_only=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_get(*, user: Any, pk: Any) -> Notification:
    """One of the user's own notifications; anyone else's is not found."""
    return notification_list(user=user).get(pk=pk)


def unread_count(*, user: Any) -> int:
    return int(notification_list(user=user, unread_only=True).count())
