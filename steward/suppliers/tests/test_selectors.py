"""Reads on the supply side: attention filters, the portfolio, prequalification and access."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.suppliers import selectors, services
from steward.suppliers.choices import ChecklistItemCode, RelationshipType, Segment, Stage
from steward.suppliers.models import (
    ChecklistItem,
    Prequalification,
    SegmentationPolicy,
    SegmentPlaybook,
    Supplier,
)
from steward.suppliers.playbooks import SEGMENT_DEFAULTS
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 6, 15)


@pytest.fixture(autouse=True)
def reference_data(db: Any) -> None:
    """The policy and playbooks a migration seeds (a transactional flush may have dropped them)."""
    SegmentationPolicy.objects.get_or_create(pk=1)
    for segment, defaults in SEGMENT_DEFAULTS.items():
        SegmentPlaybook.objects.get_or_create(segment=segment, defaults=dict(defaults))


def _vendor(cast: Cast, **fields: Any) -> Supplier:
    """A vendor the cast's ``owner`` owns, on a relationship of its own."""
    relationship = RelationshipFactory(owner=cast.owner)
    return typing.cast(Supplier, SupplierFactory(relationship=relationship, **fields))


def _ids(rows: Any) -> set[int]:
    return {row.pk for row in rows}


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _grant(vendor: Supplier, category: Any, **dates: Any) -> Prequalification:
    today = timezone.localdate()
    return Prequalification.objects.create(
        supplier=vendor,
        category=category,
        granted_on=dates.get("granted_on", today - dt.timedelta(days=400)),
        expires_on=dates["expires_on"],
        granted_by=vendor.relationship.owner,
        revoked_on=dates.get("revoked_on"),
    )


# --- attention filters ---------------------------------------------------------------------------


def test_the_mismatch_filter_finds_types_that_do_not_suit_the_quadrant(cast: Cast) -> None:
    # Given a strategic vendor bought from transactionally, one in partnership, and one unplaced
    wrong = _vendor(
        cast, segment=Segment.STRATEGIC, relationship_type=RelationshipType.TRANSACTIONAL
    )
    right = _vendor(cast, segment=Segment.STRATEGIC, relationship_type=RelationshipType.PARTNERSHIP)
    unplaced = _vendor(cast, segment="", relationship_type=RelationshipType.TRANSACTIONAL)

    # When the owner filters for mismatches, and for the others
    found = selectors.supplier_list(user=cast.owner, filters={"mismatch": "true"})
    others = selectors.supplier_list(user=cast.owner, filters={"mismatch": "false"})

    # Then only the transactional strategic vendor is flagged, with the type its quadrant wants
    assert _ids(found) == {wrong.pk}
    assert _ids(others) == {right.pk, unplaced.pk}
    flags = selectors.supplier_flags(supplier=wrong)
    assert flags.mismatch
    assert flags.default_type == RelationshipType.STRATEGIC_ALLIANCE
    assert not selectors.supplier_flags(supplier=right).mismatch


def test_the_stalled_filter_finds_onboardings_older_than_thirty_days(cast: Cast) -> None:
    # Given vendors in qualification and onboarding for a long and a short time, and one active
    stuck = _vendor(cast, stage=Stage.ONBOARDING, stage_changed_at=_days_ago(31))
    never_moved = _vendor(cast, stage=Stage.QUALIFICATION, stage_changed_at=None)
    Supplier.objects.filter(pk=never_moved.pk).update(created_at=_days_ago(45))
    fresh = _vendor(cast, stage=Stage.ONBOARDING, stage_changed_at=_days_ago(10))
    settled = _vendor(cast, stage=Stage.ACTIVE, stage_changed_at=_days_ago(300))

    # When the owner filters for stalled vendors, and for the others
    found = selectors.supplier_list(user=cast.owner, filters={"stalled": "true"})
    others = selectors.supplier_list(user=cast.owner, filters={"stalled": "false"})

    # Then the two waiting for more than 30 days are stalled, the rest are not
    assert _ids(found) == {stuck.pk, never_moved.pk}
    assert _ids(others) == {fresh.pk, settled.pk}
    assert selectors.supplier_flags(supplier=stuck).stalled
    assert not selectors.supplier_flags(supplier=fresh).stalled


