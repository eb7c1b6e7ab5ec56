"""Writes on improvement plans and their targets: agree, edit, mark targets met, close.

Whoever may change the relationship may change its plans (the plan's access follows the
relationship). Every change leaves a history record with the actor; edits carry the version the
editor saw, so two people editing at once cannot silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    check_internal_person,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.models import Relationship
from steward.scorecards.choices import PlanStatus
from steward.scorecards.models import (
    ImprovementPlan,
    ImprovementTarget,
    Scorecard,
    ScorecardCriterion,
)

PLAN_EDITABLE = frozenset({"title", "summary", "owner", "due_on"})
TARGET_EDITABLE = frozenset({"label", "criterion_code", "target_score", "due_on"})
CLOSING_STATUSES = frozenset({PlanStatus.MET, PlanStatus.CLOSED})


def _require_open(plan: ImprovementPlan) -> None:
    if plan.status != PlanStatus.OPEN:
        raise DomainError(
            f"This improvement plan is {plan.get_status_display().lower()}; it can no longer "
            "be changed.",
            code="plan_closed",
        )


def _check_plan(plan: ImprovementPlan) -> None:
    plan.title = (plan.title or "").strip()
    plan.summary = (plan.summary or "").strip()
    if not plan.title:
        raise DomainError("A plan needs a title.", field="title", code="required")
    if plan.due_on is None:
        raise DomainError("A plan needs a due date.", field="due_on", code="required")
    check_internal_person(plan.owner, field="owner", role="plan owner")
    if plan.card is not None and plan.card.relationship_id != plan.relationship_id:
        raise DomainError("The card is another relationship's.", field="card")
    validate_fields(plan, exclude=["card", "relationship", "owner"])


def improvement_plan_create(
    *,
    actor: Any,
    relationship: Relationship,
    title: str,
    due_on: dt.date,
    owner: Any | None = None,
    summary: str = "",
    card: Scorecard | None = None,
) -> ImprovementPlan:
    """Agree an improvement plan on a relationship; the owner defaults to the relationship's.

    One plan may be open per relationship at a time.
    """
    require_create(actor, ImprovementPlan, parent=relationship)
    with transaction.atomic():
        # One open plan per relationship: serialise creates on the relationship's row.
        list(Relationship.objects.select_for_update().filter(pk=relationship.pk).values("pk"))
        if ImprovementPlan.objects.filter(
            relationship=relationship, status=PlanStatus.OPEN, archived_at__isnull=True
        ).exists():
            raise DomainError(
                "This relationship has an open improvement plan already; change that one.",
                code="plan_open",
                field="relationship",
            )
        plan = ImprovementPlan(
            relationship=relationship,
            card=card,
            title=title,
            summary=summary,
            owner=owner or relationship.owner,
            due_on=due_on,
        )
        _check_plan(plan)
        return create_record(plan, actor=actor)


def improvement_plan_update(
    *, actor: Any, plan: ImprovementPlan, expected_version: int, **changes: Any
) -> ImprovementPlan:
    """Edit an open plan's title, summary, owner or due date."""
    require(actor, Action.CHANGE, plan)
    refuse_unknown_fields(changes, PLAN_EDITABLE)
    _require_open(plan)
    return update_record(
        plan,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_plan,
    )


