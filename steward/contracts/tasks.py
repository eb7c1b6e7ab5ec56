"""Background work on contracts, run daily by the scheduler (see ``ContractsConfig.ready``).

Each task receives the day it covers as ``slot`` (an ISO date) and is safe to run again for the
same day: alerts and reminders are claimed by a unique row before they go out, rolling a
contract forward is a no-op once it is in the right term, and a closed SLA period is not judged
again.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.contracts.services.obligations import obligation_alerts_deliver
from steward.contracts.services.renewals import (
    contracts_roll_forward_all,
    renewal_reminders_deliver,
)
from steward.contracts.services.sla_periods import sla_periods_evaluate_ended

ROLL_FORWARD_JOB = "contracts.roll_forward"
REMINDERS_JOB = "contracts.renewal_reminders"
OBLIGATION_ALERTS_JOB = "contracts.obligation_alerts"
SLA_CLOSE_JOB = "contracts.sla_periods_close"


@task()
def contracts_roll_forward(*, slot: str) -> int:
    """Move every auto-renewing contract in force to the term running on that day."""
    return contracts_roll_forward_all(day=dt.date.fromisoformat(slot))


@task()
def renewal_reminders_send(*, slot: str) -> int:
    """Remind owners of notice deadlines at the policy's offsets, once each."""
    return renewal_reminders_deliver(day=dt.date.fromisoformat(slot))


@task()
def obligation_alerts_send(*, slot: str) -> int:
    """Alert owners of overdue obligations, once per obligation and day."""
    return obligation_alerts_deliver(day=dt.date.fromisoformat(slot))


@task()
def sla_periods_close(*, slot: str) -> int:
    """Judge the SLA periods that ended before that day, booking their breaches and credits."""
    return sla_periods_evaluate_ended(day=dt.date.fromisoformat(slot))
