"""The sourcing pages: list, form, event page and its parts, invite screen, Q&A, log, downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.core.models import Notification
from steward.core.registry import due_items, navigation, search
from steward.parties.tests.cast import Cast
from steward.sourcing import services
from steward.sourcing.choices import EventStatus, LogAction
from steward.sourcing.models import (
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
)
from steward.sourcing.sections import _SECTIONS, EventSection, register_event_section
from steward.sourcing.tests.factories import (
    ClarificationFactory,
    EventFactory,
    InvitationFactory,
    LineFactory,
    OpenEventFactory,
    block_sourcing,
    drawing,
    prequalified_vendor,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


# --- the list ----------------------------------------------------------------------------------


def test_the_list_filters_searches_and_exports(buyer: Any) -> None:
    mine: Any = EventFactory(owner=buyer, title="Hydraulic hoses")
    OpenEventFactory(title="Cable ties")
    client = client_of(buyer)

    page = body(client.get("/sourcing/"))
    assert mine.reference in page
    assert "Cable ties" in page

    found = body(client.get("/sourcing/", {"q": "hoses"}))
    assert mine.reference in found
    assert "Cable ties" not in found
    opened = body(client.get("/sourcing/", {"status": "open"}))
    assert "Cable ties" in opened
    assert "Hydraulic hoses" not in opened
    by_owner = body(client.get("/sourcing/", {"owner": buyer.pk}))
    assert "Hydraulic hoses" in by_owner
    assert "Cable ties" not in by_owner

    exported = client.get("/sourcing/", {"export": "csv", "q": "hoses"})
    assert exported["Content-Type"].startswith("text/csv")
    lines = body(exported).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Reference,Title")
    assert len(lines) == 2
    assert mine.reference in lines[1]
    workbook = client.get("/sourcing/", {"export": "xlsx"})
    assert workbook.status_code == 200
    assert "spreadsheetml" in workbook["Content-Type"]


def test_the_list_costs_the_same_queries_for_more_rows(
    buyer: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_of(buyer)
    for _ in range(2):
        OpenEventFactory()
    client.get("/sourcing/")  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        client.get("/sourcing/")
    for _ in range(6):
        OpenEventFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/sourcing/")


def test_the_list_shows_only_what_the_policy_allows(cast: Cast, buyer: Any) -> None:
    EventFactory(owner=buyer, title="Procurement's own")
    page = body(client_of(cast.outsider).get("/sourcing/"))
    assert "Procurement's own" not in page
    assert "No sourcing events to show." in page
    assert client_of(cast.portal_a).get("/sourcing/").status_code == 404


def test_the_menu_due_items_and_search_find_events(cast: Cast, buyer: Any) -> None:
    assert any(entry.url_name == "sourcing:event-list" for entry in navigation())
    soon = OpenEventFactory(owner=buyer, closes_at=timezone.now() + dt.timedelta(days=1))
    OpenEventFactory(owner=buyer, closes_at=timezone.now() + dt.timedelta(days=30))
    today = timezone.localdate()
    due = due_items(buyer, today=today, until=today + dt.timedelta(days=7))
    assert [item.url for item in due if item.kind == "sourcing_event"] == [soon.get_absolute_url()]
    hits = search(buyer, soon.reference)["sourcing.events"]
    assert [hit.url for hit in hits] == [soon.get_absolute_url()]
    assert "sourcing.events" not in search(cast.outsider, soon.reference)
    assert "sourcing.events" not in search(cast.portal_a, soon.reference)


# --- the form ----------------------------------------------------------------------------------


def test_a_new_event_is_saved_as_a_draft(buyer: Any) -> None:
    category = CategoryFactory()
    client = client_of(buyer)
    assert client.get("/sourcing/events/new/").status_code == 200
    closes = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/sourcing/events/new/",
        {
            "kind": "rfq",
            "title": "Ball bearings",
            "category": category.pk,
            "currency": "usd",
            "closes_at": closes,
            "evaluation_method": "lowest_price",
            "award_rule": "single",
            "confirm_days": 5,
            "scorecard_weight": "0.1",
            "quality_cost_rate": "0",
        },
    )
    event = SourcingEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert (event.status, event.currency, event.owner) == (EventStatus.DRAFT, "USD", buyer)


def test_a_refused_event_shows_the_reason_by_the_field(buyer: Any) -> None:
    response = client_of(buyer).post(
        "/sourcing/events/new/",
        {
            "kind": "rfq",
            "title": "Bearings",
            "category": CategoryFactory().pk,
            "currency": "XXY",
            "evaluation_method": "lowest_price",
            "award_rule": "single",
            "confirm_days": 5,
            "scorecard_weight": "0.1",
            "quality_cost_rate": "0",
        },
    )
    assert response.status_code == 400
    assert "is not an ISO 4217 currency code" in body(response)
    assert not SourcingEvent.objects.exists()


def test_editing_an_open_event_moves_its_closing_time_later(buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer)
    client = client_of(buyer)
    page = body(client.get(f"/sourcing/events/{event.pk}/edit/"))
    assert "only its description changes now" in page
    later = timezone.localtime(event.closes_at) + dt.timedelta(days=1)
    data = {
        "title": event.title,
        "description": "",
        "category": event.category_id,
        "currency": event.currency,
        "opens_at": timezone.localtime(event.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": later.strftime("%Y-%m-%dT%H:%M"),
        "evaluation_method": event.evaluation_method,
        "award_rule": event.award_rule,
        "confirm_days": event.confirm_days,
        "scorecard_weight": event.scorecard_weight,
        "quality_cost_rate": event.quality_cost_rate,
        "version": event.version,
    }
    response = client.post(f"/sourcing/events/{event.pk}/edit/", data)
    assert response.status_code == 302, body(response)[:2000]
    assert EventLogEntry.objects.filter(event=event, action=LogAction.DEADLINE_CHANGED).exists()
    # trying to change the title now names the field
    refused = client.post(
        f"/sourcing/events/{event.pk}/edit/", {**data, "title": "Other", "version": 2}
    )
    assert refused.status_code == 400
    assert "its title no longer changes" in body(refused)


# --- the event page ----------------------------------------------------------------------------


def test_the_event_page_shows_every_part(cast: Cast, buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer, title="Gearbox overhaul")
    invitation = InvitationFactory(
        event=event, supplier=prequalified_vendor(event.category, relationship=cast.rel_a)
    )
    ClarificationFactory(invitation=invitation, question="Is the drawing current?")
    services.attachment_add(actor=buyer, event=event, upload=drawing())
    services.event_update(
        actor=buyer, event=event, expected_version=event.version, description="Two gearboxes"
    )
    page = body(client_of(buyer).get(event.get_absolute_url()))
    for shown in (
        "Gearbox overhaul",
        "Ball bearing",  # the line from the factory
        "drawing.pdf",
        "Aurora Metals",  # the invitee, with its bid count
        "Is the drawing current?",
        "asked by Aurora Metals",  # who asked: the buyer's side only
        "Changed: description.",  # the log
    ):
        assert shown in page, shown


def test_registered_sections_render_in_order_and_may_hide(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    register_event_section(
        EventSection(
            "test-shown",
            "Shown section",
            "sourcing/tests/section.html",
            lambda r, e: {"x": e.reference},
            order=1,
        )
    )
    register_event_section(
        EventSection(
            "test-hidden", "Hidden section", "sourcing/tests/section.html", lambda r, e: None
        )
    )
    try:
        page = body(client_of(buyer).get(event.get_absolute_url()))
    finally:
        _SECTIONS.pop("test-shown")
        _SECTIONS.pop("test-hidden")
    assert f"section says {event.reference}" in page
    assert "Hidden section" not in page


def test_reading_an_event_past_its_closing_time_closes_it(buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer, closes_at=timezone.now() - dt.timedelta(seconds=1))
    page = body(client_of(buyer).get(event.get_absolute_url()))
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    assert "Closed at its closing time" in page


def test_readers_get_the_page_without_controls(cast: Cast) -> None:
    event: Any = EventFactory(owner=cast.owner)
    page = body(client_of(cast.manager).get(event.get_absolute_url()))
    assert event.reference in page
    assert "Add a line" not in page
    assert "Publish" not in page
    assert client_of(cast.outsider).get(event.get_absolute_url()).status_code == 404


def test_lines_are_added_edited_and_removed_on_a_draft(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    client = client_of(buyer)
    added = client.post(
        f"/sourcing/events/{event.pk}/lines/",
        {"line-kind": "part", "line-description": "Shaft", "line-quantity": "4", "line-unit": "pc"},
    )
    assert added.status_code == 302
    line = EventLine.objects.get(event=event)
    assert (line.number, line.quantity) == (1, Decimal(4))

    refused = client.post(
        f"/sourcing/events/{event.pk}/lines/",
        {"line-kind": "part", "line-description": "", "line-quantity": "0", "line-unit": "pc"},
    )
    assert refused.status_code == 400
    assert "Nothing was saved." in body(refused)
    assert EventLine.objects.filter(event=event).count() == 1

    edited = client.post(
        f"/sourcing/line/{line.pk}/edit/",
        {
            "line-kind": "part",
            "line-description": "Shaft, hardened",
            "line-quantity": "6",
            "line-unit": "pc",
            "line-version": line.version,
        },
    )
    assert edited.status_code == 302
    line.refresh_from_db()
    assert (line.description, line.quantity) == ("Shaft, hardened", Decimal(6))

    client.post(f"/sourcing/line/{line.pk}/remove/")
    line.refresh_from_db()
    assert line.archived_at is not None
    assert client.post(f"/sourcing/nothing/{line.pk}/remove/").status_code == 404


def test_lines_of_an_open_event_stay_as_they_are(buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer)
    response = client_of(buyer).post(
        f"/sourcing/events/{event.pk}/lines/",
        {"line-kind": "part", "line-description": "Late", "line-quantity": "1", "line-unit": "pc"},
    )
    assert response.status_code == 400
    assert "lines change only while it is a draft" in body(response)


def test_a_publish_button_opens_the_event_or_says_what_is_missing(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    client = client_of(buyer)
    client.post(f"/sourcing/events/{event.pk}/publish/")
    page = body(client.get(event.get_absolute_url()))
    assert "Add at least one line." in page
    LineFactory(event=event)
    InvitationFactory(event=event)
    client.post(f"/sourcing/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN


def test_cancelling_from_the_page_needs_a_reason(buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer)
    client = client_of(buyer)
    assert (
        client.post(f"/sourcing/events/{event.pk}/cancel/", {"cancel-reason": ""}).status_code
        == 400
    )
    client.post(f"/sourcing/events/{event.pk}/cancel/", {"cancel-reason": "Scope changed"})
    event.refresh_from_db()
    assert (event.status, event.cancelled_reason) == (EventStatus.CANCELLED, "Scope changed")


# --- documents ---------------------------------------------------------------------------------


def test_documents_are_uploaded_and_downloaded_by_the_team_and_the_invitees(
    cast: Cast, buyer: Any
) -> None:
    event = OpenEventFactory(owner=buyer)
    InvitationFactory(
        event=event, supplier=prequalified_vendor(event.category, relationship=cast.rel_a)
    )
    client = client_of(buyer)
    response = client.post(
        f"/sourcing/events/{event.pk}/documents/", {"document-file": drawing("spec.pdf")}
    )
    assert response.status_code == 302
    attachment = EventAttachment.objects.get()
    # the invitees hear of a document added while the event is open
    told = Notification.objects.get(recipient=cast.portal_a, kind="sourcing.document_added")
    assert "spec.pdf" in told.title
    team = client.get(f"/sourcing/documents/{attachment.pk}/download/")
    assert team.status_code == 200
    assert body(team).startswith("%PDF")

    url = f"/portal/sourcing/documents/{attachment.pk}/download/"
    invitee = client_of(cast.portal_a).get(url)
    assert invitee.status_code == 200
    assert "spec.pdf" in invitee["Content-Disposition"]
    assert client_of(cast.portal_b).get(url).status_code == 404
    assert (
        client_of(cast.outsider).get(f"/sourcing/documents/{attachment.pk}/download/").status_code
        == 404
    )
    assert (
        client_of(cast.portal_a).get("/portal/sourcing/documents/999999/download/").status_code
        == 404
    )
    # inside users use their own download, not the invitees'
    assert client.get(url).status_code == 404


def test_a_draft_s_documents_stay_hidden_from_the_invitees(cast: Cast, buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    InvitationFactory(
        event=event, supplier=prequalified_vendor(event.category, relationship=cast.rel_a)
    )
    attachment = services.attachment_add(actor=buyer, event=event, upload=drawing())
    url = f"/portal/sourcing/documents/{attachment.pk}/download/"
    assert client_of(cast.portal_a).get(url).status_code == 404


def test_a_mislabelled_document_is_refused_by_the_field(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    fake = SimpleUploadedFile("spec.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client_of(buyer).post(
        f"/sourcing/events/{event.pk}/documents/", {"document-file": fake}
    )
    assert response.status_code == 400
    assert "does not contain what its .pdf name says" in body(response)
    assert not EventAttachment.objects.exists()


# --- inviting ----------------------------------------------------------------------------------


def test_the_invite_screen_invites_and_asks_a_reason_for_the_others(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    eligible = prequalified_vendor(event.category)
    blocked = prequalified_vendor(event.category)
    block_sourcing(blocked)
    client = client_of(buyer)
    url = f"/sourcing/events/{event.pk}/invite/"

    page = body(client.get(url))
    assert str(eligible) in page
    assert "its scorecard standing blocks sourcing" in page

    refused = client.post(url, {"supplier": blocked.pk, "override_reason": ""})
    assert refused.status_code == 400
    assert "Give a reason to invite it all the same" in body(refused)

    client.post(url, {"supplier": eligible.pk})
    client.post(url, {"supplier": blocked.pk, "override_reason": "Plan agreed"})
    invited = dict(EventInvitation.objects.values_list("supplier_id", "override_reason"))
    assert invited == {eligible.pk: "", blocked.pk: "Plan agreed"}


# --- questions and answers ---------------------------------------------------------------------


def test_the_buyer_answers_and_publishes_from_the_page(cast: Cast, buyer: Any) -> None:
    event = OpenEventFactory(owner=buyer)
    invitation = InvitationFactory(event=event)
    question = ClarificationFactory(invitation=invitation)
    client = client_of(buyer)

    refused = client.post(f"/sourcing/clarifications/{question.pk}/answer/", {"answer": " "})
    assert refused.status_code == 400

    client.post(f"/sourcing/clarifications/{question.pk}/answer/", {"answer": "Yes."})
    question.refresh_from_db()
    assert question.answer == "Yes."
    assert question.published_at is None

    client.post(f"/sourcing/clarifications/{question.pk}/publish/")
    question.refresh_from_db()
    assert question.published_at is not None

    client.post(
        f"/sourcing/events/{event.pk}/clarifications/",
        {"clarification-question": "Site visit", "clarification-answer": "Tuesday 10:00."},
    )
    assert event.clarifications.filter(invitation__isnull=True, question="Site visit").exists()


# --- the log -----------------------------------------------------------------------------------


def test_the_log_page_lists_filters_and_exports(buyer: Any) -> None:
    event = EventFactory(owner=buyer)
    services.line_add(actor=buyer, event=event, description="Nut", quantity=Decimal(10))
    services.event_cancel(actor=buyer, event=event, reason="Not needed")
    client = client_of(buyer)
    page = body(client.get(f"/sourcing/events/{event.pk}/log/"))
    assert "Line 1 added: Nut" in page
    assert "Cancelled: Not needed" in page
    only = body(client.get(f"/sourcing/events/{event.pk}/log/", {"action": "cancelled"}))
    assert "Cancelled: Not needed" in only
    assert "Line 1 added" not in only
    exported = body(client.get(f"/sourcing/events/{event.pk}/log/", {"export": "csv"}))
    rows = exported.splitlines()
    assert rows[0].lstrip("\ufeff") == "At,Action,By,Vendor,Summary"
    assert len(rows) == 3
