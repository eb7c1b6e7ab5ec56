"""The permission matrix of the vendor portal (issue 7), and the isolation of two vendors' portals.

The same rules as tests/test_permission_matrix.py, whose cast, clients and outcome helpers this
module reuses: expectations are written by hand from the policy (access.py and the invitation's
access spec), every role acts on the same starting state (its writes are rolled back), an allowed
role gets the row or the change, a denied role gets neither and the database is untouched.

The rules:

- an invitation follows its vendor: whoever sees vendor A sees A's invitations (on the vendor's
  portal tab and in the API); whoever may change vendor A invites, resends and revokes;
- portal users see no invitation, not even their own organization's, and invite nobody;
- a portal user sees their own organization only: on the home page, in the API by list, by id and
  by search, and never the other vendor's invitation links, sections or name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from steward.parties.tests.cast import ROLES, Cast
from steward.portal import services
from steward.portal.models import Invitation
from steward.reviews.choices import ActionSide
from steward.reviews.tests.factories import ActionItemFactory
from steward.scorecards.tests.factories import ScorecardFactory
from tests.test_permission_matrix import (
    REL_A_EDITORS,
    REL_A_READERS,
    Outcome,
    _api_rows,
    _changed,
    _client,
    _seen,
    _vendor,
    _visible,
)

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

COVERED_MODELS = {Invitation}

API = "/api/v1/portal-invitations/"
MARKER = "matrix-invitee@aurora.example"

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("invitation", "list"): REL_A_READERS,
    ("invitation", "detail"): REL_A_READERS,
    ("invitation", "create"): REL_A_EDITORS,
    ("invitation", "resend"): REL_A_EDITORS,
    ("invitation", "revoke"): REL_A_EDITORS,
}


def _invitation(cast: Cast) -> Invitation:
    invitation = Invitation.objects.filter(email=MARKER).first()
    if invitation is None:
        invitation, _link = services.invitation_create(
            actor=cast.owner, supplier=_vendor(cast), email=MARKER, first_name="Matrix"
        )
    return invitation


def check_list(channel: str, cast: Cast, role: str) -> Outcome:
    client = _client(channel, cast.user(role))
    target = _invitation(cast)
    if channel == "ui":
        url = reverse("suppliers:vendor-detail", args=[target.supplier_id]) + "?tab=portal"
        return _seen(client.get(url), MARKER)
    rows = _api_rows(client.get(API))
    return Outcome(allowed=target.pk in {row["id"] for row in rows}, detail=f"{len(rows)} rows")


def check_detail(channel: str, cast: Cast, role: str) -> Outcome | None:
    if channel == "ui":
        return None  # an invitation has no page of its own; the tab lists it
    target = _invitation(cast)
    return _visible(_client(channel, cast.user(role)).get(f"{API}{target.pk}/"))


def check_create(channel: str, cast: Cast, role: str) -> Outcome:
    client = _client(channel, cast.user(role))
    vendor = _vendor(cast)
    before = Invitation.objects.count()
    body = {"email": "new-person@aurora.example", "first_name": "New"}
    if channel == "ui":
        response = client.post(reverse("portal:invitation-create", args=[vendor.pk]), body)
        ok: tuple[int, ...] = (200,)
    else:
        response = client.post(API, {**body, "supplier": vendor.pk})
        ok = (201,)
    return _changed(response, Invitation.objects.count() == before + 1, ok)


def check_resend(channel: str, cast: Cast, role: str) -> Outcome:
    client = _client(channel, cast.user(role))
    target = _invitation(cast)
    before = Invitation.objects.count()
    if channel == "ui":
        response = client.post(reverse("portal:invitation-resend", args=[target.pk]))
        ok: tuple[int, ...] = (200,)
    else:
        response = client.post(f"{API}{target.pk}/resend/")
        ok = (201,)
    return _changed(response, Invitation.objects.count() == before + 1, ok)


def check_revoke(channel: str, cast: Cast, role: str) -> Outcome:
    client = _client(channel, cast.user(role))
    target = _invitation(cast)
    if channel == "ui":
        response = client.post(reverse("portal:invitation-revoke", args=[target.pk]))
        ok: tuple[int, ...] = (302,)
    else:
        response = client.post(f"{API}{target.pk}/revoke/")
        ok = (200,)
    target.refresh_from_db()
    return _changed(response, target.revoked_at is not None, ok)


CHECKS: dict[str, Callable[[str, Cast, str], Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "resend": check_resend,
    "revoke": check_revoke,
}
CASES = [(channel, model, action) for channel in ("ui", "api") for (model, action) in EXPECTED]


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_portal_permission_matrix(cast: Cast, channel: str, model: str, action: str) -> None:
    expected = EXPECTED[(model, action)]
    _invitation(cast)
    mismatches, tried = [], 0
    for role in ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, cast, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


# --- two vendors' portal users: each sees its own organization and nothing of the other --------


@pytest.fixture
def shared_world(cast: Cast) -> dict[str, Any]:
    """Each organization shares a scorecard and an action with its portal, and has an invitation."""
    card_a = ScorecardFactory(relationship=cast.rel_a, shared_with_portal=True)
    card_b = ScorecardFactory(
        relationship=cast.rel_b, period=card_a.period, shared_with_portal=True
    )
    action_a, action_b = (
        ActionItemFactory(
            relationship=rel,
            side=ActionSide.THEIRS,
            owner=None,
            title=f"Shared action of {rel.organization}",
            shared_with_portal=True,
        )
        for rel in (cast.rel_a, cast.rel_b)
    )
    from steward.suppliers.tests.factories import SupplierFactory

    vendor_b = SupplierFactory(relationship=cast.rel_b)
    invitation_b, link_b = services.invitation_create(
        actor=cast.outsider, supplier=vendor_b, email="invitee@borealis.example", first_name="B"
    )
    return {
        "cards": {"portal_a": card_a, "portal_b": card_b},
        "actions": {"portal_a": action_a, "portal_b": action_b},
        "invitation_a": _invitation(cast),
        "invitation_b": invitation_b,
        "link_b": link_b,
    }


PAIRS = [("portal_a", "portal_b", "org_a", "org_b"), ("portal_b", "portal_a", "org_b", "org_a")]


@pytest.mark.parametrize("pair", PAIRS)
def test_the_home_page_shows_only_the_own_organization(
    cast: Cast, shared_world: dict[str, Any], pair: tuple[str, str, str, str]
) -> None:
    me, other, my_org, their_org = pair
    client = Client()
    client.force_login(cast.user(me))
    html = client.get(reverse("home")).content.decode()
    mine, theirs = getattr(cast, my_org), getattr(cast, their_org)
    assert str(mine) in html
    assert str(theirs) not in html
    assert shared_world["actions"][me].title in html
    assert shared_world["actions"][other].title not in html
    their_card = reverse("scorecards:card-detail", args=[shared_world["cards"][other].pk])
    assert their_card not in html
    assert reverse("scorecards:card-detail", args=[shared_world["cards"][me].pk]) in html


@pytest.mark.parametrize("pair", PAIRS)
def test_the_api_shows_only_the_own_organization(
    cast: Cast, shared_world: dict[str, Any], pair: tuple[str, str, str, str]
) -> None:
    me, other, my_org, their_org = pair
    api = _client("api", cast.user(me))
    mine, theirs = getattr(cast, my_org), getattr(cast, their_org)
    # by list
    assert [row["id"] for row in _api_rows(api.get("/api/v1/organizations/"))] == [mine.pk]
    # by guessing the other's id
    assert api.get(f"/api/v1/organizations/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/scorecards/{shared_world['cards'][other].pk}/").status_code == 404
    assert api.get(f"/api/v1/scorecards/{shared_world['cards'][me].pk}/").status_code == 200
    # by searching for the other's name
    found = _api_rows(api.get("/api/v1/organizations/", {"q": theirs.display_name}))
    assert found == []
    # and no invitation at all, of either organization
    assert _api_rows(api.get(API)) == []
    for key in ("invitation_a", "invitation_b"):
        assert api.get(f"{API}{shared_world[key].pk}/").status_code == 404


@pytest.mark.parametrize("role", ["portal_a", "portal_b"])
def test_portal_users_invite_nobody_for_any_vendor(
    cast: Cast, shared_world: dict[str, Any], role: str
) -> None:
    before = Invitation.objects.count()
    api = _client("api", cast.user(role))
    ui = _client("ui", cast.user(role))
    for invitation in (shared_world["invitation_a"], shared_world["invitation_b"]):
        vendor = invitation.supplier_id
        body = {"email": "x@example.com", "first_name": "X"}
        assert api.post(API, {**body, "supplier": vendor}).status_code in (400, 403)
        assert ui.post(reverse("portal:invitation-create", args=[vendor]), body).status_code in (
            403,
            404,
        )
        assert api.post(f"{API}{invitation.pk}/revoke/").status_code == 404
        assert ui.post(reverse("portal:invitation-revoke", args=[invitation.pk])).status_code == 404
        assert ui.get(f"/vendors/{vendor}/?tab=portal").status_code == 404
    assert Invitation.objects.count() == before
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 0


def test_the_other_vendors_invitation_link_makes_a_user_of_that_vendor_only(
    cast: Cast, shared_world: dict[str, Any]
) -> None:
    # portal_a holding B's link (forwarded by mistake) does not join A's session to B:
    # accepting makes a portal user of B with B's invitee address, and portal_a stays in A
    token = shared_world["link_b"].rstrip("/").rsplit("/", 1)[-1]
    client = Client()
    client.force_login(cast.portal_a)
    client.post(
        reverse("portal:invitation-accept", args=[token]), {"first_name": "B", "last_name": ""}
    )
    joined = Invitation.objects.get(pk=shared_world["invitation_b"].pk).accepted_user
    assert joined is not None
    assert joined.pk != cast.portal_a.pk
    assert joined.profile.organization == cast.org_b
    cast.portal_a.profile.refresh_from_db()
    assert cast.portal_a.profile.organization == cast.org_a
