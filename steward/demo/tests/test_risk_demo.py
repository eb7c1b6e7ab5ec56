"""The small demo's risk and compliance story (issue 7): a tier-1 vendor with an overdue
reassessment, registers over the heat map, a fourth party several vendors share, a concentrated
category, an expiring SOC 2 and an expired insurance certificate, a closed audit, assessments in
every state, and an open portal invitation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from steward.assessments.models import Assessment
from steward.compliance.choices import AuditStatus, CertificationKind, RequestStatus
from steward.compliance.models import Audit, Certification, DocumentRequest
from steward.demo.services import DemoLoadResult, demo_load
from steward.people.choices import JobRole
from steward.portal.models import Invitation
from steward.risk import scoring, selectors
from steward.risk.choices import FindingSource, FindingStatus
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoLoadResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(size="small")
        transaction.set_rollback(True)


def _admin() -> Any:
    # Any administrator sees every vendor, so the figures are the whole demo's.
    return get_user_model().objects.filter(groups__name=JobRole.ADMINISTRATOR).first()


def test_a_tier_one_vendor_is_overdue_for_reassessment(world: DemoLoadResult) -> None:
    today = timezone.localdate()
    overdue = RiskProfile.objects.filter(tier=1, next_assessment_due__lt=today)
    assert overdue.exists()
    assert RiskProfile.objects.count() >= 5


def test_registers_spread_over_the_heat_map(world: DemoLoadResult) -> None:
    bands = {scoring.rating(r.residual_score) for r in Risk.objects.filter(status="open")}
    assert bands == {"low", "medium", "high", "critical"}


def test_a_fourth_party_several_vendors_depend_on_and_a_concentrated_category(
    world: DemoLoadResult,
) -> None:
    assert Subcontractor.objects.filter(parent__isnull=False).exists()
    figures = selectors.concentration(user=_admin(), today=timezone.localdate())
    # The cloud host three vendors depend on, one of them only through another fourth party
    assert [len(row.vendors) for row in figures.fourth_parties].count(3) == 1
    assert figures.categories


def test_an_expiring_soc2_an_expired_insurance_certificate_and_a_closed_audit(
    world: DemoLoadResult,
) -> None:
    today = timezone.localdate()
    soc2 = Certification.objects.get(
        kind=CertificationKind.SOC2_TYPE2, superseded_at__isnull=True, supersedes__isnull=False
    )
    assert soc2.status_on(today) == "expiring"
    assert 0 < (soc2.expires_on - today).days <= 62
    insurance = Certification.objects.filter(kind=CertificationKind.INSURANCE)
    assert any(certificate.status_on(today) == "expired" for certificate in insurance)
    assert DocumentRequest.objects.filter(status=RequestStatus.OPEN).exists()
    closed = Audit.objects.get(status=AuditStatus.CLOSED)
    assert all(link.finding.status == FindingStatus.CLOSED for link in closed.finding_links.all())
    assert Audit.objects.filter(status=AuditStatus.PLANNED).exists()


def test_assessments_in_every_state_and_the_findings_they_raised(world: DemoLoadResult) -> None:
    today = timezone.localdate()
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert {"completed", "sent", "submitted"} <= statuses
    assert Assessment.objects.filter(status="sent", due_on__lt=today).exists()
    completed = Assessment.objects.filter(status="completed").first()
    assert completed is not None
    assert completed.score is not None
    assert Finding.objects.filter(source=FindingSource.ASSESSMENT).exists()


def test_an_open_portal_invitation(world: DemoLoadResult) -> None:
    assert any(invitation.status == "open" for invitation in Invitation.objects.all())


def test_it_security_has_a_login_that_leads_to_the_risk_work(world: DemoLoadResult) -> None:
    security = [login for login in world.logins if login.role == "IT security"]
    assert len(security) == 1
    assert get_user_model().objects.get(username=security[0].username).profile.function == (
        "it_security"
    )
    portal = next(login for login in world.logins if login.username == "portal")
    assert "assessments" in portal.sees
