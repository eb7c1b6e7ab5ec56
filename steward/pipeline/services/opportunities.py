"""Opportunities: created on an account, edited, moved through the stages, won, lost, reopened.

Every change of stage, amount, close date or forecast category leaves a ``StageChange`` with
the probability and amount of the moment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, allows, require, require_create
from steward.core.display import person_name
from steward.core.errors import DomainError, TransitionError
from steward.core.services import (
    archive_record,
    check_internal_person,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    text,
    validate_fields,
)
from steward.parties.choices import Side
from steward.parties.models import Relationship, Site
from steward.pipeline import stages
from steward.pipeline.calibration import probability_for
from steward.pipeline.choices import (
    OPEN_STAGES,
    ForecastCategory,
    PenetrationType,
    Stage,
)
from steward.pipeline.models import Opportunity, OpportunityLine
from steward.pipeline.services.common import record_stage_change, require_current, tracked_state
from steward.spend.services.reference_checks import currency_code

UPDATE_FIELDS = frozenset(
    {
        "name",
        "owner",
        "close_date",
        "next_step",
        "description",
        "penetration_type",
        "site",
        "buying_unit",
        "currency",
        "forecast_category",
    }
)
# What a closed opportunity still lets one change: its words, never its numbers.
CLOSED_FIELDS = frozenset({"name", "next_step", "description"})


def group_organization_ids(relationship: Relationship) -> set[int]:
    """The account's organization, its parent and the parent's (or its own) subsidiaries."""
    organization = relationship.organization
    ids = {organization.pk, *organization.subsidiaries.values_list("pk", flat=True)}
    if organization.parent_id:
        ids.add(organization.parent_id)
        ids.update(
            type(organization)
            .objects.filter(parent_id=organization.parent_id)
            .values_list("pk", flat=True)
        )
    return ids


def _check_account(relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "Opportunities belong to customer accounts (the demand side).",
            field="relationship",
            code="not_an_account",
        )
    if relationship.is_archived:
        raise DomainError("The account is archived.", field="relationship", code="archived")


def _check_owner(owner: Any, relationship: Relationship) -> None:
    check_internal_person(owner, field="owner", role="owner")
    if not allows(owner, Action.VIEW, relationship):
        raise DomainError(
            f"{person_name(owner)} cannot see this account; choose someone on its team.",
            field="owner",
            code="cannot_see_account",
        )


def _check_place(opportunity: Opportunity) -> None:
    site: Site | None = opportunity.site
    relationship = opportunity.relationship
    if site is not None and (
        site.organization_id not in group_organization_ids(relationship) or site.is_archived
    ):
        raise DomainError(
            "The location is not one of the customer's (or its group's).",
            field="site",
            code="invalid",
        )
    unit = opportunity.buying_unit
    if unit is not None and (unit.relationship_id != relationship.pk or unit.is_archived):
        raise DomainError(
            "The buying unit is not one of this account's.", field="buying_unit", code="invalid"
        )


def _check_category(opportunity: Opportunity) -> None:
    wanted = opportunity.forecast_category
    if opportunity.stage == Stage.WON and wanted != ForecastCategory.CLOSED:
        raise DomainError(
            "A won opportunity is always closed.", field="forecast_category", code="invalid"
        )
    if opportunity.stage == Stage.LOST and wanted != ForecastCategory.OMITTED:
        raise DomainError(
            "A lost opportunity is always omitted.", field="forecast_category", code="invalid"
        )
    if stages.is_open(opportunity.stage) and wanted not in stages.OPEN_CATEGORIES:
        raise DomainError(
            "An open opportunity is pipeline, best case, commit or omitted; closed is for a "
            "won one.",
            field="forecast_category",
            code="invalid",
        )


def _check_penetration(value: Any) -> None:
    if value not in PenetrationType.values:
        raise DomainError(
            "Choose how the opportunity penetrates the account.",
            field="penetration_type",
            code="required" if not value else "invalid",
        )


def _check_close_date(value: Any) -> None:
    if not isinstance(value, dt.date):
        raise DomainError("Give the expected close date.", field="close_date", code="required")


def opportunity_create(
    *,
    actor: Any,
    relationship: Relationship,
    name: str,
    close_date: dt.date,
    penetration_type: str,
    owner: Any = None,
    stage: str = Stage.PROSPECTING,
    currency: str = "EUR",
    site: Site | None = None,
    buying_unit: Any = None,
    next_step: str = "",
    description: str = "",
    forecast_category: str | None = None,
    whitespace_cell: Any = None,
) -> Opportunity:
    """Open an opportunity on an account the actor may change; the actor owns it by default."""
    require(actor, Action.CHANGE, relationship)
    require_create(actor, Opportunity, parent=relationship)
    _check_account(relationship)
    owner = owner or actor
    _check_owner(owner, relationship)
    if stage not in OPEN_STAGES:
        raise DomainError("A new opportunity starts in an open stage.", field="stage")
    _check_penetration(penetration_type)
    _check_close_date(close_date)
    opportunity = Opportunity(
        relationship=relationship,
        name=text(name, field="name", label="name", required=True, limit=200),
        owner=owner,
        stage=stage,
        probability=probability_for(stage),
        forecast_category=forecast_category or stages.DEFAULT_CATEGORY[stage],
        close_date=close_date,
        penetration_type=penetration_type,
        currency=currency_code(currency, field="currency"),
        site=site,
        buying_unit=buying_unit,
        whitespace_cell=whitespace_cell,
        next_step=text(next_step, field="next_step", label="next step", limit=255),
        description=text(description, field="description", label="description"),
    )
    _check_place(opportunity)
    _check_category(opportunity)
    validate_fields(opportunity, exclude=["relationship", "owner", "site", "buying_unit"])
    with transaction.atomic():
        create_record(opportunity, actor=actor, reason="Opened")
        record_stage_change(opportunity, actor=actor, from_stage="")
    return opportunity


def _clean_changes(opportunity: Opportunity, changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(changes)
    if "name" in cleaned:
        cleaned["name"] = text(
            cleaned["name"], field="name", label="name", required=True, limit=200
        )
    if "next_step" in cleaned:
        cleaned["next_step"] = text(
            cleaned["next_step"], field="next_step", label="next step", limit=255
        )
    if "description" in cleaned:
        cleaned["description"] = text(
            cleaned["description"], field="description", label="description"
        )
    if "currency" in cleaned:
        cleaned["currency"] = currency_code(cleaned["currency"], field="currency")
    if "penetration_type" in cleaned:
        _check_penetration(cleaned["penetration_type"])
    if "close_date" in cleaned:
        _check_close_date(cleaned["close_date"])
    if "owner" in cleaned:
        if cleaned["owner"] is None:
            raise DomainError("Choose the owner.", field="owner", code="required")
        if cleaned["owner"] != opportunity.owner:
            _check_owner(cleaned["owner"], opportunity.relationship)
    return cleaned


def _refuse_closed_changes(opportunity: Opportunity, changes: dict[str, Any]) -> None:
    if not opportunity.is_closed:
        return
    for name in sorted(set(changes) - CLOSED_FIELDS):
        if getattr(opportunity, name) != changes[name]:
            raise DomainError(
                f"The opportunity is {opportunity.get_stage_display().lower()}: its "
                f"{name.replace('_', ' ')} no longer changes.",
                field=name,
                code="closed",
            )


def opportunity_update(
    *, actor: Any, opportunity: Opportunity, expected_version: int | None, **changes: Any
) -> Opportunity:
    """Change what the owner decides; the numbers of a closed one stay as they closed."""
    refuse_unknown_fields(changes, UPDATE_FIELDS)
    require(actor, Action.CHANGE, opportunity)
    cleaned = _clean_changes(opportunity, changes)
    with transaction.atomic():
        current = lock_for_update(opportunity, expected_version=expected_version)
        require_current(current)
        _refuse_closed_changes(current, cleaned)
        if (
            "currency" in cleaned
            and cleaned["currency"] != current.currency
            and OpportunityLine.objects.filter(
                opportunity=current, archived_at__isnull=True
            ).exists()
        ):
            raise DomainError(
                "The lines are priced in the current currency; remove them before changing it.",
                field="currency",
                code="has_lines",
            )
        before = tracked_state(current)
        changed = False
        for name, value in cleaned.items():
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed = True
        if not changed:
            return current
        _check_place(current)
        _check_category(current)
        validate_fields(current, exclude=["relationship", "owner", "site", "buying_unit"])
        save_with_history(current, actor=actor, reason="Changed")
        if tracked_state(current) != before:
            record_stage_change(current, actor=actor, from_stage=current.stage)
    return current


def _transition(
    *,
    actor: Any,
    opportunity: Opportunity,
    to_stage: str,
    expected_version: int | None,
    reason: str,
    apply: Any = None,
    from_stages: tuple[str, ...] | None = None,
) -> Opportunity:
    require(actor, Action.CHANGE, opportunity)
    with transaction.atomic():
        current = lock_for_update(opportunity, expected_version=expected_version)
        require_current(current)
        from_stage = current.stage
        if not stages.can_move(from_stage, to_stage) or (
            from_stages is not None and from_stage not in from_stages
        ):
            raise TransitionError(
                f"An opportunity cannot go from {Stage(from_stage).label.lower()} to "
                f"{Stage(to_stage).label.lower()}.",
                field="stage",
            )
        current.stage = to_stage
        current.probability = probability_for(to_stage)
        current.forecast_category = stages.DEFAULT_CATEGORY[to_stage]
        if apply is not None:
            apply(current)
        save_with_history(current, actor=actor, reason=reason)
        record_stage_change(current, actor=actor, from_stage=from_stage)
    return current


def opportunity_move(
    *, actor: Any, opportunity: Opportunity, stage: str, expected_version: int | None = None
) -> Opportunity:
    """Move an open opportunity to another open stage; probability and category follow it."""
    if stage not in OPEN_STAGES:
        raise TransitionError(
            "Move to an open stage; win or lose it to close it.", field="stage", code="invalid"
        )
    return _transition(
        actor=actor,
        opportunity=opportunity,
        to_stage=stage,
        expected_version=expected_version,
        reason=f"Moved to {Stage(stage).label.lower()}",
        from_stages=OPEN_STAGES,
    )


def opportunity_win(
    *,
    actor: Any,
    opportunity: Opportunity,
    closed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Opportunity:
    """Close as won (final): it needs a line; a whitespace cell it came from becomes ours."""
    day = closed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("A win is dated today or earlier.", field="closed_on", code="future")
    if not OpportunityLine.objects.filter(
        opportunity=opportunity, archived_at__isnull=True
    ).exists():
        raise DomainError(
            "Add at least one line (what was sold) before winning it.",
            field="lines",
            code="no_lines",
        )

    def close(current: Opportunity) -> None:
        current.closed_on = day
        current.close_date = day
        current.lost_reason = ""

    with transaction.atomic():
        won = _transition(
            actor=actor,
            opportunity=opportunity,
            to_stage=Stage.WON,
            expected_version=expected_version,
            reason="Won",
            apply=close,
        )
        if won.whitespace_cell_id:
            from steward.pipeline.services.cells import mark_cell_ours

            mark_cell_ours(actor=actor, opportunity=won)
    return won


def opportunity_lose(
    *,
    actor: Any,
    opportunity: Opportunity,
    reason: str,
    closed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Opportunity:
    """Close as lost, saying why."""
    why = text(reason, field="reason", label="reason it was lost", required=True)
    day = closed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("A loss is dated today or earlier.", field="closed_on", code="future")

    def close(current: Opportunity) -> None:
        current.closed_on = day
        current.close_date = day
        current.lost_reason = why

    return _transition(
        actor=actor,
        opportunity=opportunity,
        to_stage=Stage.LOST,
        expected_version=expected_version,
        reason="Lost",
        apply=close,
    )


def opportunity_reopen(
    *,
    actor: Any,
    opportunity: Opportunity,
    stage: str,
    close_date: dt.date,
    expected_version: int | None = None,
) -> Opportunity:
    """Reopen a lost opportunity into an open stage with a new expected close date."""
    if stage not in OPEN_STAGES:
        raise TransitionError("Reopen into an open stage.", field="stage", code="invalid")
    _check_close_date(close_date)
    if close_date < timezone.localdate():
        raise DomainError("The new close date is today or later.", field="close_date", code="past")

    def reopen(current: Opportunity) -> None:
        current.closed_on = None
        current.close_date = close_date

    return _transition(
        actor=actor,
        opportunity=opportunity,
        to_stage=stage,
        expected_version=expected_version,
        reason="Reopened",
        apply=reopen,
        from_stages=(Stage.LOST,),
    )


def opportunity_archive(
    *, actor: Any, opportunity: Opportunity, expected_version: int | None = None
) -> Opportunity:
    require(actor, Action.DELETE, opportunity)
    return archive_record(opportunity, actor=actor, expected_version=expected_version)


def opportunity_restore(
    *, actor: Any, opportunity: Opportunity, expected_version: int | None = None
) -> Opportunity:
    require(actor, Action.DELETE, opportunity)
    return restore_record(opportunity, actor=actor, expected_version=expected_version)
