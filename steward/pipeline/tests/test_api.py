"""The pipeline API: opportunities and their actions, parts, credits, proposals, stage changes
and the forecast, with the errors in the API's one shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from steward.accounts.choices import Holder
from steward.accounts.models import WhitespaceCell
from steward.accounts.tests.world import DemandWorld
from steward.catalog.tests.factories import ProductFactory, ProductFamilyFactory
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.pipeline.models import Opportunity
from steward.pipeline.tests.factories import opportunity, proposal_pdf, with_line

pytestmark = pytest.mark.django_db


def test_opportunity_lifecycle(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    close = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    created = client.post(
        "/api/v1/opportunities/",
        {
            "relationship": world.account_a.pk,
            "name": "API deal",
            "close_date": close,
            "penetration_type": "new_product",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["owner"] == cast.owner.pk
    line = client.post(
        "/api/v1/opportunity-lines/",
        {
            "opportunity": pk,
            "product": ProductFactory().pk,
            "quantity": "3",
            "unit_price": "19.99",
            "discount_percent": "12.5",
        },
        format="json",
    )
    assert line.status_code == 201, line.content
    assert line.json()["amount"] == "52.47"
    moved = client.post(f"/api/v1/opportunities/{pk}/move/", {"stage": "proposal"}, format="json")
    assert (moved.json()["stage"], moved.json()["probability"]) == ("proposal", 60)
    stale = client.patch(f"/api/v1/opportunities/{pk}/", {"name": "x", "version": 1}, format="json")
    assert stale.status_code == 409
    won = client.post(f"/api/v1/opportunities/{pk}/win/", {}, format="json")
    assert won.status_code == 200
    assert (won.json()["stage"], won.json()["amount"]) == ("won", "52.47")
    again = client.post(f"/api/v1/opportunities/{pk}/lose/", {"reason": "x"}, format="json")
    assert again.status_code == 400
    assert api_errors(again) == [("stage", "invalid_transition")]
    changes = client.get("/api/v1/stage-changes/", {"opportunity": pk})
    assert [row["to_stage"] for row in changes.json()["results"]] == [
        "prospecting",
        "prospecting",
        "proposal",
        "won",
    ]


def test_errors_name_the_field(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    win = client.post(f"/api/v1/opportunities/{opp.pk}/win/", {}, format="json")
    assert api_errors(win) == [("lines", "no_lines")]
    lose = client.post(f"/api/v1/opportunities/{opp.pk}/lose/", {"reason": " "}, format="json")
    assert win.status_code == lose.status_code == 400
    bad_owner = client.post(
        "/api/v1/opportunities/",
        {
            "relationship": world.account_a.pk,
            "name": "X",
            "owner": cast.outsider.pk,
            "close_date": "2030-01-01",
            "penetration_type": "expansion",
        },
        format="json",
    )
    assert api_errors(bad_owner) == [("owner", "cannot_see_account")]
    shares = client.post(
        f"/api/v1/opportunities/{opp.pk}/credits/",
        {"splits": [{"user": cast.owner.pk, "role": "owner", "percent": "60"}]},
        format="json",
    )
    assert api_errors(shares) == [("splits", "not_100")]


def test_credits_set_and_listed(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    response = client.post(
        f"/api/v1/opportunities/{opp.pk}/credits/",
        {
            "splits": [
                {"user": cast.owner.pk, "role": "owner", "percent": "75"},
                {"user": cast.member.pk, "role": "specialist", "percent": "25"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert sorted(row["percent"] for row in response.json()) == ["25.00", "75.00"]
    listed = client.get("/api/v1/opportunity-credits/", {"opportunity": opp.pk})
    assert len(result_ids(listed)) == 2
    assert result_ids(api_client(cast.outsider).get("/api/v1/opportunity-credits/")) == []


def test_from_cell_and_contacts(cast: Cast, world: DemandWorld) -> None:
    cell = WhitespaceCell.objects.create(
        relationship=world.account_a,
        family=ProductFamilyFactory(name="Seals"),
        site=cast.site_a_shared,
        holder=Holder.COMPETITOR,
    )
    client = api_client(cast.member)
    created = client.post("/api/v1/opportunities/from-cell/", {"cell": cell.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["whitespace_cell"] == cell.pk
    assert created.json()["penetration_type"] == "new_location"
    contact = client.post(
        "/api/v1/opportunity-contacts/",
        {"opportunity": created.json()["id"], "contact": cast.contact_b.pk, "buying_role": "user"},
        format="json",
    )
    assert api_errors(contact) == [("contact", "invalid")]
    hidden = api_client(cast.outsider).post(
        "/api/v1/opportunities/from-cell/", {"cell": cell.pk}, format="json"
    )
    assert hidden.status_code == 400  # a cell one may not see is an unknown id


def test_proposals_upload_versions_and_download(cast: Cast, world: DemandWorld) -> None:
    client = api_client(cast.owner)
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    for text in ("one", "two"):
        response = client.post(
            "/api/v1/proposal-documents/",
            {"opportunity": opp.pk, "title": "Offer", "file": proposal_pdf(text=text)},
            format="multipart",
        )
        assert response.status_code == 201, response.content
    rows = client.get("/api/v1/proposal-documents/", {"opportunity": opp.pk}).json()["results"]
    assert [row["number"] for row in rows] == [2, 1]
    first = rows[1]["id"]
    download = client.get(f"/api/v1/proposal-documents/{first}/download/")
    assert download.status_code == 200
    assert b"one" in b"".join(download.streaming_content)
    assert api_client(cast.outsider).get(f"/api/v1/proposal-documents/{first}/").status_code == 404


def test_forecast_endpoint(cast: Cast, world: DemandWorld) -> None:
    opp = with_line(opportunity(actor=cast.owner, relationship=world.account_a), actor=cast.owner)
    from steward.pipeline import services

    services.opportunity_win(actor=cast.owner, opportunity=opp)
    response = api_client(cast.manager).get("/api/v1/forecast/", {"team": "true", "period": "year"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totals"]["closed"] == "1000.00"
    assert body["currency"] == "EUR"
    assert set(body["owner_ids"]) >= {cast.owner.pk, cast.manager.pk}
    mine = api_client(cast.outsider).get("/api/v1/forecast/", {"period": "year"})
    assert mine.json()["totals"]["closed"] == "0.00"
    bad = api_client(cast.owner).get("/api/v1/forecast/", {"start": "2026-02-01"})
    assert api_errors(bad) == [("end", "required")]
    assert api_client(cast.portal_a).get("/api/v1/forecast/").status_code == 403


def test_list_scope_mine_and_team(cast: Cast, world: DemandWorld) -> None:
    mine = opportunity(actor=cast.owner, relationship=world.account_a, name="Mine")
    theirs = opportunity(actor=cast.member, relationship=world.account_a, name="Theirs")
    client = api_client(cast.owner)
    assert result_ids(client.get("/api/v1/opportunities/", {"scope": "mine"})) == [mine.pk]
    assert set(result_ids(client.get("/api/v1/opportunities/"))) == {mine.pk, theirs.pk}
    team = api_client(cast.manager).get("/api/v1/opportunities/", {"scope": "team"})
    assert result_ids(team) == [mine.pk]


def test_portal_users_reach_nothing(cast: Cast, world: DemandWorld) -> None:
    opp = opportunity(actor=cast.owner, relationship=world.account_a)
    client = api_client(cast.portal_a)
    assert result_ids(client.get("/api/v1/opportunities/")) == []
    assert client.get(f"/api/v1/opportunities/{opp.pk}/").status_code == 404
    assert Opportunity.objects.count() == 1
    assert Decimal(opp.amount) == 0
