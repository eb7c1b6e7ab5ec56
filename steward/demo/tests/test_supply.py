"""The small demo's supply side tells a story: every quadrant and stage, and something to act on."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from steward.core.models import Notification
from steward.demo.services import DemoLoadResult
from steward.parties.models import Contact
from steward.plans import selectors as plans
from steward.plans.choices import InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative, Milestone
from steward.reviews.choices import ActivityKind
from steward.reviews.models import Activity
from steward.suppliers import lifecycle, selectors
from steward.suppliers.choices import ChecklistItemCode, Segment, Stage
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    LifecycleTransition,
    Prequalification,
    SegmentChange,
    Supplier,
    SupplierStrategy,
)

User = get_user_model()


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def test_every_quadrant_and_every_stage_has_vendors(loaded: DemoLoadResult) -> None:
    # Then each Kraljic quadrant and each lifecycle stage holds at least one vendor
    segments = set(Supplier.objects.values_list("segment", flat=True))
    assert segments >= set(Segment.values)
    assert set(Supplier.objects.values_list("stage", flat=True)) == set(Stage.values)
    # And every supply-side relationship is a vendor, in a category of a small tree
    assert Supplier.objects.count() == loaded.counts["suppliers.Supplier"] > 40
    assert not Supplier.objects.filter(categories=None).exists()
    it = Category.objects.get(code="it")
    assert set(it.children.values_list("code", flat=True)) >= {
        "cloud-hosting",
        "software-licences",
        "it-services",
    }
    # And the demo vendor manager sees all four quadrants on the portfolio page
    seen = selectors.portfolio(user=_user("vendor.manager"))
    assert all(row["count"] for row in seen["by_segment"])
    assert seen["points"]


def test_an_override_keeps_its_reason_the_move_and_the_alert(loaded: DemoLoadResult) -> None:
    overridden = Supplier.objects.exclude(segment_override="").first()

    # Then the vendor sits where judgement put it, not where its data would
    assert overridden is not None
    assert overridden.segment == overridden.segment_override != overridden.computed_segment
    assert len(overridden.override_reason) > 20
    # And its history and segment changes say so, first placement first
    assert overridden.history.filter(history_change_reason__startswith="Segment override").exists()
    changes = list(SegmentChange.objects.filter(supplier=overridden).order_by("at"))
    assert [(c.from_segment, c.to_segment) for c in changes] == [
        ("", overridden.computed_segment),
        (overridden.computed_segment, overridden.segment),
    ]
    # And its owner, the demo vendor manager, was alerted about the move
    assert overridden.relationship.owner.username == "vendor.manager"
    assert Notification.objects.filter(
        recipient__username="vendor.manager", url=f"/vendors/{overridden.pk}/"
    ).exists()


def test_a_vendor_whose_type_no_longer_suits_its_quadrant_is_flagged(
    loaded: DemoLoadResult,
) -> None:
    manager = _user("vendor.manager")

    # When the vendor manager filters for mismatches
    mismatched = selectors.supplier_list(user=manager, filters={"mismatch": "true"})

    # Then there is at least one, and one of theirs moved quadrant after its inputs changed
    assert mismatched.exists()
    moved = mismatched.filter(relationship__owner=manager, segment_changes__from_segment="leverage")
    assert moved.filter(segment=Segment.STRATEGIC).exists()
    flags = selectors.supplier_flags(supplier=moved.first())
    assert flags.mismatch
    assert flags.default_type not in (moved.first().relationship_type, "")


def test_prequalifications_lapse_and_run_out_next_month(loaded: DemoLoadResult) -> None:
    today = timezone.localdate()
    following = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)

    # Then a vendor still in play has a prequalification that lapsed without renewal
    admin = _user("admin")
    lapsed = selectors.supplier_list(user=admin, filters={"lapsed_prequalification": "true"})
    assert 0 < lapsed.count() < Supplier.objects.count() / 5
    assert not lapsed.exclude(stage__in=lifecycle.PREQUALIFIABLE).exists()
    # And another runs out next month and is still valid today
    expiring = Prequalification.objects.filter(
        revoked_on__isnull=True,
        expires_on__year=following.year,
        expires_on__month=following.month,
    )
    assert expiring.exists()
    grant = expiring.first()
    assert grant.supplier in selectors.prequalified_suppliers(user=admin, category=grant.category)
    # And offboarded vendors kept no grant in force
    assert not Prequalification.objects.filter(
        supplier__stage=Stage.OFFBOARDED, revoked_on__isnull=True, expires_on__gte=today
    ).exists()


def test_qualification_is_half_done_and_an_onboarding_stalled(loaded: DemoLoadResult) -> None:
    admin = _user("admin")

    # Then a vendor in qualification has half its checklist ticked, and is told what is missing
    halfway = (
        Supplier.objects.filter(stage=Stage.QUALIFICATION)
        .annotate(done=Count("checklist", filter=Q(checklist__done=True)))
        .filter(done=2)
        .first()
    )
    assert halfway is not None
    onward = {row["stage"]: row["missing"] for row in selectors.next_stages(supplier=halfway)}
    assert onward[Stage.ONBOARDING] == [ChecklistItemCode.SECURITY_REVIEW_DONE.label]
    # And a vendor has sat in onboarding for more than 30 days, its contract unsigned
    stalled = selectors.supplier_list(user=admin, filters={"stalled": "true"})
    onboarding = stalled.filter(stage=Stage.ONBOARDING).first()
    assert onboarding is not None
    assert onboarding.stage_changed_at is not None
    assert onboarding.stage_changed_at < timezone.now() - dt.timedelta(days=30)
    assert not ChecklistItem.objects.get(
        supplier=onboarding, code=ChecklistItemCode.CONTRACT_SIGNED
    ).done


def test_strategic_vendors_have_a_strategy_to_work_from(loaded: DemoLoadResult) -> None:
    strategic = Supplier.objects.filter(
        segment=Segment.STRATEGIC, stage__in=[Stage.ACTIVE, Stage.UNDER_REVIEW]
    )

    # Then every running strategic vendor has a strategy
    assert strategic.exists()
    assert not strategic.filter(strategy__isnull=True).exists()
    # And the demo vendor manager's are tailored: governance, people, KPIs with targets, levers
    strategy = (
        SupplierStrategy.objects.filter(
            supplier__relationship__owner__username="vendor.manager", version__gt=1
        )
        .prefetch_related("kpis", "levers", "resource_people")
        .first()
    )
    assert strategy is not None
    assert strategy.objectives
    assert strategy.review_every_days
    assert len(strategy.escalation_ladder) >= 2
    assert all(list(parts.values()).count("A") == 1 for parts in strategy.raci.values())
    assert strategy.resource_people.exists()
    assert len(strategy.kpis.all()) >= 3
    assert all(kpi.target is not None for kpi in strategy.kpis.all())
    assert strategy.levers.exists()


def test_the_roadmap_spans_the_coming_year(loaded: DemoLoadResult) -> None:
    today = timezone.localdate()
    manager = _user("vendor.manager")

    # Then the vendor manager's roadmap has initiatives ending within the next twelve months
    bars = plans.roadmap(user=manager)
    assert any(today < bar["ends_on"] <= today + dt.timedelta(days=366) for bar in bars)
    # And some initiatives are done with the value they delivered, others under way or planned
    statuses = set(Initiative.objects.values_list("status", flat=True))
    assert {InitiativeStatus.DONE, InitiativeStatus.IN_PROGRESS, InitiativeStatus.PLANNED} <= (
        statuses
    )
    done = Initiative.objects.filter(status=InitiativeStatus.DONE)
    assert not done.filter(delivered_value__isnull=True).exists()
    assert not Initiative.objects.filter(budget__isnull=True).exists()
    # And milestones are done on a date, with one of the vendor manager's overdue
    assert not Milestone.objects.filter(
        status=MilestoneStatus.DONE, completed_on__isnull=True
    ).exists()
    assert Milestone.objects.filter(
        status=MilestoneStatus.OPEN,
        due_on__lt=today,
        initiative__relationship__owner=manager,
    ).exists()


def test_meetings_and_business_reviews_are_logged(loaded: DemoLoadResult) -> None:
    reviews = Activity.objects.filter(kind=ActivityKind.BUSINESS_REVIEW)

    # Then business reviews were held, in the past, with our people and the vendor's contacts
    assert reviews.exists()
    assert not Activity.objects.filter(occurred_on__gte=timezone.localdate()).exists()
    review = reviews.prefetch_related("participants", "contacts").first()
    assert review.logged_by in review.participants.all()
    assert review.contacts.exists()
    # And contacts always work for the vendor the activity was logged against
    strangers = Contact.objects.filter(activities__isnull=False).exclude(
        organization__relationships__activities__contacts__isnull=False
    )
    assert not strangers.exists()
    assert Activity.objects.filter(relationship__owner__username="vendor.manager").exists()


def test_vendor_history_reads_like_the_services_wrote_it(loaded: DemoLoadResult) -> None:
    now = timezone.now()
    moves: dict[int, list[LifecycleTransition]] = defaultdict(list)
    for move in LifecycleTransition.objects.order_by("at", "pk"):
        moves[move.supplier_id].append(move)
    for supplier in Supplier.objects.select_related("relationship"):
        records = list(supplier.history.order_by("history_date", "history_id"))

        # Then each vendor was created once and changed once per version, all in the past
        assert [r.version for r in records] == list(range(1, supplier.version + 1))
        assert records[0].history_type == "+"
        assert records[0].history_date == supplier.created_at < now
        assert records[-1].stage == supplier.stage
        # And its moves chain from prospect to today's stage, each named in its history
        stages = [Stage.PROSPECT, *(m.to_stage for m in moves[supplier.pk])]
        assert [m.from_stage for m in moves[supplier.pk]] == stages[:-1]
        assert stages[-1] == supplier.stage
        assert all(m.at < now and m.reason for m in moves[supplier.pk])
        # And the relationship's status follows the vendor's stage
        assert supplier.relationship.status == lifecycle.BASE_STATUS[supplier.stage]
    # And no checklist item was ticked after the move that needed it
    for item in ChecklistItem.objects.filter(done=True):
        needed = [
            m.at
            for m in moves[item.supplier_id]
            if item.code in lifecycle.GUARDED.get((m.from_stage, m.to_stage), ())
        ]
        assert item.done_at is not None
        assert not needed or item.done_at < needed[0]
