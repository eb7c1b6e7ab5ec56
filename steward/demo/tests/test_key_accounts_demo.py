"""The demo's key-account story: a catalog, accounts with installed base, revenue and whitespace,
a pipeline with its history, an account manager behind quota, a churned account and a lapsed
training objective."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from steward.accounts.choices import OPEN_HOLDERS, Holder
from steward.accounts.models import AccountProfile, InstalledProduct, WhitespaceCell
from steward.catalog.models import Product
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Relationship
from steward.pipeline.choices import Stage
from steward.pipeline.models import Opportunity, OpportunityCredit, StageChange
from steward.quotas.models import AccountRevenue, Quota, TrainingObjective
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


def test_the_account_managers_main_account_has_obvious_open_cells(loaded: Any) -> None:
    cells = WhitespaceCell.objects.filter(relationship__owner=_user("account.manager"))
    by_account: dict[int, list[WhitespaceCell]] = {}
    for cell in cells:
        by_account.setdefault(cell.relationship_id, []).append(cell)
    main = max(by_account.values(), key=len)
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
