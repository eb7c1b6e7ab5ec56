"""Background work on compliance, run daily by the scheduler (see ``ComplianceConfig.ready``).

The task receives the day it covers as ``slot`` and is safe to run again for the same day: each
alert is claimed by a unique sent-log row before it goes out.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.compliance.services import certification_alerts_deliver

EXPIRY_ALERTS_JOB = "compliance.expiry_alerts"


@task()
def certification_expiry_alerts(*, slot: str) -> int:
    """Tell owners of certificates expiring in 60, 30 and 7 days, or today, once each."""
    return certification_alerts_deliver(day=dt.date.fromisoformat(slot))