def improvement_plan_close(
    *,
    actor: Any,
    plan: ImprovementPlan,
    status: str = PlanStatus.CLOSED,
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementPlan:
    """Close a plan: ``met`` when every target was met, ``closed`` otherwise (with a reason).

    Closing a closed plan again with the same status changes nothing.
    """
    require(actor, Action.CHANGE, plan)
    if status not in CLOSING_STATUSES:
        raise DomainError(
            f"A plan closes as met or closed, not {status!r}.", field="status", code="invalid"
        )
    with transaction.atomic():
        locked = lock_for_update(plan, expected_version=expected_version)
        if locked.status == status:
            return locked
        _require_open(locked)
        targets = locked.targets.filter(archived_at__isnull=True)
        if status == PlanStatus.MET:
            if not targets.exists():
                raise DomainError(
                    "A plan without targets cannot be met; close it instead.",
                    field="status",
                    code="no_targets",
                )
            if targets.filter(met_on__isnull=True).exists():
                raise DomainError(
                    "Some targets are not met yet; mark them met or close the plan instead.",
                    field="status",
                    code="targets_open",
                )
        elif not reason.strip():
            raise DomainError(
                "Say why the plan closes without its targets met.", field="reason", code="required"
            )
        locked.status = status
        locked.closed_at = timezone.now()
        return save_with_history(
            locked,
            actor=actor,
            reason=reason.strip() or ("Targets met" if status == PlanStatus.MET else "Closed"),
        )


def _score(value: Any, field: str = "target_score") -> Decimal:
    try:
        score = Decimal(str(value).strip()) if value is not None else None
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise DomainError("A target score is a number from 0 to 100.", field=field)
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError(
            f"A target score is from 0 to 100, not {score}.", field=field, code="out_of_range"
        )
    return score.quantize(Decimal("0.01"))


def _criteria_of(plan: ImprovementPlan) -> dict[str, str]:
    """The criteria a target may name: those of the card that required the plan, else those of
    the relationship's cards."""
    if plan.card is not None:
        versions = [plan.card.period.version_id]
    else:
        versions = list(
            Scorecard.objects.filter(relationship_id=plan.relationship_id)
            .values_list("period__version_id", flat=True)
            .distinct()
        )
    return dict(
        ScorecardCriterion.objects.filter(version_id__in=versions).values_list("code", "name")
    )


def _check_target(target: ImprovementTarget) -> None:
    target.label = (target.label or "").strip()
    target.criterion_code = (target.criterion_code or "").strip()
    target.target_score = _score(target.target_score)
    if target.criterion_code:
        known = _criteria_of(target.plan)
        if target.criterion_code not in known:
            raise DomainError(
                f"{target.criterion_code!r} is not a criterion of this relationship's scorecard.",
                field="criterion_code",
                code="unknown_criterion",
            )
        target.label = target.label or known[target.criterion_code]
    if not target.label:
        raise DomainError("A target needs a label.", field="label", code="required")
    if target.due_on is None:
        raise DomainError("A target needs a due date.", field="due_on", code="required")
    validate_fields(target, exclude=["plan"])


def improvement_target_add(
    *,
    actor: Any,
    plan: ImprovementPlan,
    target_score: Any,
    due_on: dt.date | None = None,
    label: str = "",
    criterion_code: str = "",
) -> ImprovementTarget:
    """Add a target (a criterion, or the overall score when no criterion is named) to an open
    plan; it is due with the plan unless told otherwise."""
    require(actor, Action.CHANGE, plan)
    _require_open(plan)
    target = ImprovementTarget(
        plan=plan,
        label=label,
        criterion_code=criterion_code,
        target_score=target_score,
        due_on=due_on or plan.due_on,
    )
    _check_target(target)
    return create_record(target, actor=actor)


def improvement_target_update(
    *, actor: Any, target: ImprovementTarget, expected_version: int, **changes: Any
) -> ImprovementTarget:
    require(actor, Action.CHANGE, target)
    refuse_unknown_fields(changes, TARGET_EDITABLE)
    _require_open(target.plan)
    if "target_score" in changes:
        changes["target_score"] = _score(changes["target_score"])
    return update_record(
        target,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_target,
    )


def improvement_target_mark_met(
    *, actor: Any, target: ImprovementTarget, met_on: dt.date | None = None
) -> ImprovementTarget:
    """Record that the target was met (today unless told); marking it again changes nothing."""
    require(actor, Action.CHANGE, target)
    _require_open(target.plan)
    day = met_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("A target cannot be met in the future.", field="met_on")
    with transaction.atomic():
        locked = lock_for_update(target, expected_version=None)
        if locked.met_on is not None:
            return locked
        locked.met_on = day
        return save_with_history(locked, actor=actor, reason="Target met")
