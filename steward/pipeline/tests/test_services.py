"""The pipeline's write path: opportunities, stages, lines, contacts, credits, proposals and
the whitespace cell an opportunity is opened from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.accounts.choices import Holder
from steward.accounts.models import InstalledProduct, WhitespaceCell
from steward.accounts.tests.world import DemandWorld
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.errors import DomainError, StaleVersionError, TransitionError
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory, SiteFactory
from steward.pipeline import services
from steward.pipeline.choices import ForecastCategory, PenetrationType, Stage
from steward.pipeline.models import Opportunity, OpportunityCredit, StageChange
from steward.pipeline.tests.factories import opportunity, proposal_pdf, rate, with_line

pytestmark = pytest.mark.django_db
D = Decimal


def _codes(error: Any) -> tuple[str | None, str]:
    return error.value.field, error.value.code


# --- opening -----------------------------------------------------------------------------------


def test_create_defaults_owner_probability_and_category(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.member, relationship=world.account_a)
    assert opp.owner == cast.member
    assert (opp.stage, opp.probability, opp.forecast_category) == ("prospecting", 10, "pipeline")
    change = StageChange.objects.get(opportunity=opp)
    assert (change.from_stage, change.to_stage, change.amount) == ("", "prospecting", D("0"))


def test_create_refuses_what_it_should(cast: Cast, world: DemandWorld) -> None:
    # a reader of the account may not open one on it
    with pytest.raises(PermissionDenied):
        opportunity(actor=cast.reviewer, relationship=world.account_a)
    # the owner must see the account: outsider (a peer) does not
    with pytest.raises(DomainError) as error:
        opportunity(actor=cast.owner, relationship=world.account_a, owner=cast.outsider)
    assert _codes(error) == ("owner", "cannot_see_account")
    # a supply-side relationship is no account
    with pytest.raises(DomainError) as error:
        opportunity(actor=cast.owner, relationship=cast.rel_a)
    assert _codes(error) == ("relationship", "not_an_account")
    # a site of another customer
    with pytest.raises(DomainError) as error:
        opportunity(actor=cast.owner, relationship=world.account_a, site=cast.site_b)
    assert _codes(error) == ("site", "invalid")
    with pytest.raises(DomainError) as error:
        opportunity(actor=cast.owner, relationship=world.account_a, name="  ")
    assert _codes(error) == ("name", "required")
    with pytest.raises(DomainError) as error:
        opportunity(actor=cast.owner, relationship=world.account_a, currency="XXQ")
    assert _codes(error) == ("currency", "invalid_currency")
    assert not Opportunity.objects.exists()


def test_a_site_of_the_customers_group_is_accepted(cast: Cast, world: DemandWorld) -> None:
    parent = cast.org_b
    cast.org_a.parent = parent
    cast.org_a.save()
    opp = opportunity(actor=cast.owner, relationship=world.account_a, site=cast.site_b)
    assert opp.site == cast.site_b


# --- stages ------------------------------------------------------------------------------------


def test_move_sets_probability_and_category_and_keeps_history(
    cast: Cast, world: DemandWorld
) -> None:
    opp = with_line(opportunity(actor=cast.owner, relationship=world.account_a), actor=cast.owner)
    moved = services.opportunity_move(actor=cast.owner, opportunity=opp, stage=Stage.PROPOSAL)
    assert (moved.probability, moved.forecast_category) == (60, "best_case")
    moved = services.opportunity_move(actor=cast.member, opportunity=moved, stage="negotiation")
    assert (moved.probability, moved.forecast_category) == (80, "commit")
    history = list(
        StageChange.objects.filter(opportunity=opp).values_list(
            "from_stage", "to_stage", "probability", "amount"
        )
    )
    assert history == [
        ("", "prospecting", 10, D("0.00")),
        ("prospecting", "prospecting", 10, D("1000.00")),  # the line changed the amount
        ("prospecting", "proposal", 60, D("1000.00")),
        ("proposal", "negotiation", 80, D("1000.00")),
    ]


def test_win_needs_a_line_and_is_final(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    with pytest.raises(DomainError) as error:
        services.opportunity_win(actor=cast.owner, opportunity=opp)
    assert _codes(error) == ("lines", "no_lines")
    opp = with_line(opp, actor=cast.owner)
    won = services.opportunity_win(actor=cast.owner, opportunity=opp)
    assert (won.stage, won.probability, won.forecast_category) == ("won", 100, "closed")
    assert won.closed_on == won.close_date == timezone.localdate()
    for stage in (Stage.PROPOSAL, Stage.PROSPECTING):
        with pytest.raises(TransitionError):
            services.opportunity_move(actor=cast.owner, opportunity=won, stage=stage)
    with pytest.raises(TransitionError):
        services.opportunity_lose(actor=cast.owner, opportunity=won, reason="changed mind")
    with pytest.raises(DomainError) as error:
        services.opportunity_update(
            actor=cast.owner,
            opportunity=won,
            expected_version=won.version,
            forecast_category=ForecastCategory.COMMIT,
        )
    assert _codes(error) == ("forecast_category", "closed")
    # words still change
    renamed = services.opportunity_update(
        actor=cast.owner, opportunity=won, expected_version=won.version, name="Renamed"
    )
    assert renamed.name == "Renamed"


def test_lose_needs_a_reason_and_reopen_goes_back_open(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    with pytest.raises(DomainError) as error:
        services.opportunity_lose(actor=cast.owner, opportunity=opp, reason=" ")
    assert _codes(error) == ("reason", "required")
    lost = services.opportunity_lose(actor=cast.owner, opportunity=opp, reason="Price")
    assert (lost.stage, lost.probability, lost.forecast_category) == ("lost", 0, "omitted")
    assert lost.lost_reason == "Price"
    with pytest.raises(TransitionError):
        services.opportunity_move(actor=cast.owner, opportunity=lost, stage="proposal")
    later = timezone.localdate() + dt.timedelta(days=60)
    reopened = services.opportunity_reopen(
        actor=cast.owner, opportunity=lost, stage=Stage.QUALIFICATION, close_date=later
    )
    assert (reopened.stage, reopened.probability, reopened.closed_on) == ("qualification", 20, None)
    assert reopened.close_date == later


def test_category_may_be_set_within_the_rules(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    changed = services.opportunity_update(
        actor=cast.owner,
        opportunity=opp,
        expected_version=opp.version,
        forecast_category=ForecastCategory.COMMIT,
    )
    assert changed.forecast_category == "commit"
    assert StageChange.objects.filter(opportunity=opp).count() == 2
    with pytest.raises(DomainError) as error:
        services.opportunity_update(
            actor=cast.owner,
            opportunity=changed,
            expected_version=changed.version,
            forecast_category=ForecastCategory.CLOSED,
        )
    assert _codes(error) == ("forecast_category", "invalid")
    with pytest.raises(StaleVersionError):
        services.opportunity_update(
            actor=cast.owner, opportunity=changed, expected_version=1, name="Late"
        )


def test_a_reader_changes_nothing(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    for actor in (cast.reviewer, cast.manager, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.opportunity_move(actor=actor, opportunity=opp, stage="proposal")


# --- lines -------------------------------------------------------------------------------------


def test_line_defaults_convert_list_price_and_cost(cast: Cast, world: DemandWorld) -> None:
    today = timezone.localdate()
    rate("USD", today - dt.timedelta(days=3), "0.9")  # 1 USD = 0.9 EUR
    rate("GBP", today - dt.timedelta(days=3), "1.2")  # 1 GBP = 1.2 EUR
    product = ProductFactory(currency="USD", list_price=D("120"), standard_cost=D("70"))
    opp = opportunity(actor=cast.owner, relationship=world.account_a, currency="GBP")
    line = services.line_add(
        actor=cast.owner, opportunity=opp, product=product, quantity=D("3"), discount_percent=10
    )
    # 120 USD x 0.9 / 1.2 = 90 GBP; 70 x 0.9 / 1.2 = 52.5 GBP
    assert (line.unit_price, line.unit_cost) == (D("90.0000"), D("52.5000"))
    # 3 x 90 x 0.9 = 243.00; cost 3 x 52.5 = 157.50
    assert (line.amount, line.cost) == (D("243.00"), D("157.50"))
    opp.refresh_from_db()
    assert (opp.amount, opp.cost) == (D("243.00"), D("157.50"))


def test_line_changes_keep_the_sums(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    opp = with_line(opp, actor=cast.owner, quantity="2", unit_price="500")  # 1000.00
    opp = with_line(opp, actor=cast.owner, quantity="1", unit_price="19.99", discount="12.5")
    assert opp.amount == D("1017.49")  # 1000 + 17.49125 -> 17.49
    line = opp.lines.order_by("pk").first()
    assert line is not None
    services.line_update(
        actor=cast.member, line=line, expected_version=line.version, quantity=D("3")
    )
    opp.refresh_from_db()
    assert opp.amount == D("1517.49")
    services.line_remove(actor=cast.owner, line=opp.lines.order_by("pk").first())
    opp.refresh_from_db()
    assert opp.amount == D("17.49")
    with pytest.raises(DomainError) as error:
        services.line_add(actor=cast.owner, opportunity=opp, product=ProductFactory(), quantity=0)
    assert _codes(error) == ("quantity", "invalid")
    with pytest.raises(DomainError) as error:
        services.line_add(
            actor=cast.owner,
            opportunity=opp,
            product=ProductFactory(),
            quantity=1,
            discount_percent=101,
        )
    assert _codes(error) == ("discount_percent", "invalid")


def test_line_without_a_rate_is_refused(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    with pytest.raises(DomainError) as error:
        services.line_add(
            actor=cast.owner, opportunity=opp, product=ProductFactory(currency="JPY"), quantity=1
        )
    assert error.value.code == "no_rate"
    assert not opp.lines.exists()


# --- contacts, credits -------------------------------------------------------------------------


def test_contacts_of_the_customer_only(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    row = services.contact_add(
        actor=cast.owner,
        opportunity=opp,
        contact=cast.contact_a_private,
        buying_role="decision_maker",
    )
    assert row.buying_role == "decision_maker"
    with pytest.raises(DomainError) as error:
        services.contact_add(
            actor=cast.owner, opportunity=opp, contact=cast.contact_b, buying_role="user"
        )
    assert _codes(error) == ("contact", "invalid")
    with pytest.raises(DomainError) as error:
        services.contact_add(
            actor=cast.owner,
            opportunity=opp,
            contact=cast.contact_a_private,
            buying_role="decision_maker",
        )
    assert _codes(error) == ("contact", "duplicate")
    # the same person may play a second role
    services.contact_add(
        actor=cast.owner, opportunity=opp, contact=cast.contact_a_private, buying_role="user"
    )
    # a contact of a subsidiary (the customer's group) is accepted
    subsidiary_contact = ContactFactory(organization__parent=cast.org_a)
    services.contact_add(
        actor=cast.owner, opportunity=opp, contact=subsidiary_contact, buying_role="evaluator"
    )


def test_credits_add_up_to_100_or_default_to_the_owner(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    assert services.credit_shares(opp) == [(cast.owner, "owner", D(100))]
    with pytest.raises(DomainError) as error:
        services.credits_set(
            actor=cast.owner,
            opportunity=opp,
            splits=[(cast.owner, "owner", 60), (cast.member, "specialist", 30)],
        )
    assert _codes(error) == ("splits", "not_100")
    with pytest.raises(DomainError) as error:
        services.credits_set(
            actor=cast.owner, opportunity=opp, splits=[(cast.portal_a, "owner", 100)]
        )
    assert _codes(error) == ("splits", "not_internal")
    services.credits_set(
        actor=cast.owner,
        opportunity=opp,
        splits=[(cast.owner, "owner", D("62.5")), (cast.member, "specialist", D("37.5"))],
    )
    assert sorted((u.username, p) for u, _, p in services.credit_shares(opp)) == [
        ("member", D("37.50")),
        ("owner", D("62.50")),
    ]
    services.credits_set(actor=cast.owner, opportunity=opp, splits=[(cast.member, "proposal", 100)])
    assert OpportunityCredit.objects.filter(opportunity=opp, archived_at__isnull=True).count() == 1
    services.credits_set(actor=cast.owner, opportunity=opp, splits=[])
    assert services.credit_shares(opp) == [(cast.owner, "owner", D(100))]


# --- proposals ---------------------------------------------------------------------------------


def test_proposal_versions_per_title(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    first = services.proposal_upload(
        actor=cast.owner, opportunity=opp, title="Offer", upload=proposal_pdf()
    )
    second = services.proposal_upload(
        actor=cast.member, opportunity=opp, title="offer ", upload=proposal_pdf(text="v2")
    )
    other = services.proposal_upload(
        actor=cast.owner, opportunity=opp, title="Pricing", upload=proposal_pdf()
    )
    assert [(d.title, d.number) for d in (first, second, other)] == [
        ("Offer", 1),
        ("Offer", 2),
        ("Pricing", 1),
    ]
    assert first.sha256 != second.sha256
    with pytest.raises(DomainError) as error:
        services.proposal_upload(
            actor=cast.owner,
            opportunity=opp,
            title="Offer",
            upload=proposal_pdf(name="offer.exe"),
        )
    assert _codes(error) == ("file", "file_type")


# --- from a whitespace cell --------------------------------------------------------------------


def _cell(world: DemandWorld, cast: Cast, **kwargs: Any) -> WhitespaceCell:
    kwargs.setdefault("family", ProductFamilyFactory(name="Labels"))
    kwargs.setdefault("site", cast.site_a_shared)
    kwargs.setdefault("holder", Holder.COMPETITOR)
    return WhitespaceCell.objects.create(relationship=world.account_a, **kwargs)


def _installed(world: DemandWorld, site: Any, family: Any) -> None:
    InstalledProduct.objects.create(
        relationship=world.account_a,
        product=ProductFactory(family=family),
        site=site,
        annual_revenue=D("1000"),
        annual_cost=D("600"),
    )


def test_penetration_type_from_the_installed_base(cast: Cast, world: DemandWorld) -> None:
    cell = _cell(world, cast)
    assert services.penetration_for(cell) == PenetrationType.NEW_LOCATION
    _installed(world, cast.site_a_shared, ProductFamilyFactory())
    assert services.penetration_for(cell) == PenetrationType.NEW_PRODUCT
    _installed(world, cast.site_a_shared, cell.family)
    assert services.penetration_for(cell) == PenetrationType.NEW_BUYER


def test_from_cell_then_won_marks_the_cell_ours(cast: Cast, world: DemandWorld) -> None:
    site = SiteFactory(organization=cast.org_a, name="Lyon plant")
    cell = _cell(world, cast, site=site, currency="EUR")
    opp = services.opportunity_from_cell(actor=cast.member, cell=cell)
    assert opp.name == "Labels at Lyon plant"
    assert (opp.relationship, opp.site, opp.whitespace_cell) == (world.account_a, site, cell)
    assert opp.penetration_type == PenetrationType.NEW_LOCATION
    assert opp.owner == cast.member
    with pytest.raises(DomainError) as error:
        services.opportunity_from_cell(actor=cast.member, cell=cell)
    assert _codes(error) == ("cell", "duplicate")
    with pytest.raises(PermissionDenied):
        services.opportunity_from_cell(actor=cast.outsider, cell=cell)
    opp = with_line(opp, actor=cast.member)
    services.opportunity_win(actor=cast.member, opportunity=opp)
    cell.refresh_from_db()
    assert cell.holder == Holder.US
    with pytest.raises(DomainError) as error:
        services.opportunity_from_cell(actor=cast.member, cell=cell)
    assert _codes(error) == ("cell", "not_open")
