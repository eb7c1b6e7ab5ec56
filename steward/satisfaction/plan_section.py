"""The joint account plan's live "Satisfaction" section: NPS and CSAT of the last 12 months with
their counts, against the standard. Computed when shown; no link or warning text that would
name our people, so the plan may share it with the customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from steward.core.access import Action
from steward.parties.models import Relationship
from steward.satisfaction import selectors
from steward.satisfaction.services.standard import standard_current
from steward.satisfaction.tallies import Tally, tallies_by_account


def satisfaction_section(plan: Any, user: Any, today: dt.date) -> dict[str, Any]:
    if (
        not Relationship.objects.restrict(user, Action.VIEW)
        .filter(pk=plan.relationship_id)
        .exists()
    ):
        return {"tally": Tally(), "since": today, "meets": None, "standard": None}
    since = today - relativedelta(years=1) + dt.timedelta(days=1)
    tally = tallies_by_account([plan.relationship_id], since, today).get(
        plan.relationship_id, Tally()
    )
    return {
        "tally": tally,
        "since": since,
        "meets": selectors.standard_judgement([plan.relationship_id], today)[plan.relationship_id],
        "standard": str(standard_current()),
    }
