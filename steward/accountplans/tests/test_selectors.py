"""The standing of many plans in a fixed number of queries; sections; the dashboard measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from typing import cast as typed

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.accountplans import selectors
from steward.accountplans.choices import DecisionRole, PlanStatus
from steward.accountplans.models import AccountPlan
from steward.accountplans.sections import pipeline_section
from steward.accountplans.tests.factories import (
    ActionLinkFactory,
    ObjectiveFactory,
    PlanFactory,
    StakeholderFactory,
)
from steward.accounts.tests.world import DemandWorld
from steward.catalog.tests.factories import ProductFactory
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory, RelationshipFactory, SiteFactory
from steward.pipeline.models import Opportunity
from steward.quotas.dashboard import dashboard_measures
from steward.reviews.models import ActionItem

pytestmark = pytest.mark.django_db


def complete_plan(relationship: Any, owner: Any) -> AccountPlan:
    """A plan that meets the default standard today."""
    today = timezone.localdate()
    plan = typed(
        AccountPlan,
        PlanFactory(
            relationship=relationship,
            last_reviewed_on=today - dt.timedelta(days=10),
            next_review_on=today + dt.timedelta(days=30),
        ),
    )
    sponsor = ContactFactory(organization=relationship.organization)
    StakeholderFactory(plan=plan, contact=sponsor, decision_role=DecisionRole.EXECUTIVE_SPONSOR)
    ObjectiveFactory(
        plan=plan,
        owner=owner,
        stakeholder=sponsor,
        measure="Uptime",
        due_on=today + dt.timedelta(days=60),
    )
    ours = ActionItem.objects.create(
        relationship=relationship, title="Ours", side="ours", owner=owner, due_on=today
    )
    theirs = ActionItem.objects.create(
        relationship=relationship,
        title="Theirs",
        side="theirs",
        owner_contact=sponsor,
        due_on=today,
    )
    ActionLinkFactory(plan=plan, action_item=ours)
    ActionLinkFactory(plan=plan, action_item=theirs)
    return plan


def test_a_complete_plan_meets_the_standard(cast: Cast, world: DemandWorld) -> None:
    plan = complete_plan(world.account_a, cast.owner)

    standing = selectors.plan_standing(plan)

    assert [c.key for c in standing.missing] == []
    assert standing.meets
    assert standing.freshness_days == 10


def test_a_location_with_contacts_needs_a_mapped_decision_maker(
    cast: Cast, world: DemandWorld
) -> None:
    plan = complete_plan(world.account_a, cast.owner)
    smelter_contact = ContactFactory(organization=cast.org_a, site=cast.site_a_private)

    standing = selectors.plan_standing(plan)
    assert [c.key for c in standing.missing] == ["locations"]
    assert standing.score == Decimal("85.7")  # 6 / 7
    assert "Aurora Smelter" in standing.missing[0].fix

    StakeholderFactory(
        plan=plan, contact=smelter_contact, decision_role=DecisionRole.DECISION_MAKER
    )
    assert selectors.plan_standing(plan).meets


def test_a_location_with_an_open_opportunity_counts_too(cast: Cast, world: DemandWorld) -> None:
    plan = complete_plan(world.account_a, cast.owner)
    depot = SiteFactory(organization=cast.org_a, name="Aurora Depot")
    Opportunity.objects.create(
        relationship=world.account_a,
        name="Depot racks",
        owner=cast.owner,
        close_date=timezone.localdate(),
        penetration_type="new_location",
        site=depot,
        amount=Decimal("1000"),
    )

    standing = selectors.plan_standing(plan)

    assert standing.missing[0].fix == "Map a decision maker at Aurora Depot."


def test_incomplete_objectives_are_named(cast: Cast, world: DemandWorld) -> None:
    plan = complete_plan(world.account_a, cast.owner)
    ObjectiveFactory(plan=plan, title="Cut lead times")  # no owner, stakeholder, measure, date
    ObjectiveFactory(plan=plan, title="Dropped one", status="dropped")  # does not count

    standing = selectors.plan_standing(plan)

    assert [c.key for c in standing.missing] == ["objectives_complete"]
    assert standing.missing[0].fix == "Complete Cut lead times."


def test_standing_of_many_plans_takes_a_fixed_number_of_queries(cast: Cast) -> None:
    def make(count: int) -> list[AccountPlan]:
        return [
            complete_plan(RelationshipFactory(side=Side.DEMAND, owner=cast.owner), cast.owner)
            for _ in range(count)
        ]

    few = make(2)
    with CaptureQueriesContext(connection) as small:
        selectors.plan_standing_for(few)
    many = few + make(6)
    with CaptureQueriesContext(connection) as large:
        standings = selectors.plan_standing_for(many)

    assert len(large.captured_queries) == len(small.captured_queries) <= 9
    assert all(s.meets for s in standings.values())


def test_list_page_queries_do_not_grow_with_rows(cast: Cast) -> None:
    from steward.core.testing import web_client

    client = web_client(cast.owner)
    for _ in range(2):
        complete_plan(RelationshipFactory(side=Side.DEMAND, owner=cast.owner), cast.owner)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/account-plans/").status_code == 200
    for _ in range(5):
        complete_plan(RelationshipFactory(side=Side.DEMAND, owner=cast.owner), cast.owner)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/account-plans/")

    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_pipeline_section_sums_per_currency_then_converts(cast: Cast, world: DemandWorld) -> None:
    from steward.spend.models import ExchangeRate
    from steward.spend.money import base_currency

    plan = PlanFactory(relationship=world.account_a)
    foreign = "USD" if base_currency() != "USD" else "GBP"
    ExchangeRate.objects.create(
        currency=foreign, rate=Decimal("0.5"), rate_date=dt.date(2020, 1, 1)
    )
    common = {
        "relationship": world.account_a,
        "owner": cast.owner,
        "close_date": timezone.localdate(),
        "penetration_type": "expansion",
    }
    Opportunity.objects.create(
        name="A", currency=base_currency(), amount=Decimal("1000"), probability=50, **common
    )
    Opportunity.objects.create(
        name="B", currency=foreign, amount=Decimal("2000"), probability=10, **common
    )
    Opportunity.objects.create(
        name="Won",
        stage="won",
        currency=foreign,
        amount=Decimal("9999"),
        probability=100,
        **common,
    )

    data = pipeline_section(plan, cast.owner, timezone.localdate())

    # amount: 1000 + 2000 x 0.5 = 2000; weighted: 500 + 200 x 0.5 = 600
    assert data["count"] == 2
    assert data["amount"] == Decimal("2000.00")
    assert data["weighted"] == Decimal("600.00")


def test_sections_show_only_what_the_user_may_see(cast: Cast, world: DemandWorld) -> None:
    plan = PlanFactory(relationship=world.account_a)
    Opportunity.objects.create(
        relationship=world.account_a,
        name="A",
        owner=cast.owner,
        close_date=timezone.localdate(),
        penetration_type="expansion",
        amount=Decimal(10),
    )

    assert pipeline_section(plan, cast.owner, timezone.localdate())["count"] == 1
    assert pipeline_section(plan, cast.outsider, timezone.localdate())["count"] == 0


def test_dashboard_measure_counts_accounts_whose_current_plan_meets(
    cast: Cast, world: DemandWorld
) -> None:
    today = timezone.localdate()
    complete_plan(world.account_a, cast.owner)  # meets
    second = RelationshipFactory(
        side=Side.DEMAND, owner=cast.owner, status=RelationshipStatus.ACTIVE
    )
    PlanFactory(relationship=second)  # does not meet
    RelationshipFactory(side=Side.DEMAND, owner=cast.owner, status=RelationshipStatus.ACTIVE)
    closed = RelationshipFactory(side=Side.DEMAND, owner=cast.outsider, status="active")
    complete_plan(closed, cast.outsider).status = PlanStatus.CLOSED
    AccountPlan.objects.filter(relationship=closed).update(status=PlanStatus.CLOSED)

    measure = next(m for m in dashboard_measures() if m.key == "plans_meeting_standard")
    values = measure.compute([cast.owner.pk, cast.outsider.pk, cast.member.pk], today)

    # owner: 1 of 3 active accounts → 33.3 %; outsider: Borealis and one whose plan is closed
    assert values[cast.owner.pk].value == Decimal("33.3")
    assert (values[cast.owner.pk].numerator, values[cast.owner.pk].denominator) == (1, 3)
    assert values[cast.outsider.pk].value == Decimal("0.0")
    assert values[cast.outsider.pk].denominator == 2
    assert values[cast.member.pk].value is None

    rolled = measure.roll_up(list(values.values()))
    assert (rolled.numerator, rolled.denominator) == (1, 5)
    assert rolled.value == Decimal("20.0")


def test_installed_base_section(cast: Cast, world: DemandWorld) -> None:
    from steward.accountplans.sections import installed_section
    from steward.accounts.models import InstalledProduct
    from steward.spend.money import base_currency

    plan = PlanFactory(relationship=world.account_a)
    InstalledProduct.objects.create(
        relationship=world.account_a,
        product=ProductFactory(),
        currency=base_currency(),
        annual_revenue=Decimal("1200"),
        annual_cost=Decimal("700"),
    )
    InstalledProduct.objects.create(
        relationship=world.account_a,
        product=ProductFactory(),
        currency=base_currency(),
        annual_revenue=Decimal("800"),
        annual_cost=Decimal("100"),
        since=dt.date(2020, 1, 1),
        until=dt.date(2021, 1, 1),  # stopped
    )

    data = installed_section(plan, cast.owner, timezone.localdate())

    assert data["count"] == 1
    assert data["revenue"] == Decimal("1200.00")
    assert data["margin"] == Decimal("500.00")
