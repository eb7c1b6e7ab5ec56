"""Writes on third-party risk: the tiering intake, the risk register, the vendor risk score,
fourth parties and findings. Every write goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Sum, Value, When
from django.utils import timezone

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError, DuplicateError, TransitionError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.parties.models import Organization, Relationship
from steward.risk import findings_lifecycle, panels, scoring, tiering
from steward.risk.choices import FindingSeverity, FindingStatus, RiskStatus
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor
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
    with transaction.atomic():
        existing = RiskProfile.objects.filter(pk=supplier.pk).first()
        # Whoever may change the vendor, and IT security (the profile's access spec), may.
        if existing is None:
            require_create(actor, RiskProfile, parent=supplier)
        else:
            require(actor, Action.CHANGE, existing)
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
    remediation_plan: str = "",
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
        remediation_plan=remediation_plan,
    )
    validate_fields(finding)
    with transaction.atomic():
        create_record(finding, actor=actor, reason="Finding raised")
        vendor_risk_score_refresh(supplier_ids=[supplier.pk])
    return finding


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
        save_with_history(locked, actor=actor, reason=f"{before} → {locked.get_status_display()}")
        vendor_risk_score_refresh(supplier_ids=[locked.supplier_id])
        return locked


FINDING_FIELDS = frozenset(
    {"title", "detail", "severity", "owner", "remediation_due_on", "shared_with_portal"}
)


def finding_update(
    *, actor: Any, finding: Finding, expected_version: int | None, **changes: Any
) -> Finding:
    """Edit a finding's description, severity, owner, due date or sharing."""
    refuse_unknown_fields(changes, FINDING_FIELDS)
    require(actor, Action.CHANGE, finding)
    if "owner" in changes:
        _require_internal(changes["owner"], field="owner")
    with transaction.atomic():
        updated = update_record(
            finding,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            reason="Finding edited",
            validate=lambda record: validate_fields(record, exclude=["supplier", "owner"]),
        )
        vendor_risk_score_refresh(supplier_ids=[updated.supplier_id])
    return updated


def finding_respond(
    *,
    actor: Any,
    finding: Finding,
    remediation_plan: str,
    expected_version: int | None = None,
) -> Finding:
    """The vendor records how it will remediate a finding shared with it.

    A portal write: the finding is first read through the policy (a portal user sees only their
    organization's shared findings), then the writer must be a portal user of that vendor or an
    inside user who may change the finding. An open finding moves into remediation.
    """
    require(actor, Action.VIEW, finding)
    principal = principal_for(actor)
    organization_id = finding.supplier.relationship.organization_id
    if principal.is_external:
        if principal.portal_organization_id != organization_id or not finding.shared_with_portal:
            raise PermissionDenied("You may not answer this finding.")
    else:
        require(actor, Action.CHANGE, finding)
    plan = (remediation_plan or "").strip()
    if not plan:
        raise DomainError(
            "Describe the remediation plan: what will be done, and by when.",
            field="remediation_plan",
            code="required",
        )
    if len(plan) > REMEDIATION_PLAN_LENGTH:
        raise DomainError(
            f"Keep the remediation plan under {REMEDIATION_PLAN_LENGTH} characters.",
            field="remediation_plan",
            code="max_length",
        )
    with transaction.atomic():
        locked = lock_for_update(finding, expected_version=expected_version)
        if locked.status in findings_lifecycle.DONE:
            raise DomainError(
                f"This finding is {locked.get_status_display().lower()}; it needs no plan.",
                field="remediation_plan",
                code="not_open",
            )
        locked.remediation_plan = plan
        reason = "Remediation plan recorded"
        if locked.status == FindingStatus.OPEN:
            locked.status = FindingStatus.REMEDIATING
            reason = "Remediation plan recorded: in remediation"
        return save_with_history(locked, actor=actor, reason=reason)


REMEDIATION_PLAN_LENGTH = 10_000


# --- people ------------------------------------------------------------------------------------


def _require_internal(user: Any, *, field: str) -> None:
    principal = principal_for(user)
    if not principal.is_internal:
        raise DomainError(
            "Choose an active person of the organization (not a portal user).",
            field=field,
            code="not_internal",
        )


# --- the risk register -------------------------------------------------------------------------

RISK_FIELDS = frozenset(
    {
        "category",
        "title",
        "description",
        "inherent_likelihood",
        "inherent_impact",
        "controls",
        "residual_likelihood",
        "residual_impact",
        "treatment",
        "treatment_plan",
        "owner",
        "review_on",
    }
)


def _validate_risk(risk: Risk) -> None:
    validate_fields(risk, exclude=["relationship", "owner"])
    inherent, residual = risk.inherent_score, risk.residual_score
    if residual > inherent:
        raise DomainError(
            f"The residual score ({risk.residual_likelihood} x {risk.residual_impact} = "
            f"{residual}) may not exceed the inherent score ({risk.inherent_likelihood} x "
            f"{risk.inherent_impact} = {inherent}): controls lower a risk, never raise it.",
            field="residual_likelihood",
            code="residual_above_inherent",
        )


