"""Services of account plans: the one-active-plan rule, the parts, reviews, the standard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.accountplans import selectors, services
from steward.accountplans.choices import DecisionRole, PlanStatus, Sentiment
from steward.accountplans.models import AccountPlan, PlanAction, PlanStakeholder
from steward.accounts.tests.world import DemandWorld
from steward.core.errors import DomainError, StaleVersionError
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory, OrganizationFactory
from steward.plans.tests.factories import InitiativeFactory
from steward.reviews.choices import ActionSide

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def _plan(cast: Cast, world: DemandWorld, **kwargs: object) -> AccountPlan:
    return services.plan_create(
        actor=cast.owner, relationship=world.account_a, starts_on=START, ends_on=END, **kwargs
    )


def test_plan_create_defaults_title_and_visibility(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)

    assert plan.title == "Aurora Metals account plan 2026"
    assert plan.status == PlanStatus.ACTIVE
    assert plan.goals_visibility == "customer"
    assert plan.map_visibility == "internal"
    assert plan.history.count() == 1


def test_one_active_plan_per_account_then_close_and_start_the_next(
    cast: Cast, world: DemandWorld
) -> None:
    first = _plan(cast, world)

    with pytest.raises(DomainError) as refused:
        _plan(cast, world)
    assert refused.value.code == "duplicate"

    services.plan_close(actor=cast.owner, plan=first, expected_version=first.version)
    second = services.plan_create(
        actor=cast.owner,
        relationship=world.account_a,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    assert second.status == PlanStatus.ACTIVE
    assert AccountPlan.objects.filter(relationship=world.account_a).count() == 2


def test_a_closed_plan_is_kept_as_it_was(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    closed = services.plan_close(actor=cast.owner, plan=plan, expected_version=plan.version)

    with pytest.raises(DomainError) as refused:
        services.objective_add(actor=cast.owner, plan=closed, title="Too late")
    assert refused.value.code == "closed"


def test_plans_are_for_accounts_only(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        services.plan_create(
            actor=cast.owner, relationship=cast.rel_a, starts_on=START, ends_on=END
        )
    assert refused.value.code == "not_an_account"
    assert refused.value.field == "relationship"


def test_period_must_not_end_before_it_starts(cast: Cast, world: DemandWorld) -> None:
    with pytest.raises(DomainError) as refused:
        services.plan_create(
            actor=cast.owner, relationship=world.account_a, starts_on=END, ends_on=START
        )
    assert refused.value.field == "ends_on"
    assert not AccountPlan.objects.exists()


def test_peers_and_readers_cannot_start_or_edit(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    for user in (cast.outsider, cast.manager, cast.reviewer, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.plan_update(actor=user, plan=plan, expected_version=1, goals="x")
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=cast.outsider, relationship=world.account_a, starts_on=START, ends_on=END
        )


def test_edit_checks_the_version(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    services.plan_update(actor=cast.member, plan=plan, expected_version=1, goals="More")

    with pytest.raises(StaleVersionError):
        services.plan_update(actor=cast.owner, plan=plan, expected_version=1, goals="Less")
    assert AccountPlan.objects.get(pk=plan.pk).goals == "More"


def test_unknown_shared_section_is_refused(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    with pytest.raises(DomainError) as refused:
        services.plan_update(
            actor=cast.owner, plan=plan, expected_version=1, shared_live_sections=["secrets"]
        )
    assert refused.value.field == "shared_live_sections"

    shared = services.plan_update(
        actor=cast.owner, plan=plan, expected_version=1, shared_live_sections=["pipeline"]
    )
    assert shared.shared_live_sections == ["pipeline"]


def test_map_takes_the_customers_people_once(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    cast.contact_a_shared.influence = 4
    cast.contact_a_shared.save()

    row = services.stakeholder_add(
        actor=cast.owner,
        plan=plan,
        contact=cast.contact_a_shared,
        decision_role=DecisionRole.DECISION_MAKER,
        covered_by=cast.member,
    )
    assert row.influence == 4  # taken from the contact
    assert row.sentiment == Sentiment.NEUTRAL

    with pytest.raises(DomainError) as twice:
        services.stakeholder_add(
            actor=cast.owner,
            plan=plan,
            contact=cast.contact_a_shared,
            decision_role=DecisionRole.USER,
        )
    assert twice.value.code == "duplicate"

    with pytest.raises(DomainError) as stranger:
        services.stakeholder_add(
            actor=cast.owner, plan=plan, contact=cast.contact_b, decision_role=DecisionRole.USER
        )
    assert stranger.value.code == "not_in_account"
    assert PlanStakeholder.objects.count() == 1


def test_map_takes_people_of_the_group(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    subsidiary = OrganizationFactory(parent=cast.org_a)
    person = ContactFactory(organization=subsidiary)

    row = services.stakeholder_add(
        actor=cast.owner, plan=plan, contact=person, decision_role=DecisionRole.INFLUENCER
    )

    assert row.contact == person


def test_portal_user_cannot_cover_a_stakeholder(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    with pytest.raises(DomainError) as refused:
        services.stakeholder_add(
            actor=cast.owner,
            plan=plan,
            contact=cast.contact_a_shared,
            decision_role=DecisionRole.USER,
            covered_by=cast.portal_a,
        )
    assert refused.value.field == "covered_by"


def test_objective_stakeholder_must_be_the_customers(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    with pytest.raises(DomainError) as refused:
        services.objective_add(
            actor=cast.owner, plan=plan, title="Uptime", stakeholder=cast.contact_b
        )
    assert refused.value.field == "stakeholder"

    objective = services.objective_add(
        actor=cast.member,
        plan=plan,
        title="Uptime 99.5 %",
        owner=cast.member,
        stakeholder=cast.contact_a_private,
        measure="Monthly uptime",
        target="99.5 %",
        due_on=END,
    )
    updated = services.objective_update(
        actor=cast.owner, objective=objective, expected_version=1, status="on_track"
    )
    assert updated.version == 2


def test_initiative_link_must_be_on_the_same_account(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    other = InitiativeFactory(relationship=cast.rel_a)
    with pytest.raises(DomainError) as refused:
        services.initiative_link_add(actor=cast.owner, plan=plan, initiative=other)
    assert refused.value.code == "not_in_account"

    mine = InitiativeFactory(relationship=world.account_a, currency="USD")
    link = services.initiative_link_add(
        actor=cast.owner,
        plan=plan,
        initiative=mine,
        priority=2,
        investment_amount=Decimal("25000.00"),
        investment_note="Two engineers for a pilot",
    )
    assert link.investment_currency == "USD"  # the initiative's by default

    with pytest.raises(DomainError) as negative:
        services.initiative_link_update(
            actor=cast.owner, link=link, expected_version=1, investment_amount=Decimal(-1)
        )
    assert negative.value.field == "investment_amount"


def test_new_action_is_a_reviews_action_item_linked_to_the_plan(
    cast: Cast, world: DemandWorld
) -> None:
    plan = _plan(cast, world)
    link = services.action_link_create(
        actor=cast.owner,
        plan=plan,
        title="Send the uptime report",
        due_on=END,
        side=ActionSide.THEIRS,
        owner_contact=cast.contact_a_private,
    )

    item = link.action_item
    assert item.relationship_id == world.account_a.pk
    assert item.owner_contact == cast.contact_a_private
    assert item.account_plan_links.get() == link  # chased by the reviews engine like any other

    with pytest.raises(DomainError) as twice:
        services.action_link_add(actor=cast.owner, plan=plan, action_item=item)
    assert twice.value.code == "duplicate"

    services.action_link_remove(actor=cast.owner, link=link)
    assert PlanAction.objects.active().count() == 0
    item.refresh_from_db()
    assert item.archived_at is None  # the action itself stays


def test_review_sets_last_and_next(cast: Cast, world: DemandWorld) -> None:
    plan = _plan(cast, world)
    today = timezone.localdate()

    services.plan_review_record(
        actor=cast.owner, plan=plan, held_on=today, next_review_on=today + dt.timedelta(days=90)
    )
    # an earlier review recorded later does not move the last review back
    services.plan_review_record(actor=cast.owner, plan=plan, held_on=today - dt.timedelta(days=30))

    plan.refresh_from_db()
    assert plan.last_reviewed_on == today
    assert plan.next_review_on == today + dt.timedelta(days=90)
    assert plan.reviews.count() == 2

    with pytest.raises(DomainError) as future:
        services.plan_review_record(
            actor=cast.owner, plan=plan, held_on=today + dt.timedelta(days=1)
        )
    assert future.value.code == "future"


def test_standard_is_changed_by_administrators_only(cast: Cast) -> None:
    standard = selectors.standard_get()
    assert standard.min_objectives == 1
    assert standard.review_days == 92

    with pytest.raises(PermissionDenied):
        services.standard_update(
            actor=cast.owner, standard=standard, expected_version=1, min_objectives=3
        )
    changed = services.standard_update(
        actor=cast.admin, standard=standard, expected_version=1, min_objectives=3
    )
    assert changed.min_objectives == 3

    with pytest.raises(DomainError) as refused:
        services.standard_update(
            actor=cast.admin, standard=changed, expected_version=2, review_days=0
        )
    assert refused.value.field == "review_days"


def test_restore_refuses_a_second_active_plan(cast: Cast, world: DemandWorld) -> None:
    first = _plan(cast, world)
    services.plan_archive(actor=cast.owner, plan=first)
    _plan(cast, world)

    with pytest.raises(DomainError) as refused:
        services.plan_restore(actor=cast.owner, plan=first)
    assert refused.value.code == "duplicate"
