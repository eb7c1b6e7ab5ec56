"""The handoff pages: the list with its filters and export, the form, the page with buttons
shown only to who may use them, items added and closed, the account's tab, the due items."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.core.access import principal_for
from steward.core.registry import due_items
from steward.core.testing import web_client
from steward.handoffs import selectors, services
from steward.handoffs.choices import HandoffStatus
from steward.handoffs.models import Handoff, HandoffItem
from steward.handoffs.tests.factories import bd_user, days, draft, handed_over, step
from steward.parties.choices import Side
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> DemandWorld:
    return demand_accounts(cast)


@pytest.fixture
def bd(cast: Cast) -> Any:
    return bd_user()


def _more_handoffs(cast: Cast, bd: Any, count: int) -> None:
    for _ in range(count):
        account = RelationshipFactory(
            organization=OrganizationFactory(), side=Side.DEMAND, owner=cast.owner
        )
        handoff = services.handoff_create(actor=bd, relationship=account, first_review_on=days(20))
        step(bd, handoff, due_on=days(-1))


def test_business_development_prepares_and_hands_over_through_the_pages(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    client = web_client(bd)
    form = client.get(f"/handoffs/new/?account={world.account_a.pk}")
    assert form.status_code == 200
    made = client.post(
        "/handoffs/new/",
        {
            "relationship": world.account_a.pk,
            "first_review_on": days(30).isoformat(),
            "summary": "Won in a tender",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    handoff = Handoff.objects.get()
    page = client.get(handoff.get_absolute_url()).content.decode()
    assert "Before handing over" in page
    assert "Add at least one item" in page
    added = client.post(
        f"/handoffs/{handoff.pk}/items/",
        {"kind": "milestone", "title": "Systems connected", "owner": bd.pk, "due_on": ""},
    )
    assert added.status_code == 400
    assert "Give its due date." in added.content.decode()
    added = client.post(
        f"/handoffs/{handoff.pk}/items/",
        {
            "kind": "milestone",
            "title": "Systems connected",
            "owner": bd.pk,
            "due_on": days(10).isoformat(),
        },
    )
    assert added.status_code == 302
    assert client.post(f"/handoffs/{handoff.pk}/submit/").status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.HANDED_OVER


def test_buttons_show_only_to_who_may_use_them(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = handed_over(cast, world, bd)
    receiver_page = web_client(cast.owner).get(handoff.get_absolute_url()).content.decode()
    assert "Accept the handoff" in receiver_page
    assert "Close item" in receiver_page
    admin_page = web_client(cast.admin).get(handoff.get_absolute_url()).content.decode()
    assert "Accept the handoff" not in admin_page
    preparer_page = web_client(bd).get(handoff.get_absolute_url()).content.decode()
    assert "Accept the handoff" not in preparer_page
    assert "Close item" not in preparer_page
    assert "Cancel the handoff" in preparer_page
    reader_page = web_client(cast.reviewer).get(handoff.get_absolute_url()).content.decode()
    for button in ("Accept the handoff", "Close item", "Cancel the handoff", "Add an item"):
        assert button not in reader_page
    assert web_client(cast.outsider).get(handoff.get_absolute_url()).status_code == 404
    assert web_client(cast.portal_a).get(handoff.get_absolute_url()).status_code == 404


def test_accept_close_and_complete_through_the_pages(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = handed_over(cast, world, bd)
    client = web_client(cast.owner)
    # An administrator's post is refused: only the receiver accepts.
    assert web_client(cast.admin).post(f"/handoffs/{handoff.pk}/accept/").status_code == 403
    assert client.post(f"/handoffs/{handoff.pk}/accept/", {"note": "Mine"}).status_code == 302
    refused = client.post(f"/handoffs/{handoff.pk}/complete/", follow=True).content.decode()
    assert "still open" in refused
    assert "Send welcome pack" in refused
    for item in handoff.items.all():
        answer = client.post(f"/handoffs/items/{item.pk}/close/", {"note": "Done"})
        assert answer.status_code == 302
    assert client.post(f"/handoffs/{handoff.pk}/complete/").status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.COMPLETED


def test_send_back_without_a_reason_is_refused_on_the_page(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = handed_over(cast, world, bd)
    answer = web_client(cast.owner).post(f"/handoffs/{handoff.pk}/send-back/", {"reason": ""})
    assert answer.status_code == 400
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.HANDED_OVER


def test_the_list_filters_exports_and_shows_overdue_counts(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    late = handed_over(cast, world, bd)
    client = web_client(cast.owner)
    page = client.get("/handoffs/?overdue=true").content.decode()
    assert f'id="handoff-{late.pk}"' in page
    assert f'id="handoff-{late.pk}"' not in client.get("/handoffs/?overdue=false").content.decode()
    assert f'id="handoff-{late.pk}"' not in client.get("/handoffs/?status=draft").content.decode()
    export = client.get("/handoffs/?export=csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Account,Status,Handed over by,Receiver")
    assert "Aurora Metals,Handed over" in lines[1]
    assert lines[1].count(",2,1,") == 1  # two open items, one overdue
    assert "No handoffs to show." in web_client(cast.outsider).get("/handoffs/").content.decode()


def test_the_list_costs_the_same_queries_for_more_rows(
    cast: Cast, bd: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_client(cast.owner)
    _more_handoffs(cast, bd, 2)
    client.get("/handoffs/")
    with CaptureQueriesContext(connection) as few:
        client.get("/handoffs/")
    _more_handoffs(cast, bd, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/handoffs/").content.decode().count('<tr id="handoff-') == 8


def test_the_item_counts_are_one_query(cast: Cast, bd: Any, django_assert_num_queries: Any) -> None:
    _more_handoffs(cast, bd, 3)
    principal_for(cast.admin)  # who the admin is, read once per request
    with django_assert_num_queries(1):
        rows = list(selectors.handoff_filterset(user=cast.admin, filters={}).qs)
    assert [(h.open_count, h.overdue_count) for h in rows] == [(1, 1)] * 3


def test_the_account_tab_keeps_open_items_visible(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handoff = services.handoff_accept(actor=cast.owner, handoff=handed_over(cast, world, bd))
    first = handoff.items.order_by("due_on").first()
    assert first is not None
    services.item_close(actor=cast.owner, item=first, note="Done")
    tab = web_client(cast.member).get(f"/accounts/{world.account_a.pk}/?tab=handoff")
    html = tab.content.decode()
    assert tab.status_code == 200
    assert "Send welcome pack" in html
    assert first.title not in html.split("Open items", 1)[1]


def test_the_receivers_due_items_overdue_first(cast: Cast, world: DemandWorld, bd: Any) -> None:
    handed_over(cast, world, bd)
    today = timezone.localdate()
    mine = [
        d for d in due_items(cast.owner, today=today, until=days(7)) if d.kind == "handoff_item"
    ]
    assert [d.due_on for d in mine] == [days(-2), days(5)]
    assert mine[0].detail.startswith("overdue")
    assert not [
        d for d in due_items(cast.outsider, today=today, until=days(7)) if d.kind == "handoff_item"
    ]
    # A draft's items are not due to anyone yet.
    assert HandoffItem.objects.count() == 2


def test_edit_form_only_for_the_preparer_of_a_draft(
    cast: Cast, world: DemandWorld, bd: Any
) -> None:
    handoff = draft(cast, world, bd)
    assert web_client(cast.owner).get(f"/handoffs/{handoff.pk}/edit/").status_code == 403
    client = web_client(bd)
    assert client.get(f"/handoffs/{handoff.pk}/edit/").status_code == 200
    saved = client.post(
        f"/handoffs/{handoff.pk}/edit/",
        {"version": 1, "summary": "Changed", "first_review_on": days(3).isoformat()},
    )
    assert saved.status_code == 302
    handoff.refresh_from_db()
    assert (handoff.summary, handoff.receiver, handoff.version) == ("Changed", cast.owner, 2)