def risk_create(
    *,
    actor: Any,
    relationship: Relationship,
    category: str,
    title: str,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int,
    residual_impact: int,
    owner: Any | None = None,
    description: str = "",
    controls: str = "",
    treatment: str = "mitigate",
    treatment_plan: str = "",
    review_on: dt.date | None = None,
) -> Risk:
    """Enter a risk in a relationship's register; the vendor's risk score follows."""
    require_create(actor, Risk, parent=relationship)
    owner = owner or relationship.owner
    _require_internal(owner, field="owner")
    if relationship.is_archived:
        raise DomainError(
            "The relationship is archived; restore it first.", field="relationship", code="archived"
        )
    risk = Risk(
        relationship=relationship,
        category=category,
        title=(title or "").strip(),
        description=description,
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        controls=controls,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        treatment=treatment,
        treatment_plan=treatment_plan,
        owner=owner,
        review_on=review_on,
    )
    _validate_risk(risk)
    with transaction.atomic():
        create_record(risk, actor=actor, reason="Risk entered")
        vendor_risk_score_refresh(supplier_ids=[relationship.pk])
    return risk


def risk_update(*, actor: Any, risk: Risk, expected_version: int | None, **changes: Any) -> Risk:
    """Edit an open risk: its scores, controls, treatment, owner or review date."""
    refuse_unknown_fields(changes, RISK_FIELDS)
    require(actor, Action.CHANGE, risk)
    if "owner" in changes:
        _require_internal(changes["owner"], field="owner")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    if risk.status != RiskStatus.OPEN:
        raise DomainError("This risk is closed; reopen it to edit it.", code="closed")
    with transaction.atomic():
        updated = update_record(
            risk,
            actor=actor,
            expected_version=expected_version,
            changes=changes,
            reason="Risk edited",
            validate=_validate_risk,
        )
        vendor_risk_score_refresh(supplier_ids=[updated.relationship_id])
    return updated


def _risk_move(
    *, actor: Any, risk: Risk, to_status: str, note: str, expected_version: int | None
) -> Risk:
    require(actor, Action.CHANGE, risk)
    note = (note or "").strip()
    if not note:
        raise DomainError("Say why: a note is required.", field="note", code="required")
    with transaction.atomic():
        locked = lock_for_update(risk, expected_version=expected_version)
        if locked.status == to_status:
            raise DomainError(
                f"This risk is already {locked.get_status_display().lower()}.",
                field="status",
                code="invalid_transition",
            )
        locked.status = to_status
        closing = to_status == RiskStatus.CLOSED
        locked.closed_at = timezone.now() if closing else None
        locked.closure_note = note if closing else ""
        save_with_history(locked, actor=actor, reason=f"{'Closed' if closing else 'Reopened'}")
        vendor_risk_score_refresh(supplier_ids=[locked.relationship_id])
        return locked


def risk_close(*, actor: Any, risk: Risk, note: str, expected_version: int | None = None) -> Risk:
    """Close a risk (it no longer counts towards the vendor's score); the note says why."""
    return _risk_move(
        actor=actor,
        risk=risk,
        to_status=RiskStatus.CLOSED,
        note=note,
        expected_version=expected_version,
    )


def risk_reopen(*, actor: Any, risk: Risk, note: str, expected_version: int | None = None) -> Risk:
    return _risk_move(
        actor=actor,
        risk=risk,
        to_status=RiskStatus.OPEN,
        note=note,
        expected_version=expected_version,
    )


def risk_archive(*, actor: Any, risk: Risk, expected_version: int | None = None) -> Risk:
    """Take a risk entered by mistake out of the register (kept, and restorable)."""
    require(actor, Action.DELETE, risk)
    with transaction.atomic():
        archived = archive_record(risk, actor=actor, expected_version=expected_version)
        vendor_risk_score_refresh(supplier_ids=[archived.relationship_id])
    return archived


def risk_restore(*, actor: Any, risk: Risk, expected_version: int | None = None) -> Risk:
    require(actor, Action.DELETE, risk)
    with transaction.atomic():
        restored = restore_record(risk, actor=actor, expected_version=expected_version)
        vendor_risk_score_refresh(supplier_ids=[restored.relationship_id])
    return restored


# --- the vendor risk score ---------------------------------------------------------------------


