from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from steward.core.access import principal_for
from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.people import services
from steward.people.models import ApiToken, Profile
from steward.people.selectors import principal_load, report_ids_for

pytestmark = pytest.mark.django_db


def test_principal_knows_roles_reports_and_portal_membership(cast: Cast) -> None:
    director = principal_load(cast.director)
    assert director.report_ids == {cast.manager.pk, cast.owner.pk}  # direct and indirect
    assert not director.is_admin
    assert principal_load(cast.admin).is_admin
    assert principal_load(cast.auditor).is_auditor
    portal = principal_load(cast.portal_a)
    assert portal.is_external
    assert portal.portal_organization_id == cast.org_a.pk
    assert portal.report_ids == frozenset()


def test_reporting_lines_cannot_loop(cast: Cast) -> None:
    profile = Profile.objects.get(user=cast.director)
    with pytest.raises(DomainError) as refused:
        services.profile_update(
            actor=cast.admin, profile=profile, expected_version=profile.version, manager=cast.owner
        )
    assert refused.value.code == "cycle"
    assert report_ids_for(cast.owner.pk) == frozenset()


def test_people_edit_their_own_details_but_not_their_manager(cast: Cast) -> None:
    profile = Profile.objects.get(user=cast.owner)
    services.profile_update(
        actor=cast.owner, profile=profile, expected_version=profile.version, phone="+47 555"
    )
    profile.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.profile_update(
            actor=cast.owner, profile=profile, expected_version=profile.version, manager=None
        )


def test_role_changes_are_kept_in_the_profile_history(cast: Cast) -> None:
    services.user_set_roles(actor=cast.admin, user=cast.outsider, roles=["Auditor"])
    assert principal_for(cast.outsider).is_auditor
    latest = Profile.objects.get(user=cast.outsider).history.first()
    assert latest.history_change_reason == "Job roles set to: Auditor"
    assert latest.history_user == cast.admin
    with pytest.raises(PermissionDenied):
        services.user_set_roles(actor=cast.owner, user=cast.owner, roles=["Administrator"])


def test_tokens_are_stored_hashed_and_work_until_revoked(cast: Cast) -> None:
    token, secret = services.api_token_create(actor=cast.owner, name="sync script")
    assert secret.startswith("stw_")
    assert secret not in token.key_hash
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(secret)).exists()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/users/me/").json()["username"] == "owner"
    services.api_token_revoke(actor=cast.owner, token=token)
    assert client.get("/api/v1/users/me/").status_code == 401


def test_expiry_must_lie_ahead_and_others_cannot_revoke(cast: Cast) -> None:
    with pytest.raises(DomainError):
        services.api_token_create(
            actor=cast.owner, name="old", expires_at=timezone.now() - dt.timedelta(days=1)
        )
    token, _ = services.api_token_create(actor=cast.owner, name="mine")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=cast.outsider, token=token)


def test_deactivating_a_leaver_revokes_their_tokens_and_keeps_their_records(cast: Cast) -> None:
    token, _ = services.api_token_create(actor=cast.owner, name="leaver")
    services.user_deactivate(actor=cast.admin, user=cast.owner)
    token.refresh_from_db()
    assert token.revoked_at is not None
    cast.rel_a.refresh_from_db()
    assert cast.rel_a.owner == cast.owner
    with pytest.raises(DomainError):
        services.user_deactivate(actor=cast.admin, user=cast.admin)


def test_portal_users_cannot_hold_internal_roles(cast: Cast) -> None:
    with pytest.raises(DomainError):
        services.user_create(
            actor=cast.admin,
            username="vendor.rep",
            email="rep@aurora.example",
            password=None,
            roles=["Vendor manager"],
            organization=cast.org_a,
        )


def test_token_page_shows_the_secret_once(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    created = client.post("/me/tokens/", {"name": "reporting"}).content.decode()
    assert "Copy your new token now" in created
    token = ApiToken.objects.get(name="reporting")
    listing = client.get("/me/tokens/").content.decode()
    assert "Copy your new token now" not in listing
    assert token.prefix in listing
