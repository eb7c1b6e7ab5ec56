"""THE SEAL: before the closing time no inside user (owner, team, procurement, manager,
administrator, auditor) reaches a bid's contents through any page, export, search, API
endpoint, file URL, notification, log or background job; from the closing time on the same
paths show them. No bidder ever reads another's bid, by any path or guessed id.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from steward.bidding.models import Bid
from steward.bidding.selectors import BidProgress, bid_progress
from steward.bidding.services import bid_submit
from steward.bidding.tests.factories import (
    BidWorld,
    offer,
    pdf_file,
    unseal,
    vendor_with_portal_user,
)
from steward.core.models import Notification
from steward.people.tasks import digest_alerts, digest_message
from steward.sourcing.choices import InvitationStatus
from steward.sourcing.models import EventInvitation, EventLogEntry
from steward.sourcing.services.status import close_due_events

pytestmark = pytest.mark.django_db

# What vendor A offers; none of it may reach an inside user before the closing time.
SECRETS = (
    "4321.9876",
    "4321.98",
    "8765.4321",
    "4321987",
    "438271",
    "4760259",
    "5555.55",
    "SEALED-NOTE-XYZ",
    "SEALED-ANSWER-XYZ",
    "SEALED-LINE-NOTE",
    "SEALED-FILE-XYZ",
    "sealed-offer",
)
BUYERS = ("owner", "member", "buyer", "manager", "director", "admin", "auditor")


@pytest.fixture
def sealed(world: BidWorld) -> dict[str, Any]:
    """Vendor A's bid (two versions, a file) and vendor B's, on an event still open."""
    portal = world.cast.portal_a
    lines = [
        offer(world.line1, "4321.9876", delivery_cost="5555.55", notes="SEALED-LINE-NOTE"),
        offer(world.line2, "8765.4321"),
    ]
    answers = {world.question: "SEALED-ANSWER-XYZ"}
    bid_submit(
        actor=portal, invitation=world.invitation_a, currency="EUR", lines=lines, answers=answers
    )
    bid = bid_submit(
        actor=portal,
        invitation=world.invitation_a,
        currency="EUR",
        lines=lines,
        answers=answers,
        notes="SEALED-NOTE-XYZ",
        attachments=[pdf_file("sealed-offer.pdf", "SEALED-FILE-XYZ")],
    )
    other = bid_submit(
        actor=world.cast.portal_b,
        invitation=world.invitation_b,
        currency="EUR",
        lines=[offer(world.line1, "3.0000")],
        answers={world.question: "One year."},
    )
    return {
        "bid": bid,
        "line": bid.lines.get(line__number=1),
        "attachment": bid.attachments.get(),
        "other": other,
    }


def user_of(world: BidWorld, role: str) -> Any:
    return world.buyer if role == "buyer" else world.cast.user(role)


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK"):  # a workbook: its cells, not its zipped bytes
        sheet = load_workbook(io.BytesIO(raw), read_only=True).active
        return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return raw.decode(errors="replace")


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def buyer_paths(world: BidWorld, s: dict[str, Any]) -> list[str]:
    bid, line, attachment = s["bid"], s["line"], s["attachment"]
    event = world.fresh_event()
    return [
        "/bids/",
        f"/bids/?event={event.pk}&latest=true",
        f"/bids/?q={event.reference}",
        f"/bids/?export=csv&event={event.pk}",
        f"/bids/?export=xlsx&event={event.pk}",
        f"/bids/{bid.pk}/",
        f"/bids/files/{attachment.pk}/download/",
        event.get_absolute_url(),
        reverse("sourcing:event-log", args=[event.pk]),
        f"/search/?q={event.reference}",
        "/search/?q=Aurora",
        "/notifications/",
        "/",
        "/api/v1/bids/",
        f"/api/v1/bids/?event={event.pk}",
        f"/api/v1/bids/{bid.pk}/",
        "/api/v1/bid-lines/",
        f"/api/v1/bid-lines/{line.pk}/",
        "/api/v1/bid-attachments/",
        f"/api/v1/bid-attachments/{attachment.pk}/",
        f"/api/v1/bid-attachments/{attachment.pk}/download/",
        "/api/v1/notifications/",
    ]


def get(user: Any, path: str) -> Any:
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(user)
    return client.get(path)


@pytest.mark.parametrize("role", BUYERS)
def test_before_the_closing_time_no_buyer_path_reveals_a_bid(
    world: BidWorld, sealed: dict[str, Any], role: str
) -> None:
    # given bids on an event that is still open
    user = user_of(world, role)
    # when an inside user walks every page, export, search and endpoint
    for path in buyer_paths(world, sealed):
        response = get(user, path)
        # then nothing of a bid shows: detail paths are not found, lists are empty
        assert response.status_code in (200, 404), (path, response.status_code)
        assert leaks(body(response)) == [], path
        if re.search(r"/bids/\d+/|/bid-\w+/\d+/|/files/\d+/", path):
            assert response.status_code == 404, path
    for path in ("/api/v1/bids/", "/api/v1/bid-lines/", "/api/v1/bid-attachments/"):
        assert get(user, path).json()["results"] == [], path


@pytest.mark.parametrize("role", ["owner", "buyer", "admin", "auditor"])
def test_from_the_closing_time_the_same_paths_show_the_bids(
    world: BidWorld, sealed: dict[str, Any], role: str
) -> None:
    # given the event's closing time has passed
    unseal(world.event)
    user = user_of(world, role)
    bid = sealed["bid"]
    # then the bid's page, file, API and export show it
    page = body(get(user, f"/bids/{bid.pk}/"))
    assert "4321.9876" in page
    assert "SEALED-ANSWER-XYZ" in page
    assert "SEALED-NOTE-XYZ" in page
    assert get(user, f"/bids/files/{sealed['attachment'].pk}/download/").status_code == 200
    api = get(user, f"/api/v1/bids/{bid.pk}/").json()
    assert api["lines"][0]["unit_price"] == "4321.9876"
    assert {row["id"] for row in get(user, "/api/v1/bids/").json()["results"]} == {
        b.pk for b in Bid.objects.all()
    }
    export = body(get(user, f"/bids/?export=csv&event={world.event.pk}&latest=true"))
    assert "4760259.20" in export
    assert export.count("\n") == 3  # the header and the two latest bids
    assert "4760259.20" in body(get(user, world.fresh_event().get_absolute_url()))
    assert "Bid v2" in body(get(user, f"/search/?q={world.event.reference}"))


def test_people_outside_the_event_see_no_bid_even_after_close(
    world: BidWorld, sealed: dict[str, Any]
) -> None:
    unseal(world.event)
    for role in ("reviewer", "outsider"):
        user = world.cast.user(role)
        assert get(user, f"/bids/{sealed['bid'].pk}/").status_code == 404
        assert get(user, "/api/v1/bids/").json()["results"] == []
        assert leaks(body(get(user, "/bids/?export=csv"))) == []


def test_the_event_section_says_sealed_until_and_counts_bidders(
    world: BidWorld, sealed: dict[str, Any]
) -> None:
    vendor_with_portal_user(world.event, "Cobalt")
    page = body(get(world.cast.owner, world.fresh_event().get_absolute_url()))
    assert "Sealed until" in page
    assert "2 of 3 invitees have bid" in page
    assert leaks(page) == []


def test_the_bidder_count_reads_no_bid_contents(world: BidWorld, sealed: dict[str, Any]) -> None:
    # given a third invitee that declined
    declined, _ = vendor_with_portal_user(world.event, "Cobalt")
    EventInvitation.objects.filter(pk=declined.pk).update(status=InvitationStatus.DECLINED)
    # when the count is taken
    event = world.fresh_event()
    with CaptureQueriesContext(connection) as queries:
        progress = bid_progress(event)
    # then it counts invitees and bidders in one query that selects no bid column
    assert progress == BidProgress(bidders=2, invitees=2, declined=1)
    [query] = queries.captured_queries
    for column in ("unit_price", "currency", "notes", "lines"):
        assert column not in query["sql"]


def test_the_log_notifications_and_history_carry_no_contents(
    world: BidWorld, sealed: dict[str, Any]
) -> None:
    texts = [
        f"{entry.summary} {entry.detail}"
        for entry in EventLogEntry.objects.filter(event=world.event)
    ]
    texts += [f"{n.title} {n.body} {n.url}" for n in Notification.objects.all()]
    for record in (world.fresh_event(), world.invitation_a):
        texts += [str(vars(h)) for h in record.history.all()]
    assert texts
    assert all(leaks(text) == [] for text in texts), texts


def test_background_jobs_before_the_close_reveal_nothing(
    world: BidWorld, sealed: dict[str, Any]
) -> None:
    # the closing job leaves an open event alone
    assert close_due_events() == 0
    # the owner's daily digest mentions the bids only as alerts without contents
    owner = world.cast.owner
    today = timezone.localdate()
    message = digest_message(owner, [], today=today, alerts=digest_alerts(owner, today=today))
    html = message.alternatives[0][0]
    assert "A bid was received" in message.body
    assert leaks(message.body) == []
    assert leaks(str(html)) == []
    assert mail.outbox == []


def test_the_api_schema_sweep_finds_no_bid_contents_before_close(
    world: BidWorld, sealed: dict[str, Any]
) -> None:
    """Every GET endpoint of the API, lists and the details of this event's rows, for the
    administrator and the event's owner."""
    schema = get(world.cast.admin, "/api/schema/?format=json").json()
    invitation = EventInvitation.objects.get(pk=world.invitation_a.pk)
    ids = {
        world.event.pk,
        invitation.pk,
        sealed["bid"].pk,
        sealed["line"].pk,
        sealed["attachment"].pk,
        world.line1.pk,
    }
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        placeholders = re.findall(r"\{(\w+)\}", path)
        if not placeholders:
            paths.append(path)
        elif placeholders == ["id"] and re.search(r"bid|sourcing|event|invitation|award", path):
            paths += [path.replace("{id}", str(pk)) for pk in sorted(ids)]
    assert "/api/v1/bids/" in paths
    for user in (world.cast.admin, world.cast.owner):
        for path in paths:
            response = get(user, path)
            assert response.status_code < 500, (path, response.status_code)
            assert leaks(body(response)) == [], path


