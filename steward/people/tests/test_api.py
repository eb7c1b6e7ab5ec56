"""The people endpoints (users, ``users/me``, teams) and how API clients authenticate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from steward.core.testing import api_client
from steward.people.models import ApiToken
from steward.people.services import api_token_create, api_token_revoke, team_create
from steward.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
USERS = "/api/v1/users/"
TEAMS = "/api/v1/teams/"


def bearer(secret: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")


# --- users ---------------------------------------------------------------------------------------


def test_me_describes_an_inside_user(cast: Any) -> None:
    # when the owner asks who they are
    response = api_client(cast.owner).get(ME)
    # then roles, reporting line and kind are there
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == cast.owner.pk
    assert body["username"] == "owner"
    assert body["full_name"] == cast.owner.get_full_name()
    assert body["kind"] == "internal"
    assert body["job_roles"] == ["Vendor manager"]
    assert body["manager"] == cast.manager.pk
    assert body["organization"] is None


def test_me_describes_a_portal_user_and_their_organization(cast: Any) -> None:
    body = api_client(cast.portal_a).get(ME).json()
    assert (body["kind"], body["organization"], body["job_roles"]) == (
        "external",
        cast.org_a.pk,
        [],
    )


def test_inside_users_see_the_directory_portal_users_only_themselves(cast: Any) -> None:
    inside = api_client(cast.member).get(USERS).json()
    assert inside["count"] == 10  # the whole cast
    portal = api_client(cast.portal_a).get(USERS).json()
    assert [row["id"] for row in portal["results"]] == [cast.portal_a.pk]
    # another person answers 404 to a portal user, as if they did not exist
    assert api_client(cast.portal_a).get(f"{USERS}{cast.owner.pk}/").status_code == 404
    assert api_client(cast.member).get(f"{USERS}{cast.owner.pk}/").status_code == 200


def test_the_user_list_costs_the_same_queries_for_5_and_40_people(cast: Any) -> None:
    api = api_client(cast.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(USERS, {"page_size": 200}).status_code == 200
        return len(captured.captured_queries)

    # given the ten people of the cast (the first request also resolves the caller's roles)
    queries()
    with_10 = queries()
    # when thirty more join, then the list costs the same
    UserFactory.create_batch(30, roles=["Specialist"])
    assert queries() == with_10


def test_users_are_read_only(cast: Any) -> None:
    api = api_client(cast.admin)
    assert api.post(USERS, {"username": "new"}, format="json").status_code == 405
    assert api.delete(f"{USERS}{cast.owner.pk}/").status_code == 405


# --- teams ---------------------------------------------------------------------------------------


def test_teams_are_listed_for_inside_users_only(cast: Any) -> None:
    # given a team
    team = team_create(
        actor=cast.manager, name="Metals desk", lead=cast.manager, members=[cast.owner]
    )
    # then inside users read it with its members
    body = api_client(cast.member).get(f"{TEAMS}{team.pk}/").json()
    assert (body["name"], body["lead"], body["members"]) == (
        "Metals desk",
        cast.manager.pk,
        [cast.owner.pk],
    )
    assert api_client(cast.member).get(TEAMS).json()["count"] == 1
    # and portal users see no teams at all
    assert api_client(cast.portal_a).get(TEAMS).json()["count"] == 0
    assert api_client(cast.portal_a).get(f"{TEAMS}{team.pk}/").status_code == 404


# --- authentication ------------------------------------------------------------------------------


def test_a_personal_token_authenticates_as_its_owner(cast: Any) -> None:
    _, secret = api_token_create(actor=cast.owner, name="laptop")
    response = bearer(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == cast.owner.pk
    # the older "Token" keyword is accepted too
    assert APIClient(HTTP_AUTHORIZATION=f"Token {secret}").get(ME).status_code == 200


def test_revoked_expired_and_unknown_tokens_are_refused(cast: Any) -> None:
    # given a revoked token and an expired one
    revoked, revoked_secret = api_token_create(actor=cast.owner, name="old")
    api_token_revoke(actor=cast.owner, token=revoked)
    expired, expired_secret = api_token_create(
        actor=cast.owner, name="short", expires_at=timezone.now() + dt.timedelta(minutes=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    # then each is refused with 401 and a reason, and so is a token nobody issued
    for secret in (revoked_secret, expired_secret, "stw_not-a-token"):
        response = bearer(secret).get(ME)
        assert response.status_code == 401, secret
        assert response.json()["errors"][0]["code"] == "authentication_failed"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_users_token_is_refused(cast: Any) -> None:
    _, secret = api_token_create(actor=cast.member, name="laptop")
    cast.member.is_active = False
    cast.member.save()
    assert bearer(secret).get(ME).status_code == 401


def test_requests_without_credentials_are_refused(cast: Any) -> None:
    response = APIClient().get("/api/v1/organizations/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_a_browser_session_authenticates_too(cast: Any) -> None:
    # given a person signed in to the web interface
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    # then the API reads with their session
    assert client.get(ME).json()["id"] == cast.owner.pk
    # and writes need the CSRF token, as for any form
    refused = client.post("/api/v1/organizations/", {"legal_name": "Session Co"}, format="json")
    assert refused.status_code == 403