def test_the_lapsed_filter_finds_prequalifications_run_out_without_renewal(cast: Cast) -> None:
    today = timezone.localdate()
    yesterday, next_year = today - dt.timedelta(days=1), today + dt.timedelta(days=365)
    freight, metals = CategoryFactory(code="freight"), CategoryFactory(code="metals")
    # Given an active vendor whose freight grant ran out yesterday
    lapsed = _vendor(cast, stage=Stage.ACTIVE)
    _grant(lapsed, freight, expires_on=yesterday)
    # And one whose old grant ran out but was renewed
    renewed = _vendor(cast, stage=Stage.ACTIVE)
    _grant(renewed, freight, expires_on=yesterday)
    _grant(renewed, freight, granted_on=yesterday, expires_on=next_year)
    # And one whose run-out grant had been revoked, one offboarded, one renewed elsewhere only
    revoked = _vendor(cast, stage=Stage.UNDER_REVIEW)
    _grant(revoked, freight, expires_on=yesterday, revoked_on=today - dt.timedelta(days=30))
    offboarded = _vendor(cast, stage=Stage.OFFBOARDED)
    _grant(offboarded, freight, expires_on=yesterday)
    partly = _vendor(cast, stage=Stage.ACTIVE)
    _grant(partly, freight, expires_on=yesterday)
    _grant(partly, metals, granted_on=yesterday, expires_on=next_year)

    # When the owner filters for lapsed prequalifications, and for the others
    found = selectors.supplier_list(user=cast.owner, filters={"lapsed_prequalification": "true"})
    others = selectors.supplier_list(user=cast.owner, filters={"lapsed_prequalification": "false"})

    # Then the vendors with a category that ran out unrenewed are listed, the others are not
    assert _ids(found) == {lapsed.pk, partly.pk}
    assert _ids(others) == {renewed.pk, revoked.pk, offboarded.pk}
    assert selectors.supplier_flags(supplier=lapsed).lapsed_prequalification
    assert not selectors.supplier_flags(supplier=renewed).lapsed_prequalification


# --- the portfolio -------------------------------------------------------------------------------


def test_the_portfolio_counts_and_places_the_vendors_a_user_may_see(cast: Cast) -> None:
    # Given the owner's strategic and leverage vendors, an unplaced one and an offboarded one
    strategic = _vendor(
        cast,
        segment=Segment.STRATEGIC,
        segment_override=Segment.STRATEGIC,
        computed_segment=Segment.BOTTLENECK,
        relationship_type=RelationshipType.PARTNERSHIP,
        profit_impact=Decimal("80.50"),
        supply_risk=Decimal("70.00"),
        annual_spend=Decimal("2000000"),
        stage=Stage.ACTIVE,
    )
    leverage = _vendor(
        cast,
        segment=Segment.LEVERAGE,
        relationship_type=RelationshipType.ONGOING,
        profit_impact=Decimal("70"),
        supply_risk=Decimal("20"),
        stage=Stage.ACTIVE,
    )
    _vendor(cast, stage=Stage.PROSPECT)
    _vendor(
        cast,
        segment=Segment.STRATEGIC,
        profit_impact=Decimal("90"),
        supply_risk=Decimal("90"),
        stage=Stage.OFFBOARDED,
    )
    # And a vendor of someone else's the owner may not see
    SupplierFactory(
        relationship=cast.rel_b,
        segment=Segment.NON_CRITICAL,
        profit_impact=Decimal(10),
        supply_risk=Decimal(10),
    )

    # When the owner opens the portfolio
    seen = selectors.portfolio(user=cast.owner)

    # Then the matrix shows the two placed vendors still in play, with spend and override
    points = {point["id"]: point for point in seen["points"]}
    assert set(points) == {strategic.pk, leverage.pk}
    point = points[strategic.pk]
    assert point["name"] == strategic.relationship.organization.display_name
    assert (point["profit_impact"], point["supply_risk"], point["spend"]) == (80.5, 70.0, 2e6)
    assert (point["segment"], point["overridden"]) == (Segment.STRATEGIC, True)
    assert points[leverage.pk]["spend"] == 0.0
    assert not points[leverage.pk]["overridden"]
    # And the counts leave out offboarded vendors, except the count by stage
    by_segment = {row["value"]: row["count"] for row in seen["by_segment"]}
    assert by_segment == {
        Segment.STRATEGIC: 1,
        Segment.LEVERAGE: 1,
        Segment.BOTTLENECK: 0,
        Segment.NON_CRITICAL: 0,
    }
    assert seen["unplaced"] == 1
    by_stage = {row["value"]: row["count"] for row in seen["by_stage"]}
    assert (by_stage[Stage.ACTIVE], by_stage[Stage.PROSPECT], by_stage[Stage.OFFBOARDED]) == (
        2,
        1,
        1,
    )
    by_type = {row["value"]: row["count"] for row in seen["by_type"]}
    assert by_type[RelationshipType.PARTNERSHIP] == by_type[RelationshipType.ONGOING] == 1
    assert seen["mismatch"]["count"] == 0


