"""The quotas pages: they load, show what the user may see, and the dashboard reads a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.people.tests.factories import UserFactory
from steward.quotas.accountability import accountability
from steward.quotas.tests.factories import QuotaFactory, TrainingFactory, won

pytestmark = pytest.mark.django_db


def _this_quarter(person: object) -> Any:
    today = timezone.localdate()
    return QuotaFactory(
        person=person,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=79),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/quotas/",
        "/quotas/team/",
        "/quotas/list/",
        "/quotas/training/",
        "/quotas/revenue/",
        "/quotas/service-costs/",
        "/accountability/",
        "/quotas/list/?export=csv",
    ],
)
def test_pages_load(cast: Cast, url: str) -> None:
    _this_quarter(cast.owner)
    assert web_client(cast.manager).get(url).status_code == 200
    assert web_client(cast.portal_a).get(url).status_code == 404


def test_my_attainment_moves_with_a_won_deal(cast: Cast, world: DemandWorld) -> None:
    _this_quarter(cast.owner)
    won(
        relationship=world.account_a,
        owner=cast.owner,
        amount="1234.00",
        closed_on=timezone.localdate(),
    )
    page = web_client(cast.owner).get("/quotas/").content.decode()
    assert "1,234.00" in page
    assert web_client(cast.manager).get(f"/quotas/?person={cast.owner.pk}").status_code == 200
    assert web_client(cast.outsider).get(f"/quotas/?person={cast.owner.pk}").status_code == 404


def test_a_manager_sets_a_quota_through_the_form(cast: Cast) -> None:
    response = web_client(cast.manager).post(
        "/quotas/new/",
        {
            "person": cast.owner.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
            "currency": "EUR",
            "sales_target": "90000",
            "margin_target": "30000",
        },
    )
    assert response.status_code == 302
    again = web_client(cast.manager).post(
        "/quotas/new/",
        {
            "person": cast.owner.pk,
            "starts_on": "2026-02-01",
            "ends_on": "2026-03-31",
            "currency": "EUR",
            "sales_target": "1",
            "margin_target": "1",
        },
    )
    assert again.status_code == 400
    assert "may not overlap" in again.content.decode()
    assert web_client(cast.owner).get("/quotas/new/").status_code == 403


def test_the_dashboard_rolls_up_per_manager(cast: Cast, world: DemandWorld) -> None:
    _this_quarter(cast.owner)
    TrainingFactory(
        person=cast.owner,
        due_on=timezone.localdate() - dt.timedelta(days=1),
        completed_on=timezone.localdate() - dt.timedelta(days=2),
    )
    board = accountability(user=cast.director, today=timezone.localdate())
    labels = [row.label for row in board.rows]
    assert labels[0] == cast.director.get_full_name() or labels[0] == "director"
    roll_ups = [row for row in board.rows if row.is_roll_up]
    assert {row.person.pk for row in roll_ups} == {cast.director.pk, cast.manager.pk}
    training = [m.key for m in board.measures].index("training")
    owner_row = next(
        row for row in board.rows if row.person.pk == cast.owner.pk and not row.is_roll_up
    )
    assert owner_row.values[training].display == "1 of 1"
    assert (
        accountability(user=cast.outsider, today=timezone.localdate()).rows[0].person.pk
        == cast.outsider.pk
    )
    assert len(accountability(user=cast.outsider, today=timezone.localdate()).rows) == 1


def test_the_dashboard_reads_a_fixed_number_of_queries(cast: Cast, world: DemandWorld) -> None:
    def team_of(size: int) -> None:
        for _ in range(size):
            person = UserFactory(profile__manager=cast.manager)
            _this_quarter(person)
            TrainingFactory(person=person, due_on=timezone.localdate())

    team_of(2)
    from steward.core.access import forget_principal

    accountability(user=cast.manager, today=timezone.localdate())  # warm the per-process caches
    forget_principal(cast.manager)
    with CaptureQueriesContext(connection) as few:
        accountability(user=cast.manager, today=timezone.localdate())
    team_of(5)
    forget_principal(cast.manager)
    with CaptureQueriesContext(connection) as many:
        accountability(user=cast.manager, today=timezone.localdate())
    assert len(few) == len(many), [q["sql"][:120] for q in many.captured_queries]


def test_the_account_profitability_tab(cast: Cast, world: DemandWorld) -> None:
    from steward.quotas.tests.factories import RevenueFactory

    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    RevenueFactory(relationship=world.account_a, month=last_month, revenue=Decimal("4321.00"))
    url = f"/accounts/{world.account_a.pk}/?tab=profitability"
    page = web_client(cast.manager).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="profitability-tab"' in body
    assert "4,321.00" in body
    assert web_client(cast.outsider).get(url).status_code == 404


def test_the_team_page_shows_each_reports_revenue_retention(cast: Cast, world: DemandWorld) -> None:
    from steward.quotas.tests.factories import RevenueFactory

    # Given owner's account billed 1,000 a year ago and 1,500 last month (base currency)
    _this_quarter(cast.owner)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    year_before = last_month.replace(year=last_month.year - 1)
    RevenueFactory(relationship=world.account_a, month=year_before, revenue=Decimal("1000.00"))
    RevenueFactory(relationship=world.account_a, month=last_month, revenue=Decimal("1500.00"))
    # When the field sales manager opens the team page
    page = web_client(cast.manager).get("/quotas/team/").content.decode()
    # Then owner's row and the team show 150 % net and 100 % gross retention
    row = page[page.index(f'id="retention-{cast.owner.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "150.0 %" in row
    assert "100.0 %" in row
    assert 'data-testid="team-nrr">150.0 %' in page


def test_recorded_revenue_and_costs_are_edited_and_removed_on_their_pages(
    cast: Cast, world: DemandWorld, finance: Any
) -> None:
    from steward.quotas.models import AccountRevenue, ServiceCost
    from steward.quotas.tests.factories import RevenueFactory, ServiceCostFactory

    revenue = RevenueFactory(relationship=world.account_a, month=dt.date(2026, 1, 1))
    cost = ServiceCostFactory(relationship=world.account_a, month=dt.date(2026, 1, 1))
    revenue_url, cost_url = (
        f"/quotas/revenue/{revenue.pk}/edit/",
        f"/quotas/service-costs/{cost.pk}/edit/",
    )
    # A peer account manager does not see the rows; the list links finance to the edit page
    assert web_client(cast.outsider).get(revenue_url).status_code == 404
    assert (
        web_client(cast.outsider).post(f"/quotas/revenue/{revenue.pk}/archive/").status_code == 404
    )
    client = web_client(finance)
    assert revenue_url in client.get("/quotas/revenue/").content.decode()
    # A negative revenue is refused on the form, naming the field, and nothing changes
    body = {"month": "2026-01-01", "currency": "EUR", "revenue": "-5", "version": revenue.version}
    refused = client.post(revenue_url, body)
    assert refused.status_code == 400
    assert "revenue" in refused.context["form"].errors
    revenue.refresh_from_db()
    assert revenue.revenue == Decimal("1000.00")
    # A good edit is saved with its history
    body |= {"revenue": "1250.00", "cost": "700.00"}
    assert client.post(revenue_url, body).status_code == 302
    revenue.refresh_from_db()
    assert (revenue.revenue, revenue.cost) == (Decimal("1250.00"), Decimal("700.00"))
    assert revenue.history.count() == 2
    # The cost to serve is edited the same way, then removed from the figures
    body = {"month": "2026-01-01", "kind": cost.kind, "currency": "EUR", "amount": "75.00"}
    assert client.post(cost_url, body | {"version": cost.version}).status_code == 302
    cost.refresh_from_db()
    assert cost.amount == Decimal("75.00")
    archived = client.post(f"/quotas/service-costs/{cost.pk}/archive/", {"version": cost.version})
    assert archived.status_code == 302
    assert not ServiceCost.objects.active().filter(pk=cost.pk).exists()
    assert AccountRevenue.objects.active().filter(pk=revenue.pk).exists()
