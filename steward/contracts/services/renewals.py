"""Writes for the renewal radar: decisions per term, the reminder policy, reminders and the
roll-forward of auto-renewing contracts."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from steward.contracts import lifecycle
from steward.contracts.models import (
    Contract,
    RenewalDecision,
    RenewalReminderPolicy,
    RenewalReminderSent,
)
from steward.contracts.models.renewals import RenewalChoice
from steward.contracts.services.contracts import contract_roll_forward
from steward.contracts.services.obligations import contract_url
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, update_record

logger = logging.getLogger(__name__)

REMINDER_ALERT = "contracts.notice_deadline"
MAX_OFFSET_DAYS = 730


# --- decisions -------------------------------------------------------------------------------


def renewal_decide(
    *,
    actor: Any,
    contract: Contract,
    decision: str,
    rationale: str,
    for_term_ending: dt.date | None = None,
    decided_on: dt.date | None = None,
) -> RenewalDecision:
    """Record what to do when the term ends. One decision stands per term: a later one for the
    same term supersedes the earlier, which is kept."""
    require_create(actor, RenewalDecision, parent=contract)
    if decision not in RenewalChoice.values:
        raise DomainError("Decide renew, renegotiate or terminate.", field="decision")
    if not rationale.strip():
        raise DomainError("Give the reasons for the decision.", field="rationale", code="required")
    term_end = for_term_ending or contract.end_date
    if term_end is None:
        raise DomainError(
            "Name the end of the term this decision is about.", field="for_term_ending"
        )
    if contract.status in lifecycle.ENDED:
        raise DomainError("The contract has ended; there is nothing to renew.", field="decision")
    with transaction.atomic():
        # Serialize decisions on one contract so two at once cannot both stand.
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        previous = current_decision(contract, term_end)
        if previous is not None:
            update_record(
                previous,
                actor=actor,
                expected_version=None,
                changes={"superseded_at": timezone.now()},
                reason="Superseded",
            )
        return create_record(
            RenewalDecision(
                contract=contract,
                decision=decision,
                rationale=rationale.strip(),
                decided_by=actor,
                decided_on=decided_on or timezone.localdate(),
                for_term_ending=term_end,
                supersedes=previous,
            ),
            actor=actor,
            reason=RenewalChoice(decision).label,
        )


def current_decision(contract: Contract, term_end: dt.date) -> RenewalDecision | None:
    return (
        RenewalDecision.objects.active()
        .filter(contract=contract, for_term_ending=term_end, superseded_at__isnull=True)
        .first()
    )


# --- the reminder policy ---------------------------------------------------------------------


def reminder_policy() -> RenewalReminderPolicy:
    """The one policy row, created with the default offsets the first time it is asked for."""
    policy, _ = RenewalReminderPolicy.objects.get_or_create(pk=1)
    return policy


def reminder_policy_update(
    *, actor: Any, expected_version: int, offsets: list[int]
) -> RenewalReminderPolicy:
    policy = reminder_policy()
    require(actor, Action.CHANGE, policy)
    return update_record(
        policy,
        actor=actor,
        expected_version=expected_version,
        changes={"offsets": clean_offsets(offsets)},
    )


def clean_offsets(offsets: Any) -> list[int]:
    """Distinct whole days before the deadline, largest first."""
    if not isinstance(offsets, list | tuple) or not offsets:
        raise DomainError("Give at least one number of days.", field="offsets")
    days = set()
    for value in offsets:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(f"“{value}” is not a whole number of days.", field="offsets")
        if not 0 <= value <= MAX_OFFSET_DAYS:
            raise DomainError(
                f"Offsets lie between 0 and {MAX_OFFSET_DAYS} days (got {value}).",
                field="offsets",
            )
        days.add(value)
    return sorted(days, reverse=True)


# --- background work -------------------------------------------------------------------------


def _contracts_in_force() -> QuerySet[Contract]:
    return Contract.objects.active().filter(status__in=lifecycle.IN_FORCE)


def due_offset(days_left: int, offsets: list[int]) -> int | None:
    """The reminder due when ``days_left`` remain: the smallest offset already reached.

    A worker that was down on an offset's day catches up the next day; a contract entered
    late gets only the latest reminder, not every one it missed.
    """
    reached = [offset for offset in offsets if days_left <= offset]
    return min(reached) if reached else None


def renewal_reminders_deliver(*, day: dt.date) -> int:
    """Remind each contract owner of a notice deadline at each offset of the policy, once.

    The claim row, the in-app alert and the email commit together; a rerun sends nothing new.
    """
    offsets = reminder_policy().offsets
    if not offsets:
        return 0
    horizon = day + dt.timedelta(days=max(offsets))
    contracts = (
        _contracts_in_force()
        .filter(notice_deadline__gte=day, notice_deadline__lte=horizon)
        .select_related("owner", "relationship__organization")
        .order_by("notice_deadline", "pk")
    )
    sent = 0
    for contract in contracts:
        deadline = contract.notice_deadline
        assert deadline is not None
        offset = due_offset((deadline - day).days, offsets)
        if offset is not None and _remind(contract, deadline, offset, day):
            sent += 1
    return sent


def _remind(contract: Contract, deadline: dt.date, offset: int, day: dt.date) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                RenewalReminderSent.objects.create(
                    contract=contract,
                    deadline=deadline,
                    offset=offset,
                    recipient=contract.owner,
                    sent_on=day,
                )
        except IntegrityError:
            return False
        days_left = (deadline - day).days
        title = f"Notice deadline for {contract} in {days_left} days ({deadline:%d %b %Y})"
        url = contract_url(contract)
        body = (
            f"The last day to give notice on “{contract}” with "
            f"{contract.relationship.organization} is {deadline:%d %b %Y}. "
            "Record whether to renew, renegotiate or terminate."
        )
        notifications_send(
            [
                Alert(
                    recipient_id=contract.owner_id,
                    kind=REMINDER_ALERT,
                    title=title,
                    body=body,
                    url=url,
                )
            ]
        )
        if contract.owner.email:
            link = f"{settings.STEWARD_BASE_URL.rstrip('/')}{url}" if url else ""
            EmailMessage(
                subject=f"Steward: {title}",
                body=f"{body}\n\n{link}".strip() + "\n",
                to=[contract.owner.email],
            ).send()
    logger.info("Reminded of %s's notice deadline %s (%d days)", contract.pk, deadline, offset)
    return True


def contracts_roll_forward_all(*, day: dt.date) -> int:
    """Bring every auto-renewing contract in force to the term running on ``day``.

    Returns how many moved; running it again the same day moves none.
    """
    moved = 0
    contracts = _contracts_in_force().filter(auto_renews=True).order_by("pk")
    for contract in contracts.iterator():
        before = (contract.end_date, contract.notice_deadline)
        rolled = contract_roll_forward(contract=contract, today=day)
        if (rolled.end_date, rolled.notice_deadline) != before:
            moved += 1
    return moved
