"""The optional second factor: enrol with a code, then every session must enter one first."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.people.services import api_token_create
from steward.portal import services

pytestmark = pytest.mark.django_db


def _wrong(device: TOTPDevice) -> str:
    """A six-digit code the device accepts at no step in its tolerance window."""
    valid = {services.totp_code(device, drift=d) for d in (-1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(10) if f"{n:06d}" not in valid)


def _enrol(user: Any) -> TOTPDevice:
    device = services.totp_enrol_start(actor=user)
    return services.totp_enrol_confirm(actor=user, code=services.totp_code(device))


def test_enrolling_needs_a_valid_code(cast: Cast) -> None:
    device = services.totp_enrol_start(actor=cast.portal_a)
    assert not services.has_second_factor(cast.portal_a)
    with pytest.raises(DomainError) as wrong:
        services.totp_enrol_confirm(actor=cast.portal_a, code="12345")
    assert (wrong.value.field, wrong.value.code) == ("code", "invalid")
    bad = _wrong(device)
    with pytest.raises(DomainError) as refused:
        services.totp_enrol_confirm(actor=cast.portal_a, code=bad)
    assert refused.value.code == "wrong"
    assert not services.has_second_factor(cast.portal_a)


def test_starting_twice_shows_the_same_secret_until_confirmed(cast: Cast) -> None:
    first = services.totp_enrol_start(actor=cast.portal_a)
    assert services.totp_enrol_start(actor=cast.portal_a).pk == first.pk
    services.totp_enrol_confirm(actor=cast.portal_a, code=services.totp_code(first))
    assert services.has_second_factor(cast.portal_a)
    with pytest.raises(DomainError):
        services.totp_enrol_start(actor=cast.portal_a)


def test_disabling_needs_a_code_and_retires_the_secret(cast: Cast) -> None:
    device = _enrol(cast.portal_a)
    old_key = device.key
    with pytest.raises(DomainError):
        services.totp_disable(actor=cast.portal_a, code="abc")
    services.totp_disable(actor=cast.portal_a, code=services.totp_code(device, drift=1))
    assert not services.has_second_factor(cast.portal_a)
    device.refresh_from_db()
    assert device.key != old_key
    assert "Second factor turned off" in {
        h.history_change_reason for h in cast.portal_a.profile.history.all()
    }


def test_inside_people_do_not_enrol_here(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.totp_enrol_start(actor=cast.owner)


def test_an_enrolled_portal_user_must_enter_a_code_before_any_page(
    cast: Cast, settings: Any
) -> None:
    # django-otp slows retries down after a wrong code; that is tested on its own below
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = _enrol(cast.portal_a)
    client = Client()
    client.force_login(cast.portal_a)
    # every page sends them to the code page first
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:verify"))
    # and the session API answers 403 with a code saying why
    api = client.get("/api/v1/organizations/")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "second_factor_required"
    # a wrong code keeps them out
    wrong = client.post(reverse("portal:verify"), {"code": _wrong(device), "next": "/"})
    assert wrong.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    # a good one lets them in, back where they were going
    good = client.post(
        reverse("portal:verify"),
        {"code": services.totp_code(device, drift=1), "next": reverse("portal:security")},
    )
    assert good.status_code == 302
    assert good["Location"] == reverse("portal:security")
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200


def test_the_code_page_refuses_to_send_elsewhere(cast: Cast) -> None:
    device = _enrol(cast.portal_a)
    client = Client()
    client.force_login(cast.portal_a)
    response = client.post(
        reverse("portal:verify"),
        {"code": services.totp_code(device, drift=1), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_portal_users_without_a_second_factor_and_inside_people_go_straight_in(
    cast: Cast,
) -> None:
    for role in ("portal_b", "owner"):
        client = Client()
        client.force_login(cast.user(role))
        assert client.get(reverse("home")).status_code == 200


def test_a_personal_api_token_is_its_own_credential(cast: Cast) -> None:
    # a token made in a verified session keeps working for scripts without a browser code
    _enrol(cast.portal_a)
    _token, secret = api_token_create(actor=cast.portal_a, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [cast.org_a.pk]


def test_the_security_page_enrols_with_a_qr_code_and_no_outside_assets(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.portal_a)
    page = client.get(reverse("portal:security"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg width="' in html
    assert 'class="segno"' in html
    assert "cdn" not in html.lower()
    device = TOTPDevice.objects.get(user=cast.portal_a, confirmed=False)
    response = client.post(reverse("portal:security"), {"code": services.totp_code(device)})
    assert response.status_code == 302
    assert services.has_second_factor(cast.portal_a)
    # the session that enrolled is verified already
    assert client.get(reverse("home")).status_code == 200


def test_inside_people_have_no_security_page(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    assert client.get(reverse("portal:security")).status_code == 403


def test_wrong_codes_are_throttled(cast: Cast) -> None:
    device = _enrol(cast.portal_a)
    with pytest.raises(DomainError):
        services.second_factor_check(actor=cast.portal_a, code=_wrong(device))
    # right after a wrong code, even the right one waits its turn
    with pytest.raises(DomainError) as throttled:
        services.second_factor_check(actor=cast.portal_a, code=services.totp_code(device, drift=1))
    assert throttled.value.code == "throttled"