def vendor_risk_score_refresh(
    *, supplier_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> int:
    """Set ``Supplier.risk_score`` from the register, the open findings and the risk factors.

    Set-based: one query for the worst open residual risk per vendor, one for the findings'
    points, one per registered factor provider, one bulk update. Vendors without any risk
    record (no profile, risk, finding or factor) keep a score typed by hand. Returns how many
    scores changed.
    """
    today = today or timezone.localdate()
    suppliers = Supplier.objects.all()
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    current = dict(suppliers.values_list("pk", "risk_score"))
    if not current:
        return 0
    ids = list(current)
    worst: dict[int, int] = dict(
        Risk.objects.filter(
            relationship_id__in=ids, status=RiskStatus.OPEN, archived_at__isnull=True
        )
        .order_by()
        .values("relationship_id")
        .annotate(worst=Max(F("residual_likelihood") * F("residual_impact")))
        .values_list("relationship_id", "worst")
    )
    points = Case(
        *(When(severity=s, then=Value(p)) for s, p in scoring.FINDING_POINTS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    findings: dict[int, int] = dict(
        Finding.objects.filter(
            supplier_id__in=ids,
            status__in=findings_lifecycle.OPEN,
            archived_at__isnull=True,
            severity__in=FindingSeverity.values,
        )
        .order_by()
        .values("supplier_id")
        .annotate(points=Sum(points))
        .values_list("supplier_id", "points")
    )
    factors = {
        supplier_id: sum(factor.points for factor in found)
        for supplier_id, found in panels.risk_factors(ids, today).items()
    }
    tracked = (
        set(RiskProfile.objects.filter(pk__in=ids).values_list("pk", flat=True))
        | set(
            Risk.objects.filter(relationship_id__in=ids).values_list("relationship_id", flat=True)
        )
        | set(Finding.objects.filter(supplier_id__in=ids).values_list("supplier_id", flat=True))
        | set(factors)
    )
    changed = []
    for supplier_id in sorted(tracked & set(ids)):
        value = Decimal(
            scoring.vendor_score(
                worst.get(supplier_id),
                findings.get(supplier_id, 0),
                factors.get(supplier_id, 0),
            )
        )
        if current[supplier_id] != value:
            changed.append(Supplier(pk=supplier_id, risk_score=value))
    # A derived figure, like the segment: written in bulk, without a history entry per vendor.
    Supplier.objects.bulk_update(changed, ["risk_score"], batch_size=500)
    return len(changed)


# --- fourth parties ----------------------------------------------------------------------------

SUBCONTRACTOR_FIELDS = frozenset(
    {"organization", "service", "parent", "criticality", "handles_our_data", "notes"}
)


def _validate_subcontractor(link: Subcontractor) -> None:
    link.service = (link.service or "").strip()
    validate_fields(link, exclude=["supplier", "organization", "parent"])
    if link.organization_id == link.supplier.relationship.organization_id:
        raise DomainError(
            "A vendor is not its own subcontractor; choose another organization.",
            field="organization",
            code="self",
        )
    parent = link.parent
    if parent is not None:
        if parent.supplier_id != link.supplier_id or parent.is_archived:
            raise DomainError(
                "The parent link must be a current subcontractor of the same vendor.",
                field="parent",
                code="invalid",
            )
        seen = {link.pk}
        while parent is not None:
            if parent.pk in seen:
                raise DomainError(
                    "That parent sits under this link; the subcontractors would form a loop.",
                    field="parent",
                    code="cycle",
                )
            seen.add(parent.pk)
            parent = parent.parent
    duplicate = (
        Subcontractor.objects.active()
        .filter(
            supplier_id=link.supplier_id,
            organization_id=link.organization_id,
            parent_id=link.parent_id,
            service__iexact=link.service,
        )
        .exclude(pk=link.pk)
    )
    if duplicate.exists():
        raise DuplicateError(
            f"{link.organization} is already recorded for “{link.service}” at this place.",
            field="service",
        )


def subcontractor_add(
    *,
    actor: Any,
    supplier: Supplier,
    organization: Organization,
    service: str,
    parent: Subcontractor | None = None,
    criticality: int = 3,
    handles_our_data: bool = False,
    notes: str = "",
) -> Subcontractor:
    """Record that a vendor relies on an organization (a fourth party) for a service."""
    require_create(actor, Subcontractor, parent=supplier)
    link = Subcontractor(
        supplier=supplier,
        organization=organization,
        service=service,
        parent=parent,
        criticality=criticality,
        handles_our_data=handles_our_data,
        notes=notes,
    )
    _validate_subcontractor(link)
    return create_record(link, actor=actor, reason="Fourth party recorded")


def subcontractor_update(
    *, actor: Any, subcontractor: Subcontractor, expected_version: int | None, **changes: Any
) -> Subcontractor:
    refuse_unknown_fields(changes, SUBCONTRACTOR_FIELDS)
    require(actor, Action.CHANGE, subcontractor)
    return update_record(
        subcontractor,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        reason="Fourth party edited",
        validate=_validate_subcontractor,
    )


def subcontractor_archive(
    *, actor: Any, subcontractor: Subcontractor, expected_version: int | None = None
) -> Subcontractor:
    """Take a link out of the tree (kept, restorable); the links under it must go first."""
    require(actor, Action.DELETE, subcontractor)
    if Subcontractor.objects.active().filter(parent=subcontractor).exists():
        raise DomainError(
            "Other links sit under this one; archive or move them first.",
            code="has_children",
        )
    return archive_record(subcontractor, actor=actor, expected_version=expected_version)


def subcontractor_restore(
    *, actor: Any, subcontractor: Subcontractor, expected_version: int | None = None
) -> Subcontractor:
    require(actor, Action.DELETE, subcontractor)
    if subcontractor.parent is not None and subcontractor.parent.is_archived:
        raise DomainError("Restore the link it sits under first.", field="parent", code="archived")
    return restore_record(subcontractor, actor=actor, expected_version=expected_version)
