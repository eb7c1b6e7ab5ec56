"""The demo's key-account story: a catalog, accounts with installed base, revenue and whitespace,
a pipeline with its history, an account manager behind quota, a churned account and a lapsed
training objective; and the moments written through the services: a plan meeting the standard
and one that does not, a detractor, a cell opened as an opportunity, a handoff waiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from steward.accountplans.choices import PlanStatus
from steward.accountplans.models import AccountPlan
from steward.accountplans.selectors import plan_standing_for
from steward.accounts.choices import OPEN_HOLDERS, Holder
from steward.accounts.models import AccountProfile, InstalledProduct, WhitespaceCell
from steward.catalog.models import Product
from steward.demo.generate import kam_vocabulary as words
from steward.handoffs import rules as handoff_rules
from steward.handoffs.choices import HandoffStatus, ItemKind
from steward.handoffs.models import Handoff
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Relationship
from steward.people.choices import Function
from steward.pipeline.choices import OPEN_STAGES, Stage
from steward.pipeline.models import Opportunity, OpportunityCredit, StageChange
from steward.quotas.models import AccountRevenue, Quota, TrainingObjective
from steward.satisfaction.choices import SurveyKind
from steward.satisfaction.models import SatisfactionResponse
from steward.satisfaction.selectors import account_list, warnings_for
from steward.spend.conversion import convert

pytestmark = pytest.mark.django_db


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def test_the_catalog_prices_every_product_above_its_cost(loaded: Any) -> None:
    products = Product.objects.active()
    assert products.count() >= 15
    assert all(p.list_price > p.standard_cost > 0 for p in products)
    assert products.filter(recurring=True).exists()


def test_every_active_account_has_a_profile_and_an_installed_base(loaded: Any) -> None:
    accounts = Relationship.objects.filter(
        side=Side.DEMAND, status=RelationshipStatus.ACTIVE, organization__sites__isnull=False
    ).distinct()
    assert accounts.exists()
    profiled = set(AccountProfile.objects.values_list("relationship_id", flat=True))
    installed = set(InstalledProduct.objects.values_list("relationship_id", flat=True))
    assert set(accounts.values_list("pk", flat=True)) <= profiled & installed


def _main_account_cells() -> list[WhitespaceCell]:
    """The account manager's main account is the one with their most whitespace cells."""
    cells = WhitespaceCell.objects.filter(relationship__owner=_user("account.manager"))
    by_account: dict[int, list[WhitespaceCell]] = {}
    for cell in cells:
        by_account.setdefault(cell.relationship_id, []).append(cell)
    return max(by_account.values(), key=len)


def test_the_account_managers_main_account_has_obvious_open_cells(loaded: Any) -> None:
    main = _main_account_cells()
    open_cells = [c for c in main if c.holder in OPEN_HOLDERS]
    held = [c for c in main if c.holder == Holder.US]
    eligible = [c for c in main if c.holder != Holder.NOT_A_FIT]
    assert len(open_cells) >= 10
    assert len(held) / len(eligible) < 0.4
    assert sum(c.potential or 0 for c in open_cells) > Decimal(500_000)


def test_opportunity_amounts_are_their_lines_and_their_history_ends_where_they_are(
    loaded: Any,
) -> None:
    stages = set(Opportunity.objects.values_list("stage", flat=True))
    assert {Stage.WON, Stage.LOST, Stage.NEGOTIATION, Stage.PROSPECTING} <= stages
    for opportunity in Opportunity.objects.prefetch_related("lines"):
        assert opportunity.amount == sum(line.amount for line in opportunity.lines.all())
        last = StageChange.objects.filter(opportunity=opportunity).order_by("changed_at").last()
        assert last is not None
        assert last.to_stage == opportunity.stage
    # split credits add up to the whole
    for opportunity_id in OpportunityCredit.objects.values_list("opportunity", flat=True):
        total = OpportunityCredit.objects.filter(opportunity=opportunity_id).aggregate(
            t=Sum("percent")
        )["t"]
        assert total == 100


def test_the_demo_account_manager_is_behind_quota_this_quarter(loaded: Any) -> None:
    person = _user("account.manager")
    today = timezone.localdate()
    quota = Quota.objects.get(person=person, starts_on__lte=today, ends_on__gte=today)
    booked = Decimal(0)
    for opportunity in Opportunity.objects.filter(
        stage=Stage.WON, closed_on__range=(quota.starts_on, today)
    ):
        shares = {c.user_id: c.percent for c in opportunity.credits.all()}
        share = shares.get(person.pk, Decimal(100) if not shares else Decimal(0))
        if not shares and opportunity.owner_id != person.pk:
            continue
        amount = convert(
            opportunity.amount, opportunity.currency, quota.currency, opportunity.closed_on
        )
        booked += amount * share / 100
    elapsed = (today - quota.starts_on).days + 1
    days = (quota.ends_on - quota.starts_on).days + 1
    assert booked < quota.sales_target * elapsed / days


