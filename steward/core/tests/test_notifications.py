"""Your notifications: only yours, marked read one by one or all at once, in pages and the API."""

from __future__ import annotations

from typing import Any

import pytest

from steward.core.models import Notification
from steward.core.notifications import Alert, notifications_send
from steward.core.testing import api_client, web_client

pytestmark = pytest.mark.django_db


def _alerts(cast: Any) -> tuple[Notification, Notification, Notification]:
    notifications_send(
        [
            Alert(
                cast.owner.pk, "vendor_segment_changed", "Acme moved to strategic", url="/vendors/"
            ),
            Alert(cast.owner.pk, "vendor_segment_changed", "Beta moved to leverage", url="//evil/"),
            Alert(cast.manager.pk, "vendor_segment_changed", "Gamma moved to bottleneck"),
        ]
    )
    acme, beta = Notification.objects.filter(recipient=cast.owner).order_by("title")
    gamma = Notification.objects.get(recipient=cast.manager)
    return acme, beta, gamma


def test_the_page_lists_only_your_own_and_counts_the_unread(cast: Any) -> None:
    acme, beta, gamma = _alerts(cast)
    html = web_client(cast.owner).get("/notifications/").content.decode()
    assert acme.title in html
    assert beta.title in html
    assert gamma.title not in html  # the manager's, though the owner reports to them
    # the menu shows two unread
    assert 'Alerts <span class="badge text-bg-warning">2' in html
    # and an administrator does not see the owner's alerts either
    admin_html = web_client(cast.admin).get("/notifications/").content.decode()
    assert acme.title not in admin_html


def test_opening_marks_read_and_follows_only_a_local_link(cast: Any) -> None:
    acme, beta, gamma = _alerts(cast)
    client = web_client(cast.owner)
    response = client.post(f"/notifications/{acme.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/vendors/"
    acme.refresh_from_db()
    assert acme.read_at is not None
    # a link off the site is not followed
    response = client.post(f"/notifications/{beta.pk}/open/")
    assert response["Location"] == "/notifications/"
    # someone else's is not found and stays unread
    assert client.post(f"/notifications/{gamma.pk}/open/").status_code == 404
    gamma.refresh_from_db()
    assert gamma.read_at is None


def test_mark_all_read_touches_only_your_own(cast: Any) -> None:
    _acme, _beta, gamma = _alerts(cast)
    response = web_client(cast.owner).post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=cast.owner, read_at__isnull=True).exists()
    gamma.refresh_from_db()
    assert gamma.read_at is None
    # a bad id is a bad request, not an error page
    assert web_client(cast.owner).post("/notifications/read/", {"id": "x"}).status_code == 400
    html = web_client(cast.owner).get("/notifications/?unread=1").content.decode()
    assert "Nothing unread." in html


def test_the_api_lists_filters_and_marks_read(cast: Any) -> None:
    acme, beta, gamma = _alerts(cast)
    api = api_client(cast.owner)
    rows = api.get("/api/v1/notifications/").json()["results"]
    assert {row["id"] for row in rows} == {acme.pk, beta.pk}
    assert api.get(f"/api/v1/notifications/{gamma.pk}/").status_code == 404
    # mark one read, then only the other is unread
    assert api.post(f"/api/v1/notifications/{acme.pk}/read/").json()["read_at"] is not None
    unread = api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [row["id"] for row in unread] == [beta.pk]
    # marking someone else's by id marks nothing
    assert api.post("/api/v1/notifications/mark-read/", {"ids": [gamma.pk]}).json() == {"marked": 0}
    # bad ids name the field
    response = api.post("/api/v1/notifications/mark-read/", {"ids": ["x"]})
    assert response.status_code == 400
    assert "ids" in response.json()["errors"][0]["attr"]
    # and with no ids, all of yours
    assert api.post("/api/v1/notifications/mark-read/", {}).json() == {"marked": 1}


def test_a_form_body_with_too_many_fields_is_a_bad_request_not_a_crash(cast: Any) -> None:
    api = api_client(cast.owner)
    fields = {f"ids[{n}]": str(n) for n in range(1_200)}  # over Django's 1,000-field limit
    response = api.post("/api/v1/notifications/mark-read/", fields, format="multipart")
    assert response.status_code == 400
    assert response.json()["type"] in ("client_error", "validation_error")
