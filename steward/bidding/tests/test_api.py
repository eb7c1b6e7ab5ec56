"""The bidding API: portal users submit versions (JSON, or multipart with files) and read their
own; inside users are refused as bidders and read bids after close; every refusal names its
line and field in the API's error shape and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from steward.bidding.models import Bid, BidAttachment, BidLine
from steward.bidding.tests.factories import BidWorld, pdf_file, submit, unseal
from steward.sourcing.models import SourcingEvent

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def payload(world: BidWorld, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "invitation": world.invitation_a.pk,
        "lines": [
            {"line": world.line1.pk, "unit_price": "2.4000", "lead_time_days": 14},
            {
                "line": world.line2.pk,
                "unit_price": "12.00",
                "price_per": "10",
                "lead_time_days": 21,
                "delivery_cost": "35.50",
                "notes": "Kits of ten",
            },
        ],
        "answers": [{"question": world.question.pk, "text": "Two years."}],
        "notes": "Valid 60 days.",
    }
    data.update(overrides)
    return data


def errors(response: Any) -> list[tuple[str, str, str]]:
    return [(e["attr"], e["code"], e["detail"]) for e in response.json()["errors"]]


def test_a_portal_user_submits_a_bid_and_reads_it_back(world: BidWorld) -> None:
    client = api(world.cast.portal_a)
    response = client.post("/api/v1/bids/", payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    assert body["currency"] == "EUR"  # the event's, when left out
    assert body["supplier_name"] == "Aurora Metals"
    assert [(line["line_number"], line["unit_price"]) for line in body["lines"]] == [
        (1, "2.4000"),
        (2, "12.0000"),
    ]
    assert body["lines"][1]["price_per"] == "10.000"
    assert body["answers"] == [
        {"question": world.question.pk, "question_number": 1, "text": "Two years."}
    ]
    assert client.get(f"/api/v1/bids/{body['id']}/").json() == body
    # a second post is version 2; the list holds both, the latest first per invitation
    client.post("/api/v1/bids/", payload(world), format="json")
    listed = client.get("/api/v1/bids/", {"latest": "true"}).json()["results"]
    assert [row["number"] for row in listed] == [2]
    lines = client.get("/api/v1/bid-lines/", {"bid": body["id"]}).json()["results"]
    assert len(lines) == 2


def test_a_bid_with_files_is_one_multipart_submission(world: BidWorld) -> None:
    data = payload(world)
    response = api(world.cast.portal_a).post(
        "/api/v1/bids/with-files/",
        {
            "invitation": world.invitation_a.pk,
            "lines": json.dumps(data["lines"]),
            "answers": json.dumps(data["answers"]),
            "files": [pdf_file("a.pdf"), pdf_file("b.pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    names = [f["original_name"] for f in response.json()["attachments"]]
    assert names == ["a.pdf", "b.pdf"]
    attachment = BidAttachment.objects.get(original_name="a.pdf")
    download = api(world.cast.portal_a).get(f"/api/v1/bid-attachments/{attachment.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_inside_users_cannot_bid_through_the_api(world: BidWorld) -> None:
    for user in (world.cast.admin, world.cast.owner, world.buyer):
        response = api(user).post("/api/v1/bids/", payload(world), format="json")
        assert response.status_code == 403
        assert errors(response)[0][2] == "Only the invited vendor's portal users bid."
    assert Bid.objects.count() == 0


def test_another_vendors_invitation_is_not_found(world: BidWorld) -> None:
    response = api(world.cast.portal_b).post("/api/v1/bids/", payload(world), format="json")
    assert response.status_code == 400
    assert errors(response)[0][:2] == ("invitation", "does_not_exist")
    assert Bid.objects.count() == 0


def test_service_refusals_name_each_line_and_field(world: BidWorld) -> None:
    data = payload(world, currency="XXX")
    data["lines"][1]["line"] = world.line1.pk
    data["answers"] = []
    response = api(world.cast.portal_a).post("/api/v1/bids/", data, format="json")
    assert response.status_code == 400
    assert [(attr, code) for attr, code, _ in errors(response)] == [
        ("currency", "no_rate"),
        ("lines", "duplicate_line"),
        ("answers", "answer_required"),
    ]
    assert "Line 1 (Ball bearing 6204) is offered twice" in errors(response)[1][2]
    assert (Bid.objects.count(), BidLine.objects.count()) == (0, 0)


def test_type_errors_name_the_row_and_field(world: BidWorld) -> None:
    data = payload(world)
    data["lines"][1]["unit_price"] = "1.23456"
    data["lines"][0]["lead_time_days"] = 1.5
    response = api(world.cast.portal_a).post("/api/v1/bids/", data, format="json")
    assert response.status_code == 400
    assert sorted((attr, code) for attr, code, _ in errors(response)) == [
        ("lines.0.lead_time_days", "invalid"),
        ("lines.1.unit_price", "max_decimal_places"),
    ]
    assert Bid.objects.count() == 0


def test_multipart_rows_are_checked_like_json_rows(world: BidWorld) -> None:
    response = api(world.cast.portal_a).post(
        "/api/v1/bids/with-files/",
        {
            "invitation": world.invitation_a.pk,
            "lines": json.dumps(
                [{"line": world.line1.pk, "unit_price": "-1", "lead_time_days": 1}]
            ),
            "files": [pdf_file()],
        },
        format="multipart",
    )
    assert response.status_code == 400
    [(attr, code, detail)] = errors(response)
    assert (attr, code) == ("lines", "min_value")
    assert detail.startswith("Row 1, unit_price:")
    not_json = api(world.cast.portal_a).post(
        "/api/v1/bids/with-files/",
        {"invitation": world.invitation_a.pk, "lines": "{", "files": [pdf_file()]},
        format="multipart",
    )
    assert errors(not_json) == [("lines", "invalid", "lines is not valid JSON.")]
    assert (Bid.objects.count(), BidAttachment.objects.count()) == (0, 0)


def test_a_late_bid_answers_with_the_closing_time(world: BidWorld) -> None:
    unseal(world.event)
    world.invitation_a.refresh_from_db()
    response = api(world.cast.portal_a).post("/api/v1/bids/", payload(world), format="json")
    assert response.status_code == 400
    [(attr, code, detail)] = errors(response)
    assert (attr, code) == ("non_field_errors", "late")
    assert "bids closed at" in detail


def test_bids_cannot_be_changed_or_deleted(world: BidWorld) -> None:
    bid = submit(world, world.invitation_a, world.cast.portal_a)
    client = api(world.cast.portal_a)
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/bids/{bid.pk}/", {}, format="json")
        assert response.status_code == 405, method
    line = bid.lines.first()
    assert line is not None
    assert client.patch(f"/api/v1/bid-lines/{line.pk}/", {}, format="json").status_code == 405
    assert Bid.objects.get(pk=bid.pk).version == 1


def test_buyers_read_bids_from_the_closing_time_on(world: BidWorld) -> None:
    bid = submit(world, world.invitation_a, world.cast.portal_a)
    client = api(world.buyer)
    assert client.get(f"/api/v1/bids/{bid.pk}/").status_code == 404
    unseal(world.event)
    assert client.get(f"/api/v1/bids/{bid.pk}/").json()["lines"][0]["unit_price"] == "2.4000"
    rows = client.get("/api/v1/bids/", {"event": world.event.pk}).json()["results"]
    assert [row["id"] for row in rows] == [bid.pk]


def test_lists_take_the_same_number_of_queries_for_more_bids(world: BidWorld) -> None:
    def counted(path: str) -> int:
        client = APIClient() if path.startswith("/api/") else Client()
        client.force_login(world.buyer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries.captured_queries)

    paths = (
        "/api/v1/bids/",
        "/api/v1/bid-lines/",
        "/api/v1/bid-attachments/",
        "/bids/",
        world.event.get_absolute_url(),
    )
    submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file()])
    unseal(world.event)
    few = {path: counted(path) for path in paths}
    # reopen the event for three more rounds of bids by A and B
    SourcingEvent.objects.filter(pk=world.event.pk).update(
        closes_at=timezone.now() + dt.timedelta(days=1), status="open"
    )
    for _ in range(3):
        submit(world, world.invitation_a, world.cast.portal_a, attachments=[pdf_file()])
        submit(world, world.invitation_b, world.cast.portal_b, attachments=[pdf_file()])
    unseal(world.event)
    assert {path: counted(path) for path in paths} == few
