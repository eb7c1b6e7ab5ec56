"""The daily job that reminds portal users of what falls due in 7, 3 and 1 days."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from steward.portal.services import portal_reminders_send

logger = logging.getLogger(__name__)

REMINDER_JOB = "portal.due_reminders"


@task()
def portal_reminders_run(*, slot: str) -> int:
    """Safe to run twice for a day: the sent-log lets each reminder out once."""
    sent = portal_reminders_send(today=dt.date.fromisoformat(slot))
    logger.info("Sent %d portal reminders for %s", sent, slot)
    return sent
