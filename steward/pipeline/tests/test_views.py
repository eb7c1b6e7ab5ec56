"""The pipeline pages: list with filters and export, the opportunity page and its forms, the
forecast and calibration pages, the account tab and the whitespace cell's button."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from steward.accounts.choices import Holder
from steward.accounts.models import WhitespaceCell
from steward.accounts.tests.world import DemandWorld
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.pipeline.models import Opportunity, StageChange
from steward.pipeline.tests.factories import opportunity, proposal_pdf, with_line

pytestmark = pytest.mark.django_db
D = Decimal


def test_list_shows_filters_and_exports(cast: Cast, world: DemandWorld) -> None:
    opportunity(actor=cast.owner, relationship=world.account_a, name="Alpha labels")
    opportunity(actor=cast.outsider, relationship=world.account_b, name="Gamma secret")
    client = web_client(cast.owner)
    page = client.get("/pipeline/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Alpha labels" in body
    assert "Gamma secret" not in body
    assert "Gamma" not in client.get("/pipeline/?q=gamma").content.decode()
    assert "Alpha labels" not in client.get("/pipeline/?stage=won").content.decode()
    export = client.get("/pipeline/?export=csv")
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert b"Alpha labels" in content
    assert b"Gamma" not in content
    empty = web_client(cast.auditor).get("/pipeline/?q=nothing-like-this")
    assert "No opportunities to show." in empty.content.decode()
    assert web_client(cast.portal_a).get("/pipeline/").status_code == 404


def test_create_through_the_form(cast: Cast, world: DemandWorld) -> None:
    client = web_client(cast.owner)
    assert client.get("/pipeline/new/").status_code == 200
    close = timezone.localdate().isoformat()
    refused = client.post(
        "/pipeline/new/",
        {
            "relationship": world.account_a.pk,
            "name": "",
            "close_date": close,
            "stage": "prospecting",
            "penetration_type": "new_product",
            "currency": "EUR",
        },
    )
    assert refused.status_code == 400
    response = client.post(
        "/pipeline/new/",
        {
            "relationship": world.account_a.pk,
            "name": "Labels for Lyon",
            "close_date": close,
            "stage": "qualification",
            "penetration_type": "new_location",
            "currency": "EUR",
        },
    )
    opp = Opportunity.objects.get(name="Labels for Lyon")
    assert response.status_code == 302
    assert response["Location"] == opp.get_absolute_url()
    assert (opp.owner, opp.stage, opp.probability) == (cast.owner, "qualification", 20)


def test_page_forms_add_line_contact_move_and_win(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    product = ProductFactory(list_price=D("250"))
    client = web_client(cast.member)
    url = opp.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.post(f"{url}win/", {"win-version": opp.version}).status_code == 400
    client.post(f"{url}lines/", {"line-product": product.pk, "line-quantity": "4"})
    client.post(
        f"{url}contacts/",
        {"contact-contact": cast.contact_a_shared.pk, "contact-buying_role": "decision_maker"},
    )
    client.post(f"{url}move/", {"move-stage": "negotiation"})
    response = client.post(f"{url}win/", {})
    assert response.status_code == 302
    opp.refresh_from_db()
    assert (opp.stage, opp.amount) == ("won", D("1000.00"))
    assert opp.contacts.count() == 1
    page = client.get(url).content.decode()
    assert "Closed won" in page
    assert "1000.00" in page
    assert StageChange.objects.filter(opportunity=opp, to_stage="won").exists()


def test_a_line_is_changed_on_the_page(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    product = ProductFactory(list_price=D("250"))
    client = web_client(cast.owner)
    url = opp.get_absolute_url()
    client.post(f"{url}lines/", {"line-product": product.pk, "line-quantity": "4"})
    line = opp.lines.get()
    edit, field = f"/pipeline/lines/{line.pk}/edit/", f"line-{line.pk}"
    assert edit in client.get(url).content.decode()
    # A zero quantity is refused next to the field; the line and the total stay
    refused = client.post(edit, {f"{field}-quantity": "0", f"{field}-unit_price": "250"})
    assert refused.status_code == 400
    assert "greater than or equal to 0.01" in refused.content.decode()
    opp.refresh_from_db()
    assert opp.amount == D("1000.00")
    # Six at 200 with 10 % off is 1,080, and the opportunity's amount follows
    body = {
        f"{field}-quantity": "6",
        f"{field}-unit_price": "200",
        f"{field}-discount_percent": "10",
    }
    assert client.post(edit, body | {f"{field}-version": line.version}).status_code == 302
    opp.refresh_from_db()
    assert opp.amount == D("1080.00")
    # A reader of the account may not change it; a peer does not see it
    assert web_client(cast.manager).post(edit, body).status_code == 403
    assert web_client(cast.outsider).post(edit, body).status_code == 404


def test_credits_and_proposals_on_the_page(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    client = web_client(cast.owner)
    url = opp.get_absolute_url()
    bad = client.post(
        f"{url}credits/",
        {"credits-user_0": cast.owner.pk, "credits-role_0": "owner", "credits-percent_0": "70"},
    )
    assert bad.status_code == 400
    assert "exactly 100" in bad.content.decode()
    client.post(
        f"{url}credits/",
        {
            "credits-user_0": cast.owner.pk,
            "credits-role_0": "owner",
            "credits-percent_0": "70",
            "credits-user_1": cast.member.pk,
            "credits-role_1": "specialist",
            "credits-percent_1": "30",
        },
    )
    assert opp.credits.filter(archived_at__isnull=True).count() == 2
    client.post(f"{url}proposals/", {"proposal-title": "Offer", "proposal-file": proposal_pdf()})
    document = opp.proposals.get()
    download = client.get(f"/pipeline/proposals/{document.pk}/download/")
    assert download.status_code == 200
    assert (
        web_client(cast.outsider).get(f"/pipeline/proposals/{document.pk}/download/").status_code
        == 404
    )


def test_readers_see_no_forms_and_may_not_post(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    client = web_client(cast.manager)
    page = client.get(opp.get_absolute_url()).content.decode()
    assert "Mark won" not in page
    assert (
        client.post(f"{opp.get_absolute_url()}move/", {"move-stage": "proposal"}).status_code == 403
    )
    assert web_client(cast.outsider).get(opp.get_absolute_url()).status_code == 404


def test_forecast_and_calibration_pages(cast: Cast, world: DemandWorld) -> None:
    opp = with_line(opportunity(actor=cast.owner, relationship=world.account_a), actor=cast.owner)
    from steward.pipeline import services

    services.opportunity_win(actor=cast.owner, opportunity=opp)
    client = web_client(cast.owner)
    page = client.get("/pipeline/forecast/?period=month")
    assert page.status_code == 200
    assert 'data-testid="forecast-closed">1000.00<' in page.content.decode()
    team = web_client(cast.manager).get("/pipeline/forecast/?who=team&period=year")
    assert 'data-testid="forecast-closed">1000.00<' in team.content.decode()
    peer = web_client(cast.outsider).get("/pipeline/forecast/?who=all&period=year")
    assert 'data-testid="forecast-closed">0.00<' in peer.content.decode()
    bad = client.get("/pipeline/forecast/?currency=ZZZ")
    assert "not an ISO 4217" in bad.content.decode()
    calibration = client.get("/pipeline/calibration/").content.decode()
    assert "Negotiation" in calibration
    assert "default (80 %)" in calibration


def test_account_tab_and_cell_button(cast: Cast, world: DemandWorld) -> None:
    opportunity(actor=cast.owner, relationship=world.account_a, name="Tab deal")
    client = web_client(cast.owner)
    tab = client.get(f"/accounts/{world.account_a.pk}/?tab=pipeline")
    assert tab.status_code == 200
    assert "Tab deal" in tab.content.decode()
    cell = WhitespaceCell.objects.create(
        relationship=world.account_a,
        family=ProductFamilyFactory(name="Films"),
        site=cast.site_a_shared,
        holder=Holder.UNKNOWN,
    )
    response = client.post(f"/pipeline/from-cell/{cell.pk}/")
    created = Opportunity.objects.get(whitespace_cell=cell)
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    again = client.post(f"/pipeline/from-cell/{cell.pk}/")
    assert again.status_code == 302
    assert Opportunity.objects.filter(whitespace_cell=cell).count() == 1
    assert web_client(cast.outsider).post(f"/pipeline/from-cell/{cell.pk}/").status_code == 404
    assert web_client(cast.reviewer).post(f"/pipeline/from-cell/{cell.pk}/").status_code == 403


def test_list_queries_do_not_grow_with_rows(cast: Cast, world: DemandWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_client(cast.owner)
    opportunity(actor=cast.owner, relationship=world.account_a, name="First")
    client.get("/pipeline/")
    with CaptureQueriesContext(connection) as one:
        client.get("/pipeline/")
    for index in range(5):
        opportunity(actor=cast.member, relationship=world.account_a, name=f"More {index}")
    with CaptureQueriesContext(connection) as six:
        page = client.get("/pipeline/")
    assert "More 4" in page.content.decode()
    assert len(six.captured_queries) == len(one.captured_queries)
