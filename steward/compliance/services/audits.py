"""Writes on audits: plan, edit, move along the status table, keep evidence, raise findings.

Findings are ``risk.Finding`` rows raised with ``finding_open`` (source: audit) and linked to
the audit; their corrective action is the finding's remediation plan. An audit closes only when
each of its findings is closed or its risk accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from steward.compliance import audits_lifecycle
from steward.compliance.choices import AuditKind, AuditStatus
from steward.compliance.models import Audit, AuditEvidence, AuditFinding
from steward.compliance.services.certifications import check_owner
from steward.compliance.services.files import attach, discard, store_kept_file
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, TransitionError
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
from steward.core.uploads import StoredUpload
from steward.risk.choices import FindingSource
from steward.risk.findings_lifecycle import DONE as FINDING_DONE
from steward.risk.models import Finding
from steward.risk.services import finding_open
from steward.suppliers.models import Supplier

EDITABLE_FIELDS = frozenset({"title", "scope", "kind", "planned_on", "lead_auditor"})


def _check_team(lead_auditor: Any, auditors: Iterable[Any]) -> list[Any]:
    check_owner(lead_auditor)
    team = {lead_auditor.pk: lead_auditor}
    for auditor in auditors:
        try:
            check_owner(auditor)
        except DomainError as error:
            raise DomainError(
                f"{auditor} cannot audit: auditors must be active inside users.",
                field="auditors",
                code=error.code,
            ) from error
        team[auditor.pk] = auditor
    return list(team.values())


def _validated(audit: Audit) -> None:
    if audit.kind not in AuditKind.values:
        raise DomainError(f"“{audit.kind}” is not a kind of audit.", field="kind")
    validate_fields(audit, exclude=["supplier", "lead_auditor"])


def audit_plan(
    *,
    actor: Any,
    supplier: Supplier,
    title: str,
    kind: str,
    planned_on: dt.date | None,
    lead_auditor: Any | None = None,
    auditors: Iterable[Any] = (),
    scope: str = "",
) -> Audit:
    """Plan an audit of a vendor; the lead auditor is always on the team."""
    require_create(actor, Audit, parent=supplier)
    if planned_on is None:
        raise DomainError("Give the date the audit is planned for.", field="planned_on")
    lead = lead_auditor or actor
    team = _check_team(lead, auditors)
    audit = Audit(
        supplier=supplier,
        title=(title or "").strip(),
        scope=(scope or "").strip(),
        kind=kind,
        planned_on=planned_on,
        lead_auditor=lead,
    )
    _validated(audit)
    return create_record(audit, actor=actor, reason="Planned", many={"auditors": team})


def audit_update(
    *,
    actor: Any,
    audit: Audit,
    expected_version: int | None,
    auditors: Iterable[Any] | None = None,
    **changes: Any,
) -> Audit:
    refuse_unknown_fields(changes, EDITABLE_FIELDS)
    require(actor, Action.CHANGE, audit)
    if audit.status in audits_lifecycle.FINISHED:
        raise DomainError(
            f"This audit is {audit.get_status_display().lower()}; it can no longer change.",
            code="audit_finished",
        )
    for text in ("title", "scope"):
        if text in changes:
            changes[text] = (changes[text] or "").strip()
    many = None
    if auditors is not None or "lead_auditor" in changes:
        lead = changes.get("lead_auditor", audit.lead_auditor)
        current = list(audit.auditors.all()) if auditors is None else list(auditors)
        many = {"auditors": _check_team(lead, current)}
    return update_record(
        audit,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        many=many,
        validate=_validated,
        reason="Details changed",
    )


def audit_transition(
    *,
    actor: Any,
    audit: Audit,
    to_status: str,
    note: str = "",
    report_summary: str | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Audit:
    """Move an audit along its table. Issuing the report needs its summary, cancelling a
    reason, and closing needs every finding closed or accepted."""
    require(actor, Action.CHANGE, audit)
    if to_status not in AuditStatus.values:
        raise DomainError(f"“{to_status}” is not an audit status.", field="status")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_for_update(audit, expected_version=expected_version)
        if to_status not in audits_lifecycle.allowed_next(locked.status):
            raise TransitionError(
                f"An audit cannot move from {locked.get_status_display()} to "
                f"{AuditStatus(to_status).label}."
            )
        note = (note or "").strip()
        if report_summary is not None:
            locked.report_summary = report_summary.strip()
        if to_status == AuditStatus.REPORT_ISSUED and not locked.report_summary:
            raise DomainError(
                "Write the report summary before issuing the report.",
                field="report_summary",
                code="required",
            )
        if to_status == AuditStatus.CANCELLED and not note:
            raise DomainError("Say why the audit is cancelled.", field="note", code="required")
        if to_status == AuditStatus.CLOSED:
            _refuse_open_findings(locked)
        before = locked.get_status_display()
        locked.status = to_status
        if note:
            locked.status_note = note
        if to_status == AuditStatus.IN_PROGRESS:
            locked.started_on = today
        elif to_status == AuditStatus.REPORT_ISSUED:
            locked.report_issued_on = today
        elif to_status in audits_lifecycle.FINISHED:
            locked.closed_at = timezone.now()
        return save_with_history(
            locked, actor=actor, reason=f"{before} → {locked.get_status_display()}"
        )


def _refuse_open_findings(audit: Audit) -> None:
    open_titles = list(
        Finding.objects.filter(audit_link__audit=audit)
        .exclude(status__in=FINDING_DONE)
        .order_by("pk")
        .values_list("title", flat=True)[:5]
    )
    if open_titles:
        shown = "; ".join(f"“{title}”" for title in open_titles)
        raise DomainError(
            f"The audit cannot close while findings are open: {shown}. "
            "Close each finding or accept its risk first.",
            field="status",
            code="open_findings",
        )


def audit_finding_raise(
    *,
    actor: Any,
    audit: Audit,
    title: str,
    severity: str,
    corrective_action: str = "",
    detail: str = "",
    owner: Any | None = None,
    remediation_due_on: dt.date | None = None,
    shared_with_portal: bool = True,
) -> Finding:
    """Raise a finding against the audited vendor and link it to the audit."""
    require(actor, Action.CHANGE, audit)
    with transaction.atomic():
        locked = lock_for_update(audit, expected_version=None)
        if locked.status not in audits_lifecycle.TAKES_FINDINGS:
            raise DomainError(
                "Findings are raised while the audit is in progress or its report is written; "
                f"this audit is {locked.get_status_display().lower()}.",
                code="audit_not_running",
            )
        finding = finding_open(
            actor=actor,
            supplier=locked.supplier,
            source=FindingSource.AUDIT,
            title=(title or "").strip(),
            severity=severity,
            owner=owner,
            remediation_due_on=remediation_due_on,
            detail=(detail or "").strip(),
            origin=locked.title,
            shared_with_portal=shared_with_portal,
            # The corrective action agreed with the vendor is the finding's remediation plan.
            remediation_plan=(corrective_action or "").strip(),
        )
        AuditFinding.objects.create(audit=locked, finding=finding)
    return finding


def audit_evidence_add(
    *, actor: Any, audit: Audit, upload: UploadedFile, note: str = ""
) -> AuditEvidence:
    """Keep a file as evidence of the audit; evidence is never replaced or deleted."""
    require(actor, Action.CHANGE, audit)
    if audit.status == AuditStatus.CANCELLED:
        raise DomainError("This audit was cancelled; it takes no evidence.", field="file")
    stored: StoredUpload | None = None
    try:
        stored = store_kept_file(upload)
        evidence = AuditEvidence(audit=audit, note=(note or "").strip(), uploaded_by=actor)
        attach(evidence, stored)
        evidence.save()
    except BaseException:
        discard(stored)
        raise
    return evidence


def audit_archive(*, actor: Any, audit: Audit, expected_version: int | None = None) -> Audit:
    """Archive an audit entered by mistake: it leaves the lists and keeps its history."""
    require(actor, Action.DELETE, audit)
    return archive_record(audit, actor=actor, expected_version=expected_version)


def audit_restore(*, actor: Any, audit: Audit, expected_version: int | None = None) -> Audit:
    require(actor, Action.DELETE, audit)
    return restore_record(audit, actor=actor, expected_version=expected_version)
