"""Sign-in links: one answer for every address, one use, fifteen minutes, rate-limited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.portal import services
from steward.portal.models import SignInLink

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _link_from_mail(index: int = -1) -> str:
    body = mail.outbox[index].body
    return next(line.strip() for line in body.splitlines() if "/portal/sign-in/" in line)


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_a_portal_user_gets_a_link_that_signs_them_in_once(cast: Cast) -> None:
    # when portal_a asks for a link (any spelling of the address)
    assert services.signin_link_request(email=cast.portal_a.email.upper()) == 1
    token = _token(_link_from_mail())
    # then the link stands for portal_a, once
    assert services.signin_link_redeem(token=token) == cast.portal_a
    with pytest.raises(DomainError):
        services.signin_link_redeem(token=token)
    # and only its hash is stored
    assert not SignInLink.objects.filter(token_hash=token).exists()


@override_settings(STEWARD_PORTAL_SIGNIN_LINK_MINUTES=15)
def test_a_link_expires(cast: Cast) -> None:
    services.signin_link_request(email=cast.portal_a.email)
    link = SignInLink.objects.get()
    assert 14 * 60 < (link.expires_at - timezone.now()).total_seconds() <= 15 * 60
    SignInLink.objects.update(expires_at=timezone.now())
    with pytest.raises(DomainError) as refused:
        services.signin_link_redeem(token=_token(_link_from_mail()))
    assert refused.value.code == "invalid_link"


@pytest.mark.parametrize("email", ["owner", "admin", "nobody"])
def test_inside_people_and_unknown_addresses_get_no_link(cast: Cast, email: str) -> None:
    address = "nobody@nowhere.example" if email == "nobody" else cast.user(email).email
    assert services.signin_link_request(email=address) == 0
    assert not mail.outbox
    assert not SignInLink.objects.exists()


def test_a_deactivated_portal_user_cannot_use_a_link_made_before(cast: Cast) -> None:
    services.signin_link_request(email=cast.portal_a.email)
    cast.portal_a.is_active = False
    cast.portal_a.save()
    with pytest.raises(DomainError):
        services.signin_link_redeem(token=_token(_link_from_mail()))


@override_settings(STEWARD_PORTAL_SIGNIN_LINKS_PER_HOUR=2)
def test_links_per_address_are_limited(cast: Cast) -> None:
    sent = [services.signin_link_request(email=cast.portal_a.email) for _ in range(4)]
    assert sent == [1, 1, 0, 0]
    assert len(mail.outbox) == 2
    # another address has its own allowance
    assert services.signin_link_request(email=cast.portal_b.email) == 1


def test_the_page_answers_alike_for_every_address(cast: Cast) -> None:
    client = Client()
    url = reverse("portal:signin-request")
    answers = []
    for email in (cast.portal_a.email, cast.owner.email, "nobody@nowhere.example"):
        response = client.post(url, {"email": email})
        assert response.status_code == 200
        # the page differs only in the per-response CSRF mask
        page = CSRF.sub("", response.content.decode())
        answers.append(page.replace(email, "<address>"))
    assert answers[0] == answers[1] == answers[2]
    assert len(mail.outbox) == 1


def test_the_link_page_signs_in_on_post_only(cast: Cast) -> None:
    services.signin_link_request(email=cast.portal_a.email)
    url = reverse("portal:signin-redeem", args=[_token(_link_from_mail())])
    client = Client()
    # a mail scanner's GET does not use the link up
    assert client.get(url).status_code == 200
    assert SignInLink.objects.get().used_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == cast.portal_a
    # a second use answers the same page as any bad link
    again = Client().post(url)
    assert again.status_code == 404
    assert services.INVALID_LINK in again.content.decode()


def test_a_bad_link_page_does_not_sign_in(db: Any) -> None:
    client = Client()
    response = client.post(reverse("portal:signin-redeem", args=["x" * 43]))
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session
