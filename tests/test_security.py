"""Security properties of the shell: hashing, throttling, headers, CSRF."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings

from steward.people.services import user_create
from steward.people.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2() -> None:
    user = user_create(
        actor=None, username="ada", email="ada@example.com", password="a-Long-pass-42x"
    )
    assert identify_hasher(user.password).algorithm == "argon2"


def test_argon2_is_the_production_hasher() -> None:
    from steward.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_repeated_failed_logins_lock_the_account_out() -> None:
    UserFactory(username="target")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "target", "password": "wrong"})
    # even the right password is refused while locked
    locked = client.post("/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_works_and_failures_below_the_limit_do_not_lock() -> None:
    UserFactory(username="ok")
    client = Client(REMOTE_ADDR="203.0.113.10")
    client.post("/login/", {"username": "ok", "password": "wrong"})
    response = client.post("/login/", {"username": "ok", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_pages_carry_csp_frame_and_sniffing_headers() -> None:
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_are_csrf_protected() -> None:
    user = UserFactory(username="csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/organizations/new/", {"legal_name": "No Token Ltd"})
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert Client().get("/api/v1/organizations/").status_code == 401
