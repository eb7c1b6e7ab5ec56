"""The awards API: comparison, scores, proposal, decision, the vendor's answer; errors name the
field or the line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from steward.awards.choices import AwardStatus
from steward.awards.models import Award, CriterionScore
from steward.awards.tests.factories import World, bid, build_world, fresh, three_bids
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import AwardRule, EventStatus
from steward.sourcing.tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db
D = Decimal


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def errors(response: Any) -> dict[str, str]:
    return {e["attr"]: e["code"] for e in response.json()["errors"]}


def test_the_comparison_is_refused_while_sealed_and_served_after_closing(cast: Cast) -> None:
    sealed = build_world(
        cast, status=EventStatus.OPEN, closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    bid(sealed.inv_a, {sealed.line(1): D(2)}, minutes_before_close=90)
    response = api(cast.owner).get(f"/api/v1/sourcing-events/{sealed.event.pk}/comparison/")
    assert response.status_code == 400
    assert errors(response) == {"non_field_errors": "sealed"}
    assert "2.00" not in response.content.decode()

    world = three_bids(build_world(cast))
    body = api(cast.owner).get(f"/api/v1/sourcing-events/{world.event.pk}/comparison/").json()
    first = body["lines"][0]
    best = first["offers"][0]
    assert (best["supplier_name"], best["unit_price"], best["tco"]) == (
        "Aurora Metals",
        "2.0000",
        "2000.00",
    )
    assert body["totals"][0]["rank"] == 1


def test_portal_users_get_no_comparison_and_outsiders_no_event(world: World) -> None:
    url = f"/api/v1/sourcing-events/{world.event.pk}/comparison/"
    assert api(world.cast.portal_a).get(url).status_code in (403, 404)
    assert api(world.cast.outsider).get(url).status_code == 404


def test_a_score_is_set_through_the_api_and_a_bad_value_names_its_field(cast: Cast) -> None:
    world = three_bids(build_world(cast, weighted=True))
    criterion = CriterionFactory(event=world.event, max_value=D("0.1"))
    client = api(cast.owner)
    body = {"invitation": world.inv_a.pk, "criterion": criterion.pk, "value": "0.05"}
    made = client.post("/api/v1/sourcing-criterion-scores/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["value"] == "0.0500"
    too_much = client.post(
        "/api/v1/sourcing-criterion-scores/", {**body, "value": "0.2"}, format="json"
    )
    assert too_much.status_code == 400
    assert errors(too_much) == {"value": "out_of_range"}
    assert CriterionScore.objects.get().value == D("0.05")
    listed = client.get("/api/v1/sourcing-criterion-scores/", {"event": world.event.pk}).json()
    assert [row["id"] for row in listed["results"]] == [made.json()["id"]]


def test_a_single_award_through_the_api_from_proposal_to_confirmation(world: World) -> None:
    cast = world.cast
    url = f"/api/v1/sourcing-events/{world.event.pk}/award/"
    missing = api(cast.owner).post(url, {"invitation": world.inv_a.pk}, format="json")
    assert missing.status_code == 400
    assert errors(missing) == {"rationale": "required"}
    proposed = api(cast.owner).post(
        url, {"invitation": world.inv_a.pk, "rationale": "Cheapest"}, format="json"
    )
    assert proposed.status_code == 201, proposed.content
    (award,) = proposed.json()
    assert (award["status"], award["total"]) == (AwardStatus.PROPOSED, "4000.00")
    # the proposer may not approve; the manager may
    assert api(cast.owner).post(f"{url}approve/").status_code == 403
    approved = api(cast.manager).post(f"{url}approve/")
    assert approved.status_code == 200
    assert approved.json()[0]["status"] == AwardStatus.AWAITING_CONFIRMATION
    # the vendor sees its award without the buyer's notes, and confirms it
    mine = api(cast.portal_a).get(f"/api/v1/awards/{award['id']}/")
    assert mine.status_code == 200
    assert mine.json()["contract"] is None
    assert api(cast.portal_b).get(f"/api/v1/awards/{award['id']}/").status_code == 404
    confirmed = api(cast.portal_a).post(f"/api/v1/awards/{award['id']}/confirm/")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == AwardStatus.CONFIRMED
    inside = api(cast.owner).get(f"/api/v1/awards/{award['id']}/").json()
    assert inside["contract"] is not None
    assert inside["savings"] is not None


def test_a_split_award_names_the_line_at_fault(cast: Cast) -> None:
    world = build_world(cast, rule=AwardRule.SPLIT)
    bid(world.inv_a, {world.line(1): D(2), world.line(2): D(4)})
    bid(world.inv_b, {world.line(1): D("2.1")})
    url = f"/api/v1/sourcing-events/{world.event.pk}/award/"
    client = api(cast.owner)
    bad = client.post(
        url,
        {
            "rationale": "Split",
            "lines": [
                {"line": world.line(1).pk, "invitation": world.inv_a.pk},
                {"line": world.line(2).pk, "invitation": world.inv_b.pk},
            ],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert errors(bad) == {"lines": "no_bid"}
    assert "Line 2" in bad.json()["errors"][0]["detail"]
    stranger = client.post(
        url,
        {"rationale": "Split", "lines": [{"line": world.line(1).pk, "invitation": 10**12}]},
        format="json",
    )
    assert errors(stranger) == {"lines": "not_invited"}
    both = client.post(url, {"rationale": "x", "invitation": 1, "lines": []}, format="json")
    assert both.status_code == 400
    good = client.post(
        url,
        {
            "rationale": "Split",
            "lines": [
                {"line": world.line(1).pk, "invitation": world.inv_b.pk},
                {"line": world.line(2).pk, "invitation": world.inv_a.pk},
            ],
        },
        format="json",
    )
    assert good.status_code == 201, good.content
    assert {a["invitation"] for a in good.json()} == {world.inv_a.pk, world.inv_b.pk}
    assert not Award.objects.filter(event=world.event).exclude(status=AwardStatus.PROPOSED)


def test_sending_back_and_declining_need_a_reason(world: World) -> None:
    cast = world.cast
    url = f"/api/v1/sourcing-events/{world.event.pk}/award/"
    api(cast.owner).post(url, {"invitation": world.inv_a.pk, "rationale": "x"}, format="json")
    assert errors(api(cast.manager).post(f"{url}send-back/", {}, format="json")) == {
        "reason": "required"
    }
    assert api(cast.manager).post(f"{url}approve/").status_code == 200
    award = Award.objects.get(event=world.event)
    decline = f"/api/v1/awards/{award.pk}/decline/"
    assert errors(api(cast.portal_a).post(decline, {"reason": ""}, format="json")) == {
        "reason": "blank"
    }
    declined = api(cast.portal_a).post(decline, {"reason": "No capacity"}, format="json")
    assert declined.status_code == 200
    assert fresh(award).status == AwardStatus.DECLINED
    lines = api(cast.owner).get("/api/v1/award-lines/", {"event": world.event.pk}).json()
    assert len(lines["results"]) == 4  # A's two lines, then B's two
