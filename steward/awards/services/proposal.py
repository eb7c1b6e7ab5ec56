"""Proposing an award and deciding on it (four eyes).

Whoever may change a closed event proposes: one vendor for every line (a single award) or a
vendor per line (a split award), with a rationale, and a justification when an awarded bid is
abnormally low. Someone else approves it — an administrator, a procurement buyer or a manager of
the event's owner, never the proposer — or sends it back. Approval shows each award to its
vendor, who has ``confirm_days`` to confirm it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from steward.awards.choices import AwardStatus
from steward.awards.matrix import Sheet
from steward.awards.models import Award
from steward.awards.services import notify
from steward.awards.services.common import (
    award_create,
    confirm_deadline,
    lock_event,
    plain_text,
    system_sheet,
)
from steward.awards.services.handover import in_base_currency
from steward.core.access import Action, principal_for, require
from steward.core.errors import DomainError, TransitionError
from steward.core.services import save_with_history
from steward.people.choices import Function, UserKind
from steward.sourcing.choices import AwardRule, EventStatus, LogAction
from steward.sourcing.models import EventInvitation, EventLine, SourcingEvent
from steward.sourcing.services.log import log_event
from steward.sourcing.services.status import ensure_closed, set_status

APPROVING_FUNCTIONS = (Function.PROCUREMENT,)


# --- the allocation ----------------------------------------------------------------------------


Allocations = EventInvitation | Mapping[Any, EventInvitation]


def _line_id(key: Any) -> int:
    return int(key.pk if isinstance(key, EventLine) else key)


def allocation_of(sheet: Sheet, allocations: Allocations) -> dict[int, int]:
    """line id -> invitation id, checked: every line once, each to an invitee that bid it."""
    lines = {line.pk: line for line in sheet.lines}
    if isinstance(allocations, EventInvitation):
        chosen = dict.fromkeys(lines, allocations)
    else:
        chosen = {_line_id(key): invitation for key, invitation in allocations.items()}
    for line_id in chosen:
        if line_id not in lines:
            raise DomainError(
                f"Line id {line_id} is not a line of this event.", field="allocations"
            )
    missing = [line.number for line in sheet.lines if line.pk not in chosen]
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        raise DomainError(
            f"Every line is awarded once: line {numbers} has no vendor.",
            field="allocations",
            code="unallocated",
        )
    result: dict[int, int] = {}
    for line_id, invitation in chosen.items():
        line = lines[line_id]
        if invitation is None or invitation.event_id != sheet.event.pk:
            raise DomainError(
                f"Line {line.number}: the vendor chosen is not invited to this event.",
                field="allocations",
                code="not_invited",
            )
        if (invitation.pk, line_id) not in sheet.bid_lines:
            raise DomainError(
                f"Line {line.number}: {invitation.supplier} did not bid on this line.",
                field="allocations",
                code="no_bid",
            )
        result[line_id] = invitation.pk
    if sheet.event.award_rule == AwardRule.SINGLE and len(set(result.values())) > 1:
        raise DomainError(
            "This event is awarded to a single vendor: give every line to the same one.",
            field="allocations",
            code="single_award",
        )
    return result


def _flagged_lines(sheet: Sheet, allocation: dict[int, int]) -> list[str]:
    flagged = []
    for line_id, invitation_id in allocation.items():
        cell = sheet.evaluation.cell(line_id, invitation_id)
        if cell is not None and cell.flags:
            reasons = "; ".join(flag.label for flag in cell.flags)
            flagged.append(f"line {sheet.line(line_id).number} ({reasons})")
    return flagged


# --- propose -----------------------------------------------------------------------------------


def award_propose(
    *,
    actor: Any,
    event: SourcingEvent,
    allocations: Allocations,
    rationale: str,
    low_bid_justification: str = "",
) -> list[Award]:
    """Propose the award of a closed event; the awards wait for approval."""
    require(actor, Action.CHANGE, event)
    rationale = plain_text(rationale, field="rationale", required="Give the award's rationale.")
    justification = plain_text(low_bid_justification, field="low_bid_justification")
    event = ensure_closed(event)
    with transaction.atomic():
        locked = lock_event(event)
        if locked.status != EventStatus.CLOSED:
            raise TransitionError(
                f"An award is proposed for a closed event; this one is "
                f"{locked.get_status_display().lower()}.",
                field="status",
            )
        sheet = system_sheet(locked)
        allocation = allocation_of(sheet, allocations)
        in_base_currency(locked, Decimal(1))  # the saving needs the rate; refuse now if none
        flagged = _flagged_lines(sheet, allocation)
        if flagged and not justification:
            raise DomainError(
                f"Abnormally low bids are awarded only with a justification: {', '.join(flagged)}.",
                field="low_bid_justification",
                code="justification_required",
            )
        awards = _proposed_awards(actor, sheet, allocation, justification)
        _record_proposal(locked, actor=actor, rationale=rationale, awards=awards)
    return awards


def _proposed_awards(
    actor: Any, sheet: Sheet, allocation: dict[int, int], justification: str
) -> list[Award]:
    """One award per vendor, of its lines in line order; the justification is kept on the
    awards whose bids needed it."""
    by_invitation: dict[int, list[int]] = defaultdict(list)
    for line_id in sorted(allocation, key=lambda pk: sheet.line(pk).number):
        by_invitation[allocation[line_id]].append(line_id)
    return [
        award_create(
            actor=actor,
            sheet=sheet,
            invitation_id=invitation_id,
            line_ids=line_ids,
            status=AwardStatus.PROPOSED,
            justification=justification
            if _flagged_lines(sheet, dict.fromkeys(line_ids, invitation_id))
            else "",
        )
        for invitation_id, line_ids in sorted(by_invitation.items())
    ]


def _record_proposal(
    event: SourcingEvent, *, actor: Any, rationale: str, awards: list[Award]
) -> None:
    event.award_rationale = rationale
    event.award_proposed_by = actor
    event.award_proposed_at = timezone.now()
    event.award_approved_by = None
    event.award_approved_at = None
    set_status(event, EventStatus.AWARD_PROPOSED, actor=actor, reason="Award proposed")
    how = f"split over {len(awards)} vendors" if len(awards) > 1 else "to one vendor"
    for award in awards:
        log_event(
            event,
            LogAction.AWARD_PROPOSED,
            f"Award proposed {how}; waiting for approval.",
            actor=actor,
            invitation=award.invitation,
            detail={"award": award.pk},
        )
    notify.tell_approvers(event, approvers_of(event))


# --- four eyes ---------------------------------------------------------------------------------


def may_approve(user: Any, event: SourcingEvent) -> bool:
    """An administrator, a procurement buyer or a manager of the owner; never the proposer."""
    principal = principal_for(user)
    if not principal.is_internal or (principal.is_auditor and not principal.is_admin):
        return False
    if event.award_proposed_by_id is not None and event.award_proposed_by_id == user.pk:
        return False
    return (
        principal.is_admin
        or principal.function in APPROVING_FUNCTIONS
        or event.owner_id in principal.report_ids
    )


def approvers_of(event: SourcingEvent) -> list[Any]:
    """Who is asked to approve: the owner's manager and the procurement buyers."""
    manager_id = (
        get_user_model()
        .objects.filter(pk=event.owner_id)
        .values_list("profile__manager_id", flat=True)
        .first()
    )
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(profile__kind=UserKind.EXTERNAL)
        .filter(Q(pk=manager_id or 0) | Q(profile__function__in=APPROVING_FUNCTIONS))
        .exclude(pk=event.award_proposed_by_id or 0)
        .order_by("pk")
    )
    return list(people)


