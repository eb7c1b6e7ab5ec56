"""The bidder's portal pages (the event, the bid form with its refusals, revisions, questions,
declining, the closed state, the rank), the portal home's section and due items, and the
buyer's pages after close (the event's "Bids" section, the list, a bid's page, the export)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.bidding.models import Bid, BidAttachment, BidLine
from steward.bidding.tests.factories import BidWorld, pdf_file, submit, unseal
from steward.core.registry import due_items, portal_sections, search
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import Clarification, EventAttachment, EventInvitation, SourcingEvent

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(world: BidWorld) -> str:
    return reverse("bidding:portal-event", args=[world.invitation_a.pk])


def form_data(world: BidWorld, **overrides: str) -> dict[str, Any]:
    l1, l2 = world.line1.pk, world.line2.pk
    data = {
        f"l-{l1}-unit_price": "2.40",
        f"l-{l1}-price_per": "1",
        f"l-{l1}-lead_time_days": "14",
        f"l-{l1}-delivery_cost": "50",
        f"l-{l1}-lifecycle_cost": "",
        f"l-{l1}-notes": "From stock",
        f"l-{l2}-unit_price": "",
        f"l-{l2}-price_per": "1",
        f"l-{l2}-lead_time_days": "",
        f"a-{world.question.pk}": "Two years.",
        "currency": "EUR",
        "notes": "Valid 60 days.",
    }
    data.update(overrides)
    return data


def test_the_invitation_link_is_the_bidders_event_page(world: BidWorld) -> None:
    assert world.invitation_a.get_absolute_url() == f"/portal/bids/{world.invitation_a.pk}/"


def test_the_bidder_sees_the_event_its_lines_questions_and_files(world: BidWorld) -> None:
    # given a published answer, a waiting question of B's, and a drawing
    Clarification.objects.create(
        event=world.event,
        invitation=world.invitation_b,
        question="Is grease included?",
        asked_by=world.cast.portal_b,
        answer="Yes, pre-greased.",
        answered_by=world.cast.owner,
        published_at=timezone.now(),
    )
    Clarification.objects.create(
        event=world.event,
        invitation=world.invitation_b,
        question="B's private waiting question",
        asked_by=world.cast.portal_b,
    )
    drawing = EventAttachment.objects.create(
        event=world.event,
        original_name="drawing.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=world.cast.owner,
        file="sourcing/drawing.pdf",
    )
    # when A's portal user opens the invitation
    html = client_for(world.cast.portal_a).get(page(world)).content.decode()
    # then it sees the event, the lines, the question, the answer and the drawing
    assert world.event.reference in html
    assert "Ball bearing 6204" in html
    assert "Seal kit" in html
    assert "What warranty do you give?" in html
    assert "Is grease included?" in html
    assert "Yes, pre-greased." in html
    assert "B&#x27;s private waiting question" not in html
    assert "waiting question" not in html
    assert reverse("sourcing:portal-attachment-download", args=[drawing.pk]) in html
    assert 'id="submit-bid"' in html
    # and nothing of who else is invited
    assert "Borealis" not in html


def test_inside_users_have_no_portal_page(world: BidWorld) -> None:
    for user in (world.cast.owner, world.cast.admin, world.buyer):
        assert client_for(user).get(page(world)).status_code == 404


def test_submitting_the_form_makes_a_version_and_a_revision_starts_from_it(
    world: BidWorld,
) -> None:
    client = client_for(world.cast.portal_a)
    # when A offers line 1 only, with a file
    data = form_data(world, files=pdf_file())
    response = client.post(page(world), data)
    # then version 1 holds line 1 (line 2 was left blank) and the file
    assert response.status_code == 302
    bid = Bid.objects.get()
    assert bid.number == 1
    assert list(bid.lines.values_list("line__number", "unit_price", "lead_time_days")) == [
        (1, Decimal("2.4000"), 14)
    ]
    assert bid.attachments.count() == 1
    assert bid.notes == "Valid 60 days."
    # and the page shows it, with the form prefilled for a revision
    html = client.get(page(world)).content.decode()
    assert "Version 1" in html
    assert "latest: this is what counts" in html
    assert 'value="2.4"' in html
    assert "Submit version 2" in html
    # when it revises with line 2 too
    client.post(
        page(world),
        form_data(
            world,
            **{f"l-{world.line2.pk}-unit_price": "11", f"l-{world.line2.pk}-lead_time_days": "20"},
        ),
    )
    assert list(Bid.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert Bid.objects.get(number=2).lines.count() == 2
    assert Bid.objects.get(number=1).lines.count() == 1


def test_a_refused_form_shows_each_error_at_its_line_and_keeps_what_was_typed(
    world: BidWorld,
) -> None:
    client = client_for(world.cast.portal_a)
    data = form_data(
        world,
        **{
            f"l-{world.line1.pk}-unit_price": "2.123456",
            f"l-{world.line2.pk}-unit_price": "9",
            f"l-{world.line2.pk}-lead_time_days": "three",
            f"a-{world.question.pk}": "",
        },
        files=pdf_file(),
    )
    response = client.post(page(world), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 1 (Ball bearing 6204), unit price: has more than 4 decimal places." in html
    assert "Line 2 (Seal kit), lead time days: is not a whole number of days." in html
    assert "Question 1 needs an answer" in html
    assert 'value="2.123456"' in html
    assert 'value="three"' in html
    assert (Bid.objects.count(), BidLine.objects.count(), BidAttachment.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_late_form_says_so_and_the_page_shows_the_closed_state(world: BidWorld) -> None:
    client = client_for(world.cast.portal_a)
    html = client.get(page(world)).content.decode()
    SourcingEvent.objects.filter(pk=world.event.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(page(world), form_data(world))
    assert response.status_code == 400
    assert "The bid was late" in response.content.decode()
    assert Bid.objects.count() == 0
    html = client.get(page(world)).content.decode()
    assert 'id="closed-state"' in html
    assert 'id="submit-bid"' not in html


def test_asking_a_question_goes_to_the_buyer(world: BidWorld) -> None:
    client = client_for(world.cast.portal_a)
    response = client.post(
        reverse("bidding:portal-ask", args=[world.invitation_a.pk]), {"question": "Pallets?"}
    )
    assert response.status_code == 302
    asked = Clarification.objects.get()
    assert (asked.invitation, asked.question) == (world.invitation_a, "Pallets?")
    html = client.get(page(world)).content.decode()
    assert "Pallets?" in html
    assert "waiting for the buyer" in html
    # an empty question is refused with a message, nothing asked
    client.post(reverse("bidding:portal-ask", args=[world.invitation_a.pk]), {"question": ""})
    assert Clarification.objects.count() == 1


def test_declining_ends_the_bidding_for_the_vendor(world: BidWorld) -> None:
    client = client_for(world.cast.portal_a)
    url = reverse("bidding:portal-decline", args=[world.invitation_a.pk])
    client.post(url, {"reason": ""})
    assert EventInvitation.objects.get(pk=world.invitation_a.pk).status == InvitationStatus.INVITED
    client.post(url, {"reason": "No capacity this quarter."})
    invitation = EventInvitation.objects.get(pk=world.invitation_a.pk)
    assert invitation.status == InvitationStatus.DECLINED
    html = client.get(page(world)).content.decode()
    assert "You declined this invitation" in html
    assert 'id="submit-bid"' not in html
    assert client.post(page(world), form_data(world)).status_code == 400
    assert Bid.objects.count() == 0


def test_another_vendor_cannot_use_the_invitation_pages(world: BidWorld) -> None:
    client = client_for(world.cast.portal_b)
    pk = world.invitation_a.pk
    assert client.get(page(world)).status_code == 404
    assert client.post(page(world), form_data(world)).status_code == 404
    assert (
        client.post(reverse("bidding:portal-ask", args=[pk]), {"question": "x"}).status_code == 404
    )
    assert (
        client.post(reverse("bidding:portal-decline", args=[pk]), {"reason": "x"}).status_code
        == 404
    )
    assert Bid.objects.count() == Clarification.objects.count() == 0


def test_the_rank_shows_in_a_reverse_auction(world: BidWorld) -> None:
    SourcingEvent.objects.filter(pk=world.event.pk).update(reverse_auction=True)
    world.invitation_a.refresh_from_db()
    world.invitation_b.refresh_from_db()
    submit(world, world.invitation_a, world.cast.portal_a, prices=("3.0000", "10.00"))
    submit(world, world.invitation_b, world.cast.portal_b, prices=("2.0000", "10.00"))
    html = client_for(world.cast.portal_a).get(page(world)).content.decode()
    assert "2nd of 2" in html
    assert "2.0000" not in html
    # htmx refreshes only the rank
    partial = client_for(world.cast.portal_a).get(page(world), HTTP_HX_REQUEST="true")
    assert "2nd of 2" in partial.content.decode()
    assert "Seal kit" not in partial.content.decode()


def test_the_portal_home_lists_invitations_to_bid_with_closing_times(world: BidWorld) -> None:
    section = next(s for s in portal_sections() if s.name == "invitations_to_bid")
    assert section.title == "Invitations to bid"
    assert section.count(world.cast.portal_a) == 1
    assert section.count(world.cast.owner) == 0
    html = client_for(world.cast.portal_a).get("/").content.decode()
    assert "Invitations to bid" in html
    assert page(world) in html
    assert f"/portal/bids/{world.invitation_b.pk}/" not in html
    listing = client_for(world.cast.portal_a).get(reverse("bidding:portal-list")).content.decode()
    assert world.event.reference in listing


def test_an_open_invitation_is_due_on_its_closing_day_for_portal_users(world: BidWorld) -> None:
    today = timezone.localdate()
    items = due_items(world.cast.portal_a, today=today, until=today + dt.timedelta(days=7))
    bids = [item for item in items if item.kind == "bid"]
    assert [item.url for item in bids] == [page(world)]
    assert bids[0].due_on == timezone.localdate(world.event.closes_at)
    assert not [
        i
        for i in due_items(world.cast.owner, today=today, until=today + dt.timedelta(days=7))
        if i.kind == "bid"
    ]


def test_buyer_pages_after_close(world: BidWorld) -> None:
    # given two bids and the closing time passed
    submit(world, world.invitation_a, world.cast.portal_a, prices=("2.0000", "10.00"))
    bid = submit(
        world,
        world.invitation_a,
        world.cast.portal_a,
        prices=("1.5000", "10.00"),
        attachments=[pdf_file()],
    )
    submit(world, world.invitation_b, world.cast.portal_b, prices=("2.5000", "10.00"))
    event = unseal(world.event)
    client = client_for(world.cast.owner)
    # the event's section lists the latest bids with totals in the event's currency
    html = client.get(event.get_absolute_url()).content.decode()
    assert "2000.00" in html  # 1.5 x 1000 + 10 x 50
    assert "3000.00" in html
    assert reverse("bidding:bid-detail", args=[bid.pk]) in html
    # the bid's page shows its lines, answers, file and the earlier version
    detail = client.get(reverse("bidding:bid-detail", args=[bid.pk])).content.decode()
    assert "1.5000" in detail
    assert "Two years, parts and labour." in detail
    assert "offer.pdf" in detail
    assert "v1" in detail
    # the list and its export
    listing = client.get(reverse("bidding:bid-list"), {"event": event.pk, "latest": "true"})
    assert listing.status_code == 200
    assert len(listing.context["rows"]) == 2
    export = client.get(reverse("bidding:bid-list"), {"event": event.pk, "export": "csv"})
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Event,Event title,Vendor,Version")
    assert len(lines) == 4
    # and the search finds the latest bids
    hits = search(world.cast.owner, event.reference)
    assert len(hits["bids"]) == 2


def test_portal_users_have_no_buyer_list(world: BidWorld) -> None:
    assert client_for(world.cast.portal_a).get(reverse("bidding:bid-list")).status_code == 404


def test_the_bidder_reads_its_own_bid_page_and_file(world: BidWorld) -> None:
    bid = submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file()])
    client = client_for(world.cast.portal_a)
    assert "2.4000" in client.get(reverse("bidding:bid-detail", args=[bid.pk])).content.decode()
    download = client.get(reverse("bidding:attachment-download", args=[bid.attachments.get().pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
