"""Audits: the status table walked pair by pair, findings linked to risk, closing rules,
evidence and the audit team's access."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from steward.compliance import audits_lifecycle, selectors, services
from steward.compliance.choices import AuditKind, AuditStatus
from steward.compliance.models import Audit, AuditFinding
from steward.compliance.tests.factories import audit, pdf, vendor_a
from steward.core.errors import DomainError, TransitionError
from steward.people.tests.factories import UserFactory
from steward.risk.choices import FindingSeverity, FindingSource, FindingStatus
from steward.risk.services import finding_transition

pytestmark = pytest.mark.django_db

EXPECTED = {
    (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS),
    (AuditStatus.PLANNED, AuditStatus.CANCELLED),
    (AuditStatus.IN_PROGRESS, AuditStatus.REPORT_ISSUED),
    (AuditStatus.IN_PROGRESS, AuditStatus.CANCELLED),
    (AuditStatus.REPORT_ISSUED, AuditStatus.CLOSED),
}


def test_the_table_is_the_documented_machine() -> None:
    allowed = {
        (a, b)
        for a, b in itertools.product(AuditStatus.values, repeat=2)
        if b in audits_lifecycle.allowed_next(a)
    }
    assert allowed == EXPECTED


def _at(audit_row: Audit, status: str) -> Audit:
    """Put an audit straight into ``status`` (the walk below then tries one move from it)."""
    Audit.objects.filter(pk=audit_row.pk).update(status=status, report_summary="Summary")
    audit_row.refresh_from_db()
    return audit_row


@pytest.mark.parametrize(("start", "target"), list(itertools.product(AuditStatus.values, repeat=2)))
def test_every_pair_through_the_service(cast, start, target) -> None:
    row = _at(audit(cast), start)
    move = lambda: services.audit_transition(  # noqa: E731
        actor=cast.owner, audit=row, to_status=target, note="Reason given"
    )
    if (start, target) in EXPECTED:
        assert move().status == target
    else:
        with pytest.raises(TransitionError):
            move()
        row.refresh_from_db()
        assert row.status == start


def test_the_happy_path_with_findings(cast) -> None:
    row = audit(cast)
    today = dt.date(2026, 12, 1)
    row = services.audit_transition(
        actor=cast.owner, audit=row, to_status=AuditStatus.IN_PROGRESS, today=today
    )
    assert row.started_on == today
    finding = services.audit_finding_raise(
        actor=cast.owner,
        audit=row,
        title="Visitor log not kept",
        severity=FindingSeverity.MEDIUM,
        corrective_action="Keep a signed visitor log at reception",
        remediation_due_on=dt.date(2027, 1, 31),
    )
    assert finding.source == FindingSource.AUDIT
    assert finding.origin == row.title
    assert finding.remediation_plan == "Keep a signed visitor log at reception"
    assert AuditFinding.objects.get(finding=finding).audit == row
    with pytest.raises(DomainError) as refused:
        services.audit_transition(actor=cast.owner, audit=row, to_status=AuditStatus.REPORT_ISSUED)
    assert refused.value.field == "report_summary"
    row = services.audit_transition(
        actor=cast.owner,
        audit=row,
        to_status=AuditStatus.REPORT_ISSUED,
        report_summary="One medium finding.",
    )
    # Closing waits for the finding
    with pytest.raises(DomainError) as refused:
        services.audit_transition(actor=cast.owner, audit=row, to_status=AuditStatus.CLOSED)
    assert refused.value.code == "open_findings"
    assert "Visitor log not kept" in refused.value.message
    finding_transition(
        actor=cast.owner, finding=finding, to_status=FindingStatus.CLOSED, note="Log in place"
    )
    row = services.audit_transition(actor=cast.owner, audit=row, to_status=AuditStatus.CLOSED)
    assert row.status == AuditStatus.CLOSED
    assert row.closed_at is not None


def test_an_accepted_finding_lets_the_audit_close(cast) -> None:
    row = _at(audit(cast), AuditStatus.IN_PROGRESS)
    finding = services.audit_finding_raise(
        actor=cast.owner, audit=row, title="Old TLS", severity=FindingSeverity.LOW
    )
    row = _at(row, AuditStatus.REPORT_ISSUED)
    finding_transition(
        actor=cast.owner, finding=finding, to_status=FindingStatus.ACCEPTED, note="Legacy"
    )
    assert (
        services.audit_transition(actor=cast.owner, audit=row, to_status=AuditStatus.CLOSED).status
        == AuditStatus.CLOSED
    )


def test_cancelling_needs_a_reason(cast) -> None:
    row = audit(cast)
    with pytest.raises(DomainError) as refused:
        services.audit_transition(actor=cast.owner, audit=row, to_status=AuditStatus.CANCELLED)
    assert refused.value.field == "note"


@pytest.mark.parametrize("status", [AuditStatus.PLANNED, AuditStatus.CLOSED, AuditStatus.CANCELLED])
def test_findings_only_while_running(cast, status) -> None:
    row = _at(audit(cast), status)
    with pytest.raises(DomainError):
        services.audit_finding_raise(
            actor=cast.owner, audit=row, title="x", severity=FindingSeverity.LOW
        )


def test_auditors_on_the_team_work_the_audit(cast) -> None:
    external_auditor = UserFactory(username="lead")
    row = services.audit_plan(
        actor=cast.owner,
        supplier=vendor_a(cast),
        title="Remote review",
        kind=AuditKind.REMOTE,
        planned_on=dt.date(2027, 2, 1),
        lead_auditor=external_auditor,
        auditors=[cast.outsider],
    )
    assert set(row.auditors.all()) == {external_auditor, cast.outsider}
    # outsider sees nothing of vendor A, but is on this audit's team
    assert selectors.audit_get(user=cast.outsider, pk=row.pk) == row
    services.audit_evidence_add(actor=cast.outsider, audit=row, upload=pdf("photo.pdf"))
    # portal users never see audits
    with pytest.raises(Http404):
        selectors.audit_get(user=cast.portal_a, pk=row.pk)


def test_portal_users_cannot_be_auditors(cast) -> None:
    with pytest.raises(DomainError) as refused:
        services.audit_plan(
            actor=cast.owner,
            supplier=vendor_a(cast),
            title="x",
            kind=AuditKind.REMOTE,
            planned_on=dt.date(2027, 2, 1),
            auditors=[cast.portal_a],
        )
    assert refused.value.field == "auditors"
    assert not Audit.objects.exists()


def test_readers_cannot_change_an_audit(cast) -> None:
    row = audit(cast)
    for role in ("auditor", "reviewer", "manager"):
        with pytest.raises(PermissionDenied):
            services.audit_transition(
                actor=cast.user(role), audit=row, to_status=AuditStatus.IN_PROGRESS
            )


def test_update_changes_details_and_team(cast) -> None:
    row = audit(cast)
    updated = services.audit_update(
        actor=cast.owner,
        audit=row,
        expected_version=1,
        title="Hosting site audit",
        auditors=[cast.member],
    )
    assert updated.title == "Hosting site audit"
    assert set(updated.auditors.all()) == {cast.owner, cast.member}
