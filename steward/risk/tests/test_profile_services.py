"""The tiering intake through its service: tier and points recomputed, history kept, bad values
refused naming the field, and the next assessment date set by the tier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.parties.tests.cast import Cast
from steward.risk import services
from steward.risk.models import RiskProfile
from steward.risk.tests.helpers import vendor_of

pytestmark = pytest.mark.django_db

TIER_ONE = {
    "data_handled": "personal",
    "system_access": "privileged",
    "business_criticality": 5,
    "substitutability": "hard",
    "regulatory_exposure": "some",
}


def test_first_intake_creates_the_profile_with_its_tier(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a, annual_spend=Decimal(300_000))
    # 3 (personal) + 3 (privileged) + 3 (criticality 5) + 2 (hard) + 2 (300k) + 1 (some) = 14
    profile = services.risk_profile_save(actor=cast.owner, supplier=vendor, **TIER_ONE)
    assert (profile.points, profile.tier) == (14, 1)
    assert profile.policy.reassess_months == 12
    assert profile.next_assessment_due is None  # never assessed: nothing to count from
    assert profile.history.count() == 1


def test_changing_the_intake_recomputes_the_tier_and_records_why(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    profile = services.risk_profile_save(actor=cast.owner, supplier=vendor, **TIER_ONE)
    updated = services.risk_profile_save(
        actor=cast.member,
        supplier=vendor,
        expected_version=profile.version,
        data_handled="internal",
        system_access="user",
    )
    # 1 + 1 + 3 + 2 + 0 + 1 = 8: tier 2, no floor
    assert (updated.points, updated.tier) == (8, 2)
    newest = updated.history.order_by("-history_id").first()
    assert newest.history_change_reason == "Tier 1 → 2"
    assert newest.history_user == cast.member


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("business_criticality", 7),
        ("business_criticality", 0),
        ("data_handled", "secret"),
        ("system_access", "root"),
        ("substitutability", "impossible"),
        ("regulatory_exposure", "extreme"),
    ],
)
def test_bad_intake_values_are_refused_naming_the_field(
    cast: Cast, field: str, value: object
) -> None:
    vendor = vendor_of(cast.rel_a)
    with pytest.raises(ValidationError) as refused:
        services.risk_profile_save(actor=cast.owner, supplier=vendor, **{field: value})
    assert field in refused.value.message_dict
    assert not RiskProfile.objects.filter(pk=vendor.pk).exists()


def test_a_bad_change_leaves_the_profile_as_it_was(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    services.risk_profile_save(actor=cast.owner, supplier=vendor, **TIER_ONE)
    with pytest.raises(ValidationError):
        services.risk_profile_save(
            actor=cast.owner, supplier=vendor, data_handled="none", business_criticality=9
        )
    profile = RiskProfile.objects.get(pk=vendor.pk)
    assert (profile.data_handled, profile.business_criticality, profile.version) == (
        "personal",
        5,
        1,
    )


def test_only_who_may_change_the_vendor_fills_the_intake(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    for user in (cast.outsider, cast.reviewer, cast.auditor, cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.risk_profile_save(actor=user, supplier=vendor, **TIER_ONE)


def test_next_assessment_falls_due_by_the_tier(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    services.risk_profile_save(actor=cast.owner, supplier=vendor, **TIER_ONE)
    profile = services.risk_profile_mark_assessed(
        actor=cast.owner, supplier=vendor, assessed_on=dt.date(2026, 1, 31)
    )
    assert profile is not None
    assert profile.next_assessment_due == dt.date(2027, 1, 31)  # tier 1: 12 months
    # A lower tier (3: 24 months) moves the due date from the same assessment.
    lowered = services.risk_profile_save(
        actor=cast.owner,
        supplier=vendor,
        data_handled="internal",
        system_access="none",
        business_criticality=3,
        substitutability="easy",
        regulatory_exposure="some",
    )
    assert lowered.tier == 3  # 1 + 0 + 1 + 0 + 0 + 1 = 3
    assert lowered.next_assessment_due == dt.date(2028, 1, 31)
    assert lowered.is_overdue(dt.date(2028, 2, 1))
    assert not lowered.is_overdue(dt.date(2028, 1, 31))


def test_marking_a_vendor_without_profile_assessed_changes_nothing(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    result = services.risk_profile_mark_assessed(
        actor=cast.owner, supplier=vendor, assessed_on=dt.date(2026, 1, 1)
    )
    assert result is None
    assert not RiskProfile.objects.exists()
