"""The plan itself: start one for an account and a period, edit its sections, record its reviews,
close it when the next one starts, archive and restore."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.accountplans.choices import PlanStatus
from steward.accountplans.models import AccountPlan, PlanReview
from steward.accountplans.sections import section_keys
from steward.accountplans.services.common import (
    locked_plan,
    require_open,
    require_part_create,
    visibility,
)
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    create_record,
    refuse_unknown_fields,
    restore_record,
    text,
    update_record,
)
from steward.parties.choices import Side
from steward.parties.models import Relationship

VISIBILITY_FIELDS = (
    "goals_visibility",
    "needs_visibility",
    "map_visibility",
    "initiatives_visibility",
    "objectives_visibility",
    "actions_visibility",
)
PLAN_FIELDS = frozenset(
    {
        "title",
        "starts_on",
        "ends_on",
        "goals",
        "needs",
        "next_review_on",
        "shared_live_sections",
        *VISIBILITY_FIELDS,
    }
)


def _check_account(relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "Account plans are made for accounts (demand-side relationships).",
            field="relationship",
            code="not_an_account",
        )
    if relationship.is_archived:
        raise DomainError("The account is archived.", field="relationship", code="archived")


def _check_plan(plan: AccountPlan) -> None:
    plan.title = text(plan.title, field="title", label="title", required=True, limit=200)
    plan.goals = text(plan.goals, field="goals", label="customer's goals")
    plan.needs = text(plan.needs, field="needs", label="customer's needs")
    if plan.starts_on is None:
        raise DomainError("When does the plan start?", field="starts_on", code="required")
    if plan.ends_on is None:
        raise DomainError("When does the plan end?", field="ends_on", code="required")
    if plan.ends_on < plan.starts_on:
        raise DomainError("The plan ends before it starts.", field="ends_on", code="invalid")
    for name in VISIBILITY_FIELDS:
        visibility(getattr(plan, name), field=name)
    shared = plan.shared_live_sections
    if not isinstance(shared, list) or any(key not in section_keys() for key in shared):
        raise DomainError(
            f"Shared sections are a list of: {', '.join(section_keys())}.",
            field="shared_live_sections",
        )
    plan.shared_live_sections = sorted(set(shared))


def _default_title(relationship: Relationship, starts_on: dt.date, ends_on: dt.date) -> str:
    period = f"{starts_on:%Y}" if starts_on.year == ends_on.year else f"{starts_on:%Y}-{ends_on:%Y}"
    return f"{relationship.organization} account plan {period}"[:200]


def plan_create(
    *,
    actor: Any,
    relationship: Relationship,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str = "",
    goals: str = "",
    needs: str = "",
    next_review_on: dt.date | None = None,
    shared_live_sections: list[str] | None = None,
    **visibilities: str,
) -> AccountPlan:
    """Start the account's plan for a period; the account may have one active plan at a time."""
    require_create(actor, AccountPlan, parent=relationship)
    refuse_unknown_fields(visibilities, frozenset(VISIBILITY_FIELDS))
    _check_account(relationship)
    plan = AccountPlan(
        relationship=relationship,
        title=title or _default_title(relationship, starts_on, ends_on),
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals,
        needs=needs,
        next_review_on=next_review_on,
        shared_live_sections=shared_live_sections or [],
        **visibilities,
    )
    _check_plan(plan)
    duplicate = DuplicateError(
        "The account has an active plan already; close it before starting the next one.",
        field="relationship",
    )
    with transaction.atomic():
        Relationship.objects.select_for_update().get(pk=relationship.pk)
        if (
            AccountPlan.objects.active()
            .filter(relationship=relationship, status=PlanStatus.ACTIVE)
            .exists()
        ):
            raise duplicate
        try:
            with transaction.atomic():
                create_record(plan, actor=actor)
        except IntegrityError as clash:
            raise duplicate from clash
    return plan


def plan_update(
    *, actor: Any, plan: AccountPlan, expected_version: int | None, **changes: Any
) -> AccountPlan:
    """Edit the plan's period, goals, needs, next review and what the customer sees."""
    require(actor, Action.CHANGE, plan)
    refuse_unknown_fields(changes, PLAN_FIELDS)
    with transaction.atomic():
        require_open(locked_plan(plan))
        return update_record(
            plan,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            validate=_check_plan,
            reason="Changed",
        )


def plan_close(*, actor: Any, plan: AccountPlan, expected_version: int | None) -> AccountPlan:
    """Close the plan (kept as it was, read-only), so the account's next plan can start."""
    require(actor, Action.CHANGE, plan)
    with transaction.atomic():
        require_open(locked_plan(plan))
        return update_record(
            plan,
            actor=actor,
            expected_version=expected_version,
            changes={"status": PlanStatus.CLOSED},
            reason="Closed",
        )


def plan_review_record(
    *,
    actor: Any,
    plan: AccountPlan,
    held_on: dt.date,
    notes: str = "",
    next_review_on: dt.date | None = None,
) -> PlanReview:
    """A review held on a day: it sets the plan's last review (the latest held) and, when
    given, the next review date (after the day held)."""
    if held_on > timezone.localdate():
        raise DomainError(
            "A review is recorded once held; the day is in the future.",
            field="held_on",
            code="future",
        )
    if next_review_on is not None and next_review_on <= held_on:
        raise DomainError(
            "The next review comes after this one.", field="next_review_on", code="invalid"
        )
    review = PlanReview(
        held_on=held_on,
        notes=text(notes, field="notes", label="notes"),
        recorded_by=actor,
    )
    with transaction.atomic():
        locked = require_part_create(actor, PlanReview, plan)
        review.plan = locked
        create_record(review, actor=actor)
        changes: dict[str, Any] = {}
        if locked.last_reviewed_on is None or held_on > locked.last_reviewed_on:
            changes["last_reviewed_on"] = held_on
        if next_review_on is not None:
            changes["next_review_on"] = next_review_on
        update_record(
            locked, actor=actor, expected_version=None, changes=changes, reason="Reviewed"
        )
    return review


def plan_archive(
    *, actor: Any, plan: AccountPlan, expected_version: int | None = None
) -> AccountPlan:
    require(actor, Action.DELETE, plan)
    return archive_record(plan, actor=actor, expected_version=expected_version)


def plan_restore(
    *, actor: Any, plan: AccountPlan, expected_version: int | None = None
) -> AccountPlan:
    require(actor, Action.DELETE, plan)
    with transaction.atomic():
        if (
            plan.status == PlanStatus.ACTIVE
            and AccountPlan.objects.active()
            .filter(relationship_id=plan.relationship_id, status=PlanStatus.ACTIVE)
            .exclude(pk=plan.pk)
            .exists()
        ):
            raise DuplicateError(
                "The account has another active plan; close it before restoring this one.",
                field="relationship",
            )
        return restore_record(plan, actor=actor, expected_version=expected_version)
