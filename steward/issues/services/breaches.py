"""An SLA breach opens an issue: the listener contracts call when a breach is opened."""

from __future__ import annotations

import logging

from django.db import transaction

from steward.contracts.models import SlaBreach
from steward.contracts.models.sla import SlaWindow
from steward.core.services import update_record
from steward.issues.choices import IssueCategory, IssueSource, Severity
from steward.issues.models import Issue
from steward.issues.services.issues import issue_open

logger = logging.getLogger(__name__)


def breach_title(breach: SlaBreach) -> str:
    result = breach.period_result
    level = result.service_level
    start = result.period_start
    if level.window == SlaWindow.QUARTERLY:
        period = f"Q{(start.month - 1) // 3 + 1} {start.year}"
    else:
        period = f"{start:%b %Y}"
    return f"SLA breach: {level} {period}"[:200]


def issue_open_for_breach(breach: SlaBreach) -> Issue | None:
    """Open the breach's issue (once) and note its reference on the breach.

    Runs as the system; the contract's owner owns and reports the issue. Returns the issue, or
    None when the breach was cleared meanwhile or its relationship is archived.
    """
    with transaction.atomic():
        locked = (
            SlaBreach.objects.select_for_update()
            .select_related("period_result__service_level__contract__relationship")
            .get(pk=breach.pk)
        )
        existing = Issue.objects.filter(sla_breach=locked).first()
        if existing is not None:
            issue = existing
        else:
            if locked.cleared_at is not None:
                return None
            level = locked.period_result.service_level
            contract = level.contract
            if contract.relationship.is_archived:
                logger.info("No issue for %s: its relationship is archived", locked)
                return None
            result = locked.period_result
            issue = issue_open(
                actor=None,
                relationship=contract.relationship,
                title=breach_title(locked),
                category=IssueCategory.SERVICE,
                severity=Severity.HIGH,
                description=(
                    f"{level} came to {result.value} {level.unit} against a target of "
                    f"{level.get_direction_display().lower()} {level.target} for the period "
                    f"{result.period_start} to {result.period_end}."
                ),
                owner=contract.owner,
                contract=contract,
                service_level=level,
                source=IssueSource.SLA_BREACH,
                sla_breach=locked,
                opened_at=locked.opened_at,
            )
        if locked.issue_reference != issue.reference:
            update_record(
                locked,
                actor=None,
                expected_version=None,
                changes={"issue_reference": issue.reference},
                reason="Issue opened",
            )
    return issue
