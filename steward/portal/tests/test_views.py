"""The portal's pages: accepting an invitation, the portal home and the vendor's portal tab."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from steward.core import registry
from steward.core.registry import PortalSection, navigation
from steward.parties.tests.cast import Cast
from steward.people.models import Profile
from steward.portal import services
from steward.portal.models import Invitation, InvitationStatus
from steward.reviews.choices import ActionSide
from steward.reviews.tests.factories import ActionItemFactory
from steward.scorecards.tests.factories import ScorecardFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


# --- accepting -------------------------------------------------------------------------------


def test_accepting_signs_the_person_in_on_the_portal_home(cast: Cast, vendor_a: Any) -> None:
    _invitation, link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    url = reverse("portal:invitation-accept", args=[_token(link)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "Aurora Metals" in page.content.decode()
    response = client.post(
        url,
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password": "a-Long-pass-2026",
            "password_again": "a-Long-pass-2026",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "insights/home_portal.html" in {t.name for t in response.templates}
    assert response.context["user"].email == "ada@a.example"
    # the link is spent: the page now answers like any bad link
    assert Client().get(url).status_code == 404


def test_mismatched_passwords_are_named_and_nothing_is_written(cast: Cast, vendor_a: Any) -> None:
    _invitation, link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    url = reverse("portal:invitation-accept", args=[_token(link)])
    response = Client().post(
        url, {"first_name": "Ada", "password": "a-Long-pass-2026", "password_again": "other"}
    )
    assert response.status_code == 200
    assert "password_again" in response.context["form"].errors
    assert not Profile.objects.filter(user__email="ada@a.example").exists()


def test_unknown_links_answer_the_same_page(db: Any) -> None:
    response = Client().get(reverse("portal:invitation-accept", args=["nope"]))
    assert response.status_code == 404
    assert services.INVALID_LINK in response.content.decode()


# --- the portal home -----------------------------------------------------------------------------


@pytest.fixture
def fake_section() -> Iterator[dict[str, int]]:
    counts: dict[str, int] = {}
    registry.register_portal_section(
        PortalSection(
            name="test_fake",
            title="Fake things to do",
            template="portal/sections/actions.html",
            context=lambda user: {"actions": []},
            count=lambda user: counts.get(user.username, 0),
        )
    )
    yield counts
    registry._portal_sections.pop("test_fake", None)


def test_the_portal_home_shows_each_section_with_its_count(
    cast: Cast, fake_section: dict[str, int]
) -> None:
    fake_section["portal_a"] = 4
    html = _client(cast.portal_a).get(reverse("home")).content.decode()
    assert "Fake things to do" in html
    assert re.search(r"Fake things to do <span[^>]*>4</span>", html)
    assert 'data-testid="portal-nothing-to-do"' not in html
    assert reverse("portal:security") in html
    assert reverse("portal:signin-request") in html


def test_the_portal_home_has_an_empty_state(cast: Cast, fake_section: dict[str, int]) -> None:
    html = _client(cast.portal_b).get(reverse("home")).content.decode()
    assert 'data-testid="portal-nothing-to-do"' in html
    assert "Fake things to do" not in html


def test_shared_scorecards_and_actions_show_only_for_their_organization(cast: Cast) -> None:
    shared = ScorecardFactory(relationship=cast.rel_a, shared_with_portal=True)
    ScorecardFactory(relationship=cast.rel_a)  # another period's card, not shared
    ScorecardFactory(relationship=cast.rel_b, period=shared.period, shared_with_portal=True)
    action = ActionItemFactory(
        relationship=cast.rel_a,
        side=ActionSide.THEIRS,
        owner=None,
        title="Send the insurance certificate",
        shared_with_portal=True,
        due_on=dt.date(2030, 1, 31),
    )
    ActionItemFactory(relationship=cast.rel_a, title="Internal follow-up")
    ActionItemFactory(
        relationship=cast.rel_b,
        side=ActionSide.THEIRS,
        owner=None,
        title="Borealis task",
        shared_with_portal=True,
    )
    page_a = _client(cast.portal_a).get(reverse("home"))
    sections = {s["section"].name: s["count"] for s in page_a.context["sections"]}
    assert sections == {"shared_scorecards": 1, "shared_actions": 1}
    html = page_a.content.decode()
    assert reverse("scorecards:card-detail", args=[shared.pk]) in html
    assert reverse("reviews:action-detail", args=[action.pk]) in html
    assert "Internal follow-up" not in html
    assert "Borealis task" not in html
    html_b = _client(cast.portal_b).get(reverse("home")).content.decode()
    assert "Send the insurance certificate" not in html_b
    assert "Borealis task" in html_b


def test_inside_navigation_never_shows_to_portal_users(cast: Cast) -> None:
    html = _client(cast.portal_a).get(reverse("home")).content.decode()
    hidden = [entry for entry in navigation() if not entry.visible(_principal(cast.portal_a))]
    assert hidden, "the menu has inside entries to hide"
    for entry in hidden:
        assert f'href="{entry.url()}"' not in html


def _principal(user: Any) -> Any:
    from steward.core.access import principal_for

    return principal_for(user)


# --- the vendor's portal tab ---------------------------------------------------------------------


def test_the_vendor_tab_lists_portal_users_and_invitations(cast: Cast, vendor_a: Any) -> None:
    services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    url = reverse("suppliers:vendor-detail", args=[vendor_a.pk]) + "?tab=portal"
    html = _client(cast.owner).get(url).content.decode()
    assert cast.portal_a.email in html
    assert cast.portal_b.email not in html
    assert "ada@a.example" in html
    assert 'data-testid="portal-invite-form"' in html
    # a reader sees the tab without the buttons
    reader_html = _client(cast.auditor).get(url).content.decode()
    assert "ada@a.example" in reader_html
    assert 'data-testid="portal-invite-form"' not in reader_html


def test_inviting_from_the_tab_shows_the_link_once(cast: Cast, vendor_a: Any) -> None:
    client = _client(cast.owner)
    response = client.post(
        reverse("portal:invitation-create", args=[vendor_a.pk]),
        {"email": "ada@a.example", "first_name": "Ada", "last_name": "L"},
    )
    assert response.status_code == 200
    link = response.context["link"]
    assert link in response.content.decode()
    assert link in mail.outbox[0].body
    assert response["Cache-Control"] == "no-store"
    # the tab does not show it again
    tab = client.get(reverse("suppliers:vendor-detail", args=[vendor_a.pk]) + "?tab=portal")
    assert _token(link) not in tab.content.decode()


def test_a_bad_invitation_form_names_the_field(cast: Cast, vendor_a: Any) -> None:
    response = _client(cast.owner).post(
        reverse("portal:invitation-create", args=[vendor_a.pk]),
        {"email": cast.member.email, "first_name": "M"},
    )
    assert response.status_code == 400
    assert "inside account" in str(response.context["invite_form"].errors["email"])
    assert not Invitation.objects.exists()


def test_resend_and_revoke_from_the_tab(cast: Cast, vendor_a: Any) -> None:
    invitation, _link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="ada@a.example", first_name="Ada"
    )
    client = _client(cast.owner)
    resent = client.post(reverse("portal:invitation-resend", args=[invitation.pk]))
    assert resent.status_code == 200
    assert resent.context["invitation"].pk != invitation.pk
    fresh = resent.context["invitation"]
    revoked = client.post(reverse("portal:invitation-revoke", args=[fresh.pk]))
    assert revoked.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == InvitationStatus.REVOKED


@pytest.mark.parametrize("role", ["auditor", "outsider", "portal_a", "portal_b"])
def test_who_may_not_change_the_vendor_cannot_invite_through_the_page(
    cast: Cast, vendor_a: Any, role: str
) -> None:
    response = _client(cast.user(role)).post(
        reverse("portal:invitation-create", args=[vendor_a.pk]),
        {"email": "x@a.example", "first_name": "X"},
    )
    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()
