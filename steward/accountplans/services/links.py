"""Initiatives and actions of the plan, linked rather than copied: an initiative of the shared
plans engine (with its priority and the investment it needs) and an action item of the reviews
engine (chased like every other action)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from steward.accountplans.choices import Visibility
from steward.accountplans.models import AccountPlan, PlanAction, PlanInitiative
from steward.accountplans.services.common import (
    change_part,
    currency,
    remove_part,
    require_part_create,
    visibility,
)
from steward.core.access import Action, require
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import create_record, text
from steward.parties.models import Contact
from steward.plans.models import Initiative
from steward.reviews.choices import ActionSide
from steward.reviews.models import ActionItem
from steward.reviews.services_reviews import action_item_add

INITIATIVE_FIELDS = frozenset(
    {"priority", "investment_amount", "investment_currency", "investment_note", "visibility"}
)


def _check_initiative_link(link: PlanInitiative) -> None:
    if not isinstance(link.priority, int) or not 1 <= link.priority <= 99:
        raise DomainError("Priority runs from 1 (first) to 99.", field="priority")
    amount = link.investment_amount
    if amount is not None and (not isinstance(amount, Decimal) or amount < 0):
        raise DomainError("The investment is an amount of 0 or more.", field="investment_amount")
    currency(link.investment_currency, field="investment_currency")
    link.investment_note = text(
        link.investment_note, field="investment_note", label="investment", limit=200
    )
    visibility(link.visibility)


def initiative_link_add(
    *,
    actor: Any,
    plan: AccountPlan,
    initiative: Initiative,
    priority: int = 1,
    investment_amount: Decimal | None = None,
    investment_currency: str = "",
    investment_note: str = "",
    visibility: str = Visibility.CUSTOMER,
) -> PlanInitiative:
    """Bring an initiative on the same account into the plan."""
    require(actor, Action.VIEW, initiative)
    duplicate = DuplicateError(f"“{initiative}” is in the plan already.", field="initiative")
    with transaction.atomic():
        locked = require_part_create(actor, PlanInitiative, plan)
        if initiative.relationship_id != locked.relationship_id:
            raise DomainError(
                "The initiative belongs to another relationship.",
                field="initiative",
                code="not_in_account",
            )
        if initiative.is_archived:
            raise DomainError("The initiative is archived.", field="initiative", code="archived")
        link = PlanInitiative(
            plan=locked,
            initiative=initiative,
            priority=priority,
            investment_amount=investment_amount,
            investment_currency=investment_currency or initiative.currency,
            investment_note=investment_note,
            visibility=visibility,
        )
        _check_initiative_link(link)
        if locked.initiative_links.active().filter(initiative=initiative).exists():
            raise duplicate
        try:
            with transaction.atomic():
                create_record(link, actor=actor)
        except IntegrityError as clash:
            raise duplicate from clash
    return link


def initiative_link_update(
    *, actor: Any, link: PlanInitiative, expected_version: int | None, **changes: Any
) -> PlanInitiative:
    return change_part(
        actor=actor,
        part=link,
        expected_version=expected_version,
        changes=changes,
        allowed=INITIATIVE_FIELDS,
        validate=_check_initiative_link,
    )


def initiative_link_remove(
    *, actor: Any, link: PlanInitiative, expected_version: int | None = None
) -> PlanInitiative:
    """Take the initiative out of the plan; the initiative itself stays as it is."""
    return remove_part(actor=actor, part=link, expected_version=expected_version)


def action_link_add(
    *,
    actor: Any,
    plan: AccountPlan,
    action_item: ActionItem,
    visibility: str = Visibility.CUSTOMER,
) -> PlanAction:
    """Bring an existing action on the same account into the plan's action plan."""
    require(actor, Action.VIEW, action_item)
    duplicate = DuplicateError(f"“{action_item}” is in the plan already.", field="action_item")
    with transaction.atomic():
        locked = require_part_create(actor, PlanAction, plan)
        if action_item.relationship_id != locked.relationship_id:
            raise DomainError(
                "The action belongs to another relationship.",
                field="action_item",
                code="not_in_account",
            )
        if action_item.is_archived:
            raise DomainError("The action is archived.", field="action_item", code="archived")
        link = PlanAction(plan=locked, action_item=action_item, visibility=visibility)
        _check_action_link(link)
        if locked.action_links.active().filter(action_item=action_item).exists():
            raise duplicate
        try:
            with transaction.atomic():
                create_record(link, actor=actor)
        except IntegrityError as clash:
            raise duplicate from clash
    return link


def _check_action_link(link: PlanAction) -> None:
    visibility(link.visibility)


def action_link_create(
    *,
    actor: Any,
    plan: AccountPlan,
    title: str,
    due_on: dt.date,
    side: str = ActionSide.OURS,
    owner: Any = None,
    owner_contact: Contact | None = None,
    visibility: str = Visibility.CUSTOMER,
) -> PlanAction:
    """A new action on the account (the reviews engine's), straight into the plan."""
    with transaction.atomic():
        require_part_create(actor, PlanAction, plan)
        action_item = action_item_add(
            actor=actor,
            relationship=plan.relationship,
            title=title,
            due_on=due_on,
            side=side,
            owner=owner,
            owner_contact=owner_contact,
            shared_with_portal=False,
        )
        return action_link_add(
            actor=actor, plan=plan, action_item=action_item, visibility=visibility
        )


def action_link_update(
    *, actor: Any, link: PlanAction, expected_version: int | None, **changes: Any
) -> PlanAction:
    return change_part(
        actor=actor,
        part=link,
        expected_version=expected_version,
        changes=changes,
        allowed=frozenset({"visibility"}),
        validate=_check_action_link,
    )


def action_link_remove(
    *, actor: Any, link: PlanAction, expected_version: int | None = None
) -> PlanAction:
    """Take the action out of the plan; the action itself is still chased."""
    return remove_part(actor=actor, part=link, expected_version=expected_version)
