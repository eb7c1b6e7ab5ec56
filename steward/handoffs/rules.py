"""Who may do what to a handoff, beyond what the access policy's spec says.

The spec (``Handoff.access_spec``) decides who sees a handoff and who may change it at all: its
preparer, whoever may change the account (its owner, editing team members, administrators), and
by reading only, the account's reviewers, managers of the preparer and of the account's owner,
and auditors. These rules narrow changes down by status and role:

- the preparer (or an administrator) edits, submits and cancels while a draft (cancels while
  handed over too);
- only the receiver accepts or sends back, explicitly: nobody accepts on their behalf;
- whoever may change the account works the items (the preparer too while a draft), and
  completes an accepted handoff.
"""

from __future__ import annotations

from typing import Any

from steward.core.access import Action, allows, principal_for
from steward.handoffs import lifecycle
from steward.handoffs.choices import HandoffStatus
from steward.handoffs.models import Handoff
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.people.choices import Function

PREPARING_FUNCTIONS = frozenset({Function.BUSINESS_DEVELOPMENT})


def may_prepare(user: Any, relationship: Relationship | None = None) -> bool:
    """Business development prepares handoffs for any account; otherwise whoever may change the
    account (its owner, its editing team) or an administrator."""
    principal = principal_for(user)
    if not principal.may_write:
        return False
    if principal.is_admin or principal.function in PREPARING_FUNCTIONS:
        return relationship is None or relationship.side == Side.DEMAND
    if relationship is None:
        return True
    return relationship.side == Side.DEMAND and allows(user, Action.CHANGE, relationship)


def is_preparer(user: Any, handoff: Handoff) -> bool:
    return getattr(user, "pk", None) == handoff.handed_over_by_id


def is_receiver(user: Any, handoff: Handoff) -> bool:
    return handoff.receiver_id is not None and getattr(user, "pk", None) == handoff.receiver_id


def _preparer_or_admin(user: Any, handoff: Handoff) -> bool:
    principal = principal_for(user)
    return principal.may_write and (principal.is_admin or is_preparer(user, handoff))


def may_edit(user: Any, handoff: Handoff) -> bool:
    return handoff.status in lifecycle.EDITABLE and _preparer_or_admin(user, handoff)


def may_submit(user: Any, handoff: Handoff) -> bool:
    return may_edit(user, handoff)


def may_cancel(user: Any, handoff: Handoff) -> bool:
    return lifecycle.can_move(handoff.status, HandoffStatus.CANCELLED) and _preparer_or_admin(
        user, handoff
    )


def may_answer(user: Any, handoff: Handoff) -> bool:
    """Accept or send back: the receiver themself, while the handoff waits for them."""
    return (
        handoff.status == HandoffStatus.HANDED_OVER
        and is_receiver(user, handoff)
        and principal_for(user).may_write
    )


def may_change_account(user: Any, handoff: Handoff) -> bool:
    return principal_for(user).may_write and allows(user, Action.CHANGE, handoff.relationship)


def may_complete(user: Any, handoff: Handoff) -> bool:
    return handoff.status == HandoffStatus.ACCEPTED and (
        (is_receiver(user, handoff) and principal_for(user).may_write)
        or may_change_account(user, handoff)
    )


def may_work_items(user: Any, handoff: Handoff) -> bool:
    if handoff.status not in lifecycle.WORKING or handoff.is_archived:
        return False
    if handoff.status == HandoffStatus.DRAFT and _preparer_or_admin(user, handoff):
        return True
    return may_change_account(user, handoff)
