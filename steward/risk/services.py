"""Writes on third-party risk: the tiering intake and findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.services import (
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    save_with_history,
    validate_fields,
)
from steward.risk import findings_lifecycle, tiering
from steward.risk.choices import FindingStatus
from steward.risk.models import Finding, RiskProfile
from steward.suppliers.models import Supplier

INTAKE_FIELDS = frozenset(
    {
        "data_handled",
        "system_access",
        "business_criticality",
        "substitutability",
        "regulatory_exposure",
    }
)


# --- the tiering intake ------------------------------------------------------------------------


def _apply_tier(profile: RiskProfile, supplier: Supplier) -> None:
    intake = profile.intake(supplier.annual_spend)
    profile.points = tiering.points(intake)
    profile.tier = tiering.tier_for(intake)
    if profile.last_assessed_on is not None:
        profile.next_assessment_due = profile.last_assessed_on + relativedelta(
            months=profile.policy.reassess_months
        )


def risk_profile_save(
    *, actor: Any, supplier: Supplier, expected_version: int | None = None, **intake: Any
) -> RiskProfile:
    """Record a vendor's tiering intake (creating its profile the first time) and its tier."""
    refuse_unknown_fields(intake, INTAKE_FIELDS)
    require(actor, Action.CHANGE, supplier)
    with transaction.atomic():
        existing = RiskProfile.objects.filter(pk=supplier.pk).first()
        if existing is None:
            profile = RiskProfile(supplier=supplier, **intake)
            validate_fields(profile, exclude=["supplier"])
            _apply_tier(profile, supplier)
            return create_record(profile, actor=actor, reason="Tiering intake")
        profile = lock_for_update(existing, expected_version=expected_version)
        for name, value in intake.items():
            setattr(profile, name, value)
        validate_fields(profile, exclude=["supplier"])
        before = profile.tier
        _apply_tier(profile, supplier)
        reason = "Tiering intake" if before == profile.tier else f"Tier {before} → {profile.tier}"
        return save_with_history(profile, actor=actor, reason=reason)


def risk_profile_mark_assessed(
    *, actor: Any, supplier: Supplier, assessed_on: dt.date
) -> RiskProfile | None:
    """An assessment was completed: the next one falls due by the tier's frequency."""
    profile = RiskProfile.objects.filter(pk=supplier.pk).first()
    if profile is None:
        return None
    profile.last_assessed_on = assessed_on
    _apply_tier(profile, supplier)
    return save_with_history(profile, actor=actor, reason="Assessment completed")


# --- findings ----------------------------------------------------------------------------------


def finding_open(
    *,
    actor: Any,
    supplier: Supplier,
    source: str,
    title: str,
    severity: str,
    owner: Any | None = None,
    remediation_due_on: dt.date | None = None,
    detail: str = "",
    origin: str = "",
    shared_with_portal: bool = True,
) -> Finding:
    """Raise a finding against a vendor; whoever may change the vendor (or IT security) may."""
    require_create(actor, Finding, parent=supplier)
    finding = Finding(
        supplier=supplier,
        source=source,
        title=title,
        severity=severity,
        owner=owner or actor,
        remediation_due_on=remediation_due_on,
        detail=detail,
        origin=origin[:200],
        shared_with_portal=shared_with_portal,
    )
    validate_fields(finding)
    return create_record(finding, actor=actor, reason="Finding raised")


def finding_transition(
    *,
    actor: Any,
    finding: Finding,
    to_status: str,
    note: str = "",
    expected_version: int | None = None,
) -> Finding:
    """Move a finding along its status table; closing, accepting and reopening need a note."""
    require(actor, Action.CHANGE, finding)
    if to_status not in FindingStatus.values:
        raise DomainError(f"“{to_status}” is not a finding status.", field="status")
    with transaction.atomic():
        locked = lock_for_update(finding, expected_version=expected_version)
        if to_status not in findings_lifecycle.allowed_next(locked.status):
            raise TransitionError(
                f"A finding cannot move from {locked.get_status_display()} to "
                f"{FindingStatus(to_status).label}."
            )
        needs_note = (
            to_status in findings_lifecycle.DONE or locked.status in findings_lifecycle.DONE
        )
        if needs_note and not note.strip():
            raise DomainError("Say why: a note is required for this change.", field="note")
        before = locked.get_status_display()
        locked.status = to_status
        if to_status in findings_lifecycle.DONE:
            locked.closed_at = timezone.now()
            locked.closure_note = note.strip()
        elif to_status == FindingStatus.OPEN:
            locked.closed_at = None
        return save_with_history(
            locked, actor=actor, reason=f"{before} → {locked.get_status_display()}"
        )