def _require_approver(actor: Any, event: SourcingEvent) -> None:
    """Checked first, then again on the locked proposal (who proposed it, read fresh)."""
    if event.award_proposed_by_id == getattr(actor, "pk", None):
        raise PermissionDenied("Someone other than the proposer decides on an award.")
    if not may_approve(actor, event):
        raise PermissionDenied(
            "An administrator, a procurement buyer or the owner's manager decides on an award."
        )


def _locked_proposal(event: SourcingEvent) -> SourcingEvent:
    locked = lock_event(event)
    if locked.status != EventStatus.AWARD_PROPOSED:
        raise TransitionError(
            f"There is no award proposal to decide on; the event is "
            f"{locked.get_status_display().lower()}.",
            field="status",
        )
    return locked


def award_approve(*, actor: Any, event: SourcingEvent) -> list[Award]:
    """Approve the proposal: each award goes to its vendor for confirmation."""
    require(actor, Action.VIEW, event)
    _require_approver(actor, event)
    with transaction.atomic():
        locked = _locked_proposal(event)
        _require_approver(actor, locked)
        now = timezone.now()
        awards = list(
            locked.awards.filter(status=AwardStatus.PROPOSED)
            .select_related("invitation__supplier__relationship__organization")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        for award in awards:
            award.status = AwardStatus.AWAITING_CONFIRMATION
            award.visible_to_vendor = True
            award.confirm_by = confirm_deadline(locked, now)
            save_with_history(award, actor=actor, reason="Approved; sent to the vendor")
        locked.award_approved_by = actor
        locked.award_approved_at = now
        set_status(locked, EventStatus.AWARDED, actor=actor, reason="Award approved")
        log_event(
            locked, LogAction.AWARD_APPROVED, "Award approved; sent to the vendors.", actor=actor
        )
        for award in awards:
            notify.tell_winner(award)
            if notify.winner_has_no_portal_user(award):
                notify.tell_owner(
                    locked,
                    kind=notify.DECIDED_ALERT,
                    title=f"{award.invitation.supplier} has no portal user to confirm the award",
                    body="Invite one through the vendor's portal access, or the award lapses.",
                )
    return awards


def award_send_back(*, actor: Any, event: SourcingEvent, reason: str) -> SourcingEvent:
    """Refuse the proposal: its awards are withdrawn and the event is closed again."""
    require(actor, Action.VIEW, event)
    _require_approver(actor, event)
    reason = plain_text(reason, field="reason", required="Say why the award is sent back.")
    with transaction.atomic():
        locked = _locked_proposal(event)
        _require_approver(actor, locked)
        for award in locked.awards.filter(status=AwardStatus.PROPOSED).select_for_update():
            award.status = AwardStatus.WITHDRAWN
            award.response_note = reason
            save_with_history(award, actor=actor, reason="Sent back")
        locked.award_proposed_by = None
        locked.award_proposed_at = None
        set_status(locked, EventStatus.CLOSED, actor=actor, reason="Award sent back")
        log_event(locked, LogAction.AWARD_REJECTED, f"Award sent back: {reason}", actor=actor)
        notify.tell_event_team(locked, f"Award of {locked.reference} sent back", reason)
    return locked