# --- prequalification ----------------------------------------------------------------------------


def test_prequalified_vendors_are_those_with_a_grant_in_force_on_the_day(cast: Cast) -> None:
    freight, metals = CategoryFactory(code="freight"), CategoryFactory(code="metals")
    # Given a vendor prequalified for freight through 2030, and one whose grant was revoked
    vendor = _vendor(cast, stage=Stage.ACTIVE)
    _grant(vendor, freight, granted_on=dt.date(2030, 1, 1), expires_on=dt.date(2030, 12, 31))
    revoked = _vendor(cast, stage=Stage.ACTIVE)
    _grant(
        revoked,
        freight,
        granted_on=dt.date(2030, 1, 1),
        expires_on=dt.date(2030, 12, 31),
        revoked_on=dt.date(2030, 2, 1),
    )
    # And a prospect with a grant (it may not source before it is qualified)
    prospect = _vendor(cast, stage=Stage.PROSPECT)
    _grant(prospect, freight, granted_on=dt.date(2030, 1, 1), expires_on=dt.date(2030, 12, 31))

    def invited(on: dt.date, category: Any = freight) -> set[int]:
        return _ids(selectors.prequalified_suppliers(user=cast.owner, category=category, on=on))

    # Then the vendor may be invited from the first to the last day of its grant, not outside
    assert invited(dt.date(2029, 12, 31)) == set()
    assert invited(dt.date(2030, 1, 1)) == {vendor.pk}
    assert invited(dt.date(2030, 12, 31)) == {vendor.pk}
    assert invited(dt.date(2031, 1, 1)) == set()
    # And not for another category, and the revoked vendor and the prospect never
    assert invited(dt.date(2030, 6, 1), metals) == set()
    # And someone who may not see the vendor finds nobody
    assert (
        _ids(selectors.prequalified_suppliers(user=cast.outsider, category=freight, on=TODAY))
        == set()
    )


# --- the way onward ------------------------------------------------------------------------------


def test_next_stages_list_the_checklist_items_still_missing(cast: Cast) -> None:
    # Given a new vendor: a prospect with an empty checklist
    vendor = services.supplier_profile_create(actor=cast.owner, relationship=cast.rel_a)

    def missing() -> dict[str, list[str]]:
        return {row["stage"]: row["missing"] for row in selectors.next_stages(supplier=vendor)}

    # Then it may start qualification straight away, or be dropped
    assert missing() == {Stage.QUALIFICATION: [], Stage.OFFBOARDED: []}

    # When it is in qualification, onboarding waits for both qualification items
    vendor = services.supplier_transition(
        actor=cast.owner, supplier=vendor, to_stage=Stage.QUALIFICATION, reason="Shortlisted"
    )
    assert missing()[Stage.ONBOARDING] == ["Documents received", "Security review done"]

    # And once the documents are in, only the security review is missing
    documents = ChecklistItem.objects.get(
        supplier=vendor, code=ChecklistItemCode.DOCUMENTS_RECEIVED
    )
    services.checklist_set(actor=cast.member, item=documents, done=True, note="Filed")
    assert missing() == {
        Stage.ONBOARDING: ["Security review done"],
        Stage.OFFBOARDED: [],
    }


# --- access --------------------------------------------------------------------------------------


def test_outsiders_and_portal_users_see_no_vendors(cast: Cast) -> None:
    # Given a vendor on A's relationship, prequalified for a category
    vendor = services.supplier_profile_create(
        actor=cast.owner, relationship=cast.rel_a, annual_spend=Decimal(500_000), criticality=4
    )
    Supplier.objects.filter(pk=vendor.pk).update(stage=Stage.ACTIVE)
    freight = CategoryFactory(code="freight")
    _grant(vendor, freight, expires_on=timezone.localdate() + dt.timedelta(days=30))

    for role in ("outsider", "portal_a", "portal_b"):
        user = cast.user(role)

        # Then someone unrelated to it, or a portal user, sees no vendor anywhere
        assert not selectors.supplier_list(user=user).exists(), role
        assert not selectors.portfolio(user=user)["points"], role
        assert not selectors.prequalified_suppliers(user=user, category=freight).exists(), role
        with pytest.raises(Http404):
            selectors.supplier_get(user=user, pk=vendor.pk)
    # And its owner, team, reviewer and the owner's managers do
    for role in ("owner", "member", "reviewer", "manager", "director", "auditor", "admin"):
        assert _ids(selectors.supplier_list(user=cast.user(role))) == {vendor.pk}, role
