"""Invitations through the API: the link once at creation, never the hash; list, filter, revoke."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from steward.parties.tests.cast import Cast
from steward.portal import services
from steward.portal.models import Invitation

pytestmark = pytest.mark.django_db

URL = "/api/v1/portal-invitations/"


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_returns_the_link_once_and_never_the_hash(cast: Cast, vendor_a: Any) -> None:
    response = _api(cast.owner).post(
        URL, {"supplier": vendor_a.pk, "email": "ada@a.example", "first_name": "Ada"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["link"].startswith("http")
    assert "/portal/join/" in body["link"]
    assert body["status"] == "open"
    assert body["organization"] == cast.org_a.pk
    assert "token_hash" not in body
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.token_hash not in response.content.decode()
    detail = _api(cast.owner).get(f"{URL}{body['id']}/").json()
    assert "link" not in detail
    assert "token_hash" not in detail


def test_bad_input_answers_with_the_field_and_code(cast: Cast, vendor_a: Any) -> None:
    response = _api(cast.owner).post(
        URL, {"supplier": vendor_a.pk, "email": cast.member.email, "first_name": "M"}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("email", "internal_user")
    missing = _api(cast.owner).post(URL, {"email": "x@a.example", "first_name": "X"})
    assert missing.status_code == 400
    assert not Invitation.objects.exists()


def test_list_filters_and_searches(cast: Cast, vendor_a: Any, vendor_b: Any) -> None:
    services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    revoked, _link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="bob@a.example", first_name="Bob"
    )
    services.invitation_revoke(actor=cast.owner, invitation=revoked)
    api = _api(cast.admin)
    emails = lambda query: sorted(r["email"] for r in api.get(URL + query).json()["results"])  # noqa: E731
    assert emails("") == ["ada@a.example", "bob@a.example"]
    assert emails("?status=open") == ["ada@a.example"]
    assert emails("?status=revoked") == ["bob@a.example"]
    assert emails("?q=bob") == ["bob@a.example"]
    assert emails(f"?supplier={vendor_b.pk}") == []


def test_resend_and_revoke(cast: Cast, vendor_a: Any) -> None:
    invitation, _link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    api = _api(cast.owner)
    resent = api.post(f"{URL}{invitation.pk}/resend/")
    assert resent.status_code == 201
    assert resent.json()["link"]
    fresh = resent.json()["id"]
    revoked = api.post(f"{URL}{fresh}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"


def test_portal_users_neither_see_nor_make_invitations(cast: Cast, vendor_a: Any) -> None:
    invitation, _link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    for role in ("portal_a", "portal_b"):
        api = _api(cast.user(role))
        assert api.get(URL).json()["results"] == []
        assert api.get(f"{URL}{invitation.pk}/").status_code == 404
        assert api.post(f"{URL}{invitation.pk}/revoke/").status_code == 404
        made = api.post(URL, {"supplier": vendor_a.pk, "email": "x@a.example", "first_name": "X"})
        assert made.status_code == 403
    assert Invitation.objects.count() == 1