# --- bidders never read one another's bids ---------------------------------------------------


def test_no_bidder_reaches_another_bid_by_any_path(world: BidWorld, sealed: dict[str, Any]) -> None:
    bid, attachment, line = sealed["bid"], sealed["attachment"], sealed["line"]
    _, portal_c = vendor_with_portal_user(world.event, "Cobalt")
    for moment in ("open", "closed"):
        if moment == "closed":
            unseal(world.event)
        for portal in (world.cast.portal_b, portal_c):
            for path in (
                f"/bids/{bid.pk}/",
                f"/bids/files/{attachment.pk}/download/",
                f"/portal/bids/{world.invitation_a.pk}/",
                f"/api/v1/bids/{bid.pk}/",
                f"/api/v1/bid-lines/{line.pk}/",
                f"/api/v1/bid-attachments/{attachment.pk}/",
                f"/api/v1/bid-attachments/{attachment.pk}/download/",
            ):
                assert get(portal, path).status_code == 404, (moment, path)
            for path in ("/api/v1/bids/", "/api/v1/bid-lines/", "/api/v1/bid-attachments/"):
                rows = get(portal, path).json()["results"]
                assert all(row.get("id") != bid.pk for row in rows), path
                assert leaks(str(rows)) == [], path
            for path in ("/portal/bids/", "/", f"/search/?q={world.event.reference}"):
                assert leaks(body(get(portal, path))) == [], path
    # and B's own bid page names no other vendor
    page = body(get(world.cast.portal_b, f"/portal/bids/{world.invitation_b.pk}/"))
    assert "Aurora" not in page


def test_a_bidder_reads_its_own_versions_only(world: BidWorld, sealed: dict[str, Any]) -> None:
    rows = get(world.cast.portal_a, "/api/v1/bids/").json()["results"]
    assert sorted(row["number"] for row in rows) == [1, 2]
    assert {row["invitation"] for row in rows} == {world.invitation_a.pk}
    assert get(world.cast.portal_a, f"/api/v1/bids/{sealed['other'].pk}/").status_code == 404


def test_guessed_ids_answer_404(world: BidWorld, sealed: dict[str, Any]) -> None:
    for path in (
        "/bids/999999/",
        "/bids/files/999999/download/",
        "/api/v1/bids/999999/",
        "/api/v1/bids/99999999999999999999/",
        "/api/v1/bid-attachments/999999/download/",
        "/portal/bids/999999/",
    ):
        assert get(world.cast.portal_a, path).status_code == 404, path
