"""The pages: the event's "Evaluation and award" section, its forms, the export, the award pages
and the winner's portal pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from steward.awards import services
from steward.awards.choices import AwardStatus
from steward.awards.models import Award, CriterionScore
from steward.awards.tests.factories import World, bid, build_world, fresh, three_bids
from steward.core.registry import portal_sections
from steward.parties.tests.cast import Cast
from steward.sourcing.choices import EventStatus
from steward.sourcing.tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


def proposed(world: World) -> Award:
    (award,) = services.award_propose(
        actor=world.cast.owner, event=world.event, allocations=world.inv_a, rationale="Cheapest"
    )
    return award


def approved(world: World) -> Award:
    award = proposed(world)
    services.award_approve(actor=world.cast.manager, event=world.event)
    return fresh(award)


def test_the_event_page_shows_the_ranked_matrix_the_chart_and_the_award_form(
    world: World,
) -> None:
    body = page(client_for(world.cast.owner).get(world.event.get_absolute_url()))
    assert "Evaluation and award" in body
    assert 'id="comparison-line-1"' in body
    assert 'id="comparison-totals"' in body
    assert "award-totals-" in body  # the Plotly chart's container
    assert 'id="award-form"' in body
    assert "Aurora Metals — TCO 4000.00 EUR (rank 1)" in body


def test_before_closing_the_section_only_says_when_the_seal_lifts(cast: Cast) -> None:
    world = build_world(
        cast, status=EventStatus.OPEN, closes_at=timezone.now() + dt.timedelta(hours=2)
    )
    bid(world.inv_a, {world.line(1): D("1.2345")}, minutes_before_close=150)
    body = page(client_for(cast.owner).get(f"/awards/events/{world.event.pk}/"))
    assert "sealed until the event closes" in body
    assert "1.2345" not in body
    assert "comparison-line-1" not in body
    export = client_for(cast.owner).get(f"/awards/events/{world.event.pk}/comparison/")
    assert export.status_code == 302


def test_proposing_without_a_rationale_shows_the_form_again_with_the_field_at_fault(
    world: World,
) -> None:
    client = client_for(world.cast.owner)
    url = f"/awards/events/{world.event.pk}/propose/"
    refused = client.post(url, {"invitation": world.inv_a.pk, "rationale": ""})
    assert refused.status_code == 400
    assert 'id="id_rationale_error"' in page(refused)
    assert not Award.objects.exists()
    done = client.post(
        url,
        {"invitation": world.inv_a.pk, "rationale": "Cheapest", "next": "https://evil.example/"},
    )
    assert done.status_code == 302
    assert done["Location"] == f"{world.event.get_absolute_url()}#section-evaluation"
    assert fresh(world.event).status == EventStatus.AWARD_PROPOSED


def test_an_abnormally_low_award_without_justification_is_refused_on_the_page(
    cast: Cast,
) -> None:
    world = build_world(cast, lines=1)
    bid(world.inv_a, {world.line(1): D("1.20")})
    bid(world.inv_b, {world.line(1): D(2)})
    client = client_for(cast.owner)
    response = client.post(
        f"/awards/events/{world.event.pk}/propose/",
        {"invitation": world.inv_a.pk, "rationale": "Cheapest"},
    )
    assert response.status_code == 400
    body = page(response)
    assert 'id="id_low_bid_justification_error"' in body
    assert "Abnormally low" in body


def test_the_approver_sees_the_decision_and_the_proposer_does_not(world: World) -> None:
    proposed(world)
    url = world.event.get_absolute_url()
    assert 'id="award-decision"' not in page(client_for(world.cast.owner).get(url))
    manager = client_for(world.cast.manager)
    assert 'id="award-decision"' in page(manager.get(url))
    refused = manager.post(f"/awards/events/{world.event.pk}/send-back/", {"reason": ""})
    assert refused.status_code == 400
    assert fresh(world.event).status == EventStatus.AWARD_PROPOSED
    # the proposer posting an approval is refused outright
    owner_post = client_for(world.cast.owner).post(f"/awards/events/{world.event.pk}/approve/")
    assert owner_post.status_code == 403
    assert fresh(world.event).status == EventStatus.AWARD_PROPOSED
    approved_ = manager.post(f"/awards/events/{world.event.pk}/approve/")
    assert approved_.status_code == 302
    assert fresh(world.event).status == EventStatus.AWARDED


def test_scores_are_saved_from_the_section_all_or_none(cast: Cast) -> None:
    world = three_bids(build_world(cast, weighted=True))
    quality = CriterionFactory(event=world.event, max_value=D("0.1"), name="Quality")
    service = CriterionFactory(event=world.event, max_value=D("0.05"), name="Service")
    client = client_for(cast.owner)
    shown = page(client.get(world.event.get_absolute_url()))
    assert f'id="score-{world.inv_a.pk}"' in shown
    assert "Quality (0 to 0.1000)" in shown
    assert f'id="score-{world.inv_a.pk}"' not in page(
        client_for(cast.manager).get(world.event.get_absolute_url())
    )
    url = f"/awards/events/{world.event.pk}/scores/{world.inv_a.pk}/"
    prefix = f"s{world.inv_a.pk}"
    too_much = client.post(
        url, {f"{prefix}-criterion_{quality.pk}": "0.05", f"{prefix}-criterion_{service.pk}": "0.2"}
    )
    assert too_much.status_code == 400
    assert not CriterionScore.objects.exists()
    saved = client.post(
        url, {f"{prefix}-criterion_{quality.pk}": "0.05", f"{prefix}-criterion_{service.pk}": "0"}
    )
    assert saved.status_code == 302
    assert CriterionScore.objects.count() == 2


def test_the_comparison_exports_as_csv_and_excel(world: World) -> None:
    client = client_for(world.cast.owner)
    csv = client.get(f"/awards/events/{world.event.pk}/comparison/", {"format": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode()
    assert "Cost of ownership" in text
    assert "Aurora Metals" in text
    assert len(text.strip().splitlines()) == 1 + 6  # a header and three offers on two lines
    xlsx = client.get(f"/awards/events/{world.event.pk}/comparison/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client_for(world.cast.portal_a)
        .get(f"/awards/events/{world.event.pk}/comparison/")
        .status_code
        == 404
    )


def test_the_award_pages_show_the_award_and_its_contract(world: World) -> None:
    award = approved(world)
    services.award_confirm(actor=world.cast.portal_a, award=award)
    award = fresh(award)
    body = page(client_for(world.cast.owner).get(f"/awards/{award.pk}/"))
    assert award.contract.title in body
    assert "750.00" in body  # the saving a year
    on_event = page(client_for(world.cast.owner).get(world.event.get_absolute_url()))
    assert award.contract.get_absolute_url() in on_event  # the draft contract, linked
    listed = page(client_for(world.cast.owner).get("/awards/"))
    assert f'id="award-{award.pk}"' in listed
    assert client_for(world.cast.portal_a).get(f"/awards/{award.pk}/").status_code == 404


def test_the_winner_confirms_in_the_portal_and_the_home_page_asks_for_it(world: World) -> None:
    award = approved(world)
    section = next(s for s in portal_sections() if s.name == "awards")
    assert section.count(world.cast.portal_a) == 1
    assert section.count(world.cast.portal_b) == 0
    portal_a = client_for(world.cast.portal_a)
    body = page(portal_a.get(f"/portal/awards/{award.pk}/"))
    assert "Confirm the award" in body
    assert "Borealis" not in body
    assert client_for(world.cast.portal_b).get(f"/portal/awards/{award.pk}/").status_code == 404
    refused = portal_a.post(f"/portal/awards/{award.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400
    assert portal_a.post(f"/portal/awards/{award.pk}/confirm/").status_code == 302
    assert fresh(award).status == AwardStatus.CONFIRMED
    assert section.count(world.cast.portal_a) == 0


def test_the_winner_may_decline_in_the_portal(world: World) -> None:
    award = approved(world)
    response = client_for(world.cast.portal_a).post(
        f"/portal/awards/{award.pk}/decline/", {"reason": "No capacity"}
    )
    assert response.status_code == 302
    assert fresh(award).status == AwardStatus.DECLINED
    assert Award.objects.get(previous=award).invitation_id == world.inv_b.pk
