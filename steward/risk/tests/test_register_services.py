"""The risk register through its services, and the vendor risk score they keep current."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.risk import panels, services
from steward.risk.choices import RiskStatus
from steward.risk.models import Risk
from steward.risk.tests.helpers import risk, score_of, security_person, vendor_of, vendors

pytestmark = pytest.mark.django_db


def test_create_scores_and_rates_the_risk_and_keeps_history(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    entry = risk(cast.owner, cast.rel_a, review_on=dt.date(2026, 6, 30))
    assert (entry.inherent_score, entry.inherent_rating) == (20, "critical")
    assert (entry.residual_score, entry.residual_rating) == (8, "medium")
    assert entry.owner == cast.owner  # the relationship's owner by default
    assert entry.history.count() == 1
    # The worst open residual risk: 8 / 25 x 100 = 32.
    assert score_of(vendor) == Decimal(32)


def test_residual_above_inherent_is_refused_with_the_scores(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        risk(cast.owner, cast.rel_a, inherent_likelihood=2, inherent_impact=3, residual_impact=4)
    assert refused.value.field == "residual_likelihood"
    assert refused.value.code == "residual_above_inherent"
    assert "(2 x 4 = 8)" in refused.value.message
    assert "(2 x 3 = 6)" in refused.value.message
    assert not Risk.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inherent_likelihood", 6),
        ("inherent_impact", 0),
        ("category", "weather"),
        ("treatment", "ignore"),
        ("title", ""),
    ],
)
def test_bad_values_are_refused_naming_the_field(cast: Cast, field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        risk(cast.owner, cast.rel_a, **{field: value})
    assert field in refused.value.message_dict
    assert not Risk.objects.exists()


def test_a_portal_user_cannot_own_a_risk(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        risk(cast.owner, cast.rel_a, owner=cast.portal_a)
    assert refused.value.field == "owner"


def test_update_checks_the_rules_on_the_result_and_moves_the_score(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    entry = risk(cast.owner, cast.rel_a)
    with pytest.raises(DomainError):
        services.risk_update(
            actor=cast.member, risk=entry, expected_version=entry.version, inherent_impact=1
        )
    assert Risk.objects.get(pk=entry.pk).inherent_impact == 5
    updated = services.risk_update(
        actor=cast.member,
        risk=entry,
        expected_version=entry.version,
        residual_likelihood=3,
        residual_impact=5,
    )
    assert updated.residual_score == 15
    assert score_of(vendor) == Decimal(60)
    assert updated.history.count() == 2


def test_close_needs_a_note_and_drops_the_risk_from_the_score(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    entry = risk(cast.owner, cast.rel_a)
    risk(cast.owner, cast.rel_a, residual_likelihood=1, residual_impact=2, title="Minor")
    with pytest.raises(DomainError) as refused:
        services.risk_close(actor=cast.owner, risk=entry, note=" ")
    assert refused.value.field == "note"
    closed = services.risk_close(actor=cast.owner, risk=entry, note="Accounts split")
    assert closed.status == RiskStatus.CLOSED
    assert closed.closure_note == "Accounts split"
    assert score_of(vendor) == Decimal(8)  # the 1 x 2 left: 2 / 25 x 100
    with pytest.raises(DomainError):
        services.risk_update(actor=cast.owner, risk=closed, expected_version=None, title="x")
    reopened = services.risk_reopen(actor=cast.owner, risk=closed, note="Came back")
    assert reopened.status == RiskStatus.OPEN
    assert score_of(vendor) == Decimal(32)


def test_only_editors_of_the_relationship_and_it_security_write_the_register(
    cast: Cast,
) -> None:
    entry = risk(security_person(), cast.rel_a)
    for user in (cast.outsider, cast.reviewer, cast.auditor, cast.manager, cast.portal_a):
        with pytest.raises(PermissionDenied):
            risk(user, cast.rel_a)
        with pytest.raises(PermissionDenied):
            services.risk_close(actor=user, risk=entry, note="no")
    assert Risk.objects.count() == 1


def test_archive_takes_the_risk_out_of_the_score(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    entry = risk(cast.owner, cast.rel_a)
    services.risk_archive(actor=cast.owner, risk=entry)
    assert score_of(vendor) == Decimal(0)
    services.risk_restore(actor=cast.owner, risk=Risk.objects.get(pk=entry.pk))
    assert score_of(vendor) == Decimal(32)


def test_findings_add_points_capped_and_factors_are_added(cast: Cast) -> None:
    vendor_a, vendor_b = vendors(cast)
    risk(cast.owner, cast.rel_a, residual_likelihood=3, residual_impact=3)  # 36
    for severity in ("critical", "high", "medium"):  # 20 + 10 + 5 = 35
        services.finding_open(
            actor=cast.owner, supplier=vendor_a, source="audit", title=severity, severity=severity
        )
    assert score_of(vendor_a) == Decimal(71)
    low = services.finding_open(
        actor=cast.owner, supplier=vendor_a, source="audit", title="low", severity="low"
    )
    services.finding_open(
        actor=cast.owner, supplier=vendor_a, source="audit", title="more", severity="low"
    )
    assert score_of(vendor_a) == Decimal(75)  # 36 + min(40, 39)
    services.finding_open(
        actor=cast.owner, supplier=vendor_a, source="audit", title="over", severity="low"
    )
    assert score_of(vendor_a) == Decimal(76)  # 36 + 40 (41 capped)
    services.finding_transition(actor=cast.owner, finding=low, to_status="closed", note="Fixed")
    assert score_of(vendor_a) == Decimal(75)

    def expired(ids: Any, today: dt.date) -> dict[int, list[panels.RiskFactor]]:
        return (
            {vendor_b.pk: [panels.RiskFactor(15, "ISO 27001 expired")]}
            if vendor_b.pk in ids
            else {}
        )

    panels.register_risk_factor("test-expired", expired)
    try:
        changed = services.vendor_risk_score_refresh()
    finally:
        panels._factors.pop("test-expired")
    assert changed == 1
    assert score_of(vendor_b) == Decimal(15)
    assert score_of(vendor_a) == Decimal(75)


def test_vendors_without_risk_records_keep_a_typed_score(cast: Cast) -> None:
    _vendor_a, vendor_b = vendors(cast)
    type(vendor_b).objects.filter(pk=vendor_b.pk).update(risk_score=Decimal(42))
    risk(cast.owner, cast.rel_a)
    services.vendor_risk_score_refresh()
    assert score_of(vendor_b) == Decimal(42)


def test_refresh_over_many_vendors_is_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    vendors(cast)
    risk(cast.owner, cast.rel_a)
    risk(cast.outsider, cast.rel_b)
    with django_assert_max_num_queries(10):
        services.vendor_risk_score_refresh()


def test_the_daily_job_refreshes_every_score_and_is_safe_to_run_twice(cast: Cast) -> None:
    from steward.core.schedule import periodic_jobs
    from steward.risk.tasks import SCORES_JOB, risk_scores_refresh

    assert SCORES_JOB in {job.name for job in periodic_jobs()}
    vendor_a, _ = vendors(cast)
    risk(cast.owner, cast.rel_a)
    type(vendor_a).objects.filter(pk=vendor_a.pk).update(risk_score=Decimal(99))
    assert risk_scores_refresh.call(slot="2026-05-01") == 1
    assert score_of(vendor_a) == Decimal(32)
    assert risk_scores_refresh.call(slot="2026-05-01") == 0