def test_one_account_churned_and_retention_can_tell(loaded: Any) -> None:
    today = timezone.localdate()
    recent = today.replace(day=1) - dt.timedelta(days=150)
    had = set(
        AccountRevenue.objects.filter(month__lt=recent).values_list("relationship", flat=True)
    )
    still = set(
        AccountRevenue.objects.filter(month__gte=recent).values_list("relationship", flat=True)
    )
    assert had - still


def test_a_required_training_objective_lapsed(loaded: Any) -> None:
    today = timezone.localdate()
    lapsed = TrainingObjective.objects.filter(
        required=True, due_on__lt=today, completed_on__isnull=True
    )
    assert lapsed.count() == 1


def test_the_main_accounts_plan_meets_the_standard_and_another_does_not(loaded: Any) -> None:
    main = _main_account_cells()[0].relationship
    plans = AccountPlan.objects.filter(
        relationship__owner=_user("account.manager"), status=PlanStatus.ACTIVE
    )
    standings = plan_standing_for(plans)

    # Then the main account's plan meets every rule of the standard
    plan = plans.get(relationship=main)
    standing = standings[plan.pk]
    assert standing.meets, [check.key for check in standing.missing]
    assert standing.score == 100
    assert {check.key for check in standing.checks} >= {
        "executive_sponsor",
        "locations",
        "objectives_complete",
        "min_objectives",
        "reviewed_recently",
        "next_review",
        "actions_both_sides",
    }
    assert plan.reviews.exists()
    # And another of their plans does not, so the dashboard's share is below 100 %
    assert any(not s.meets for s in standings.values())


def test_a_recent_detractor_shows_on_the_early_warnings(loaded: Any) -> None:
    manager = _user("account.manager")
    today = timezone.localdate()

    # Then a named contact of one of their accounts answered NPS 0-6 recently, and a low CSAT
    detractor = SatisfactionResponse.objects.get(
        relationship__owner=manager, kind=SurveyKind.NPS, comment=words.DETRACTOR_COMMENT
    )
    assert detractor.score <= 6
    assert detractor.contact is not None
    assert today - dt.timedelta(days=30) <= detractor.answered_on < today
    csat = SatisfactionResponse.objects.get(
        relationship=detractor.relationship,
        contact=detractor.contact,
        kind=SurveyKind.CSAT,
        answered_on=detractor.answered_on,
    )
    assert csat.score <= 2
    # And the early warnings the account manager sees name it
    warnings = warnings_for(account_list(user=manager).values_list("pk", flat=True))
    assert any(
        w.kind == "detractor" and w.relationship_id == detractor.relationship_id for w in warnings
    )


def test_an_open_whitespace_cell_was_opened_as_an_opportunity(loaded: Any) -> None:
    main = _main_account_cells()

    # Then an open opportunity of the account manager came from an open cell of the main account
    opportunity = Opportunity.objects.get(whitespace_cell__in=main)
    cell = opportunity.whitespace_cell
    assert cell is not None
    assert cell.holder in OPEN_HOLDERS
    assert opportunity.stage in OPEN_STAGES
    assert (opportunity.relationship_id, opportunity.site_id) == (
        cell.relationship_id,
        cell.site_id,
    )
    assert opportunity.owner == _user("account.manager")
    assert opportunity.amount > 0


def test_a_won_customers_handoff_waits_for_the_account_managers_acceptance(
    loaded: Any,
) -> None:
    manager, developer = _user("account.manager"), _user("business.developer")
    assert developer.profile.function == Function.BUSINESS_DEVELOPMENT

    # Then business development handed a newly won customer over to the account manager
    handoff = Handoff.objects.get(handed_over_by=developer)
    assert handoff.status == HandoffStatus.HANDED_OVER
    assert handoff.receiver == manager
    assert handoff.handed_over_at is not None
    assert handoff.accepted_at is None
    assert handoff.first_review_on is not None
    assert handoff.first_review_on > timezone.localdate()
    assert handoff.opportunity is not None
    assert handoff.opportunity.stage == Stage.WON
    assert handoff.relationship.status == RelationshipStatus.ACTIVE
    # With checklist steps, a commitment, a risk and named contacts
    kinds = list(handoff.items.values_list("kind", flat=True))
    assert kinds.count(ItemKind.CHECKLIST) >= 2
    assert {ItemKind.COMMITMENT, ItemKind.RISK, ItemKind.CONTACT} <= set(kinds)
    assert not handoff.items.filter(kind=ItemKind.CONTACT, contact__isnull=True).exists()
    # And only the account manager may accept it
    assert handoff_rules.may_answer(manager, handoff)
    assert not handoff_rules.may_answer(developer, handoff)
