"""Invitations: who may invite whom, one-time hashed links, expiry, re-inviting, accepting."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.people.choices import UserKind
from steward.people.models import Profile
from steward.people.tests.factories import UserFactory
from steward.portal import services
from steward.portal.models import Invitation, InvitationStatus, hash_token

pytestmark = pytest.mark.django_db


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _invite(cast: Cast, vendor: Any, email: str = "ada@aurora.example", **kwargs: Any) -> Any:
    return services.invitation_create(
        actor=cast.owner, supplier=vendor, email=email, first_name="Ada", **kwargs
    )


def test_an_invitation_stores_only_the_hash_and_mails_the_link(cast: Cast, vendor_a: Any) -> None:
    # when the vendor's owner invites a person of the vendor
    invitation, link = _invite(cast, vendor_a)
    token = _token(link)
    # then the row holds the sha256 of the secret, not the secret
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.organization == cast.org_a
    assert invitation.invited_by == cast.owner
    assert invitation.status == InvitationStatus.OPEN
    # and the person got the link by email
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@aurora.example"]
    assert link in mail.outbox[0].body
    # and history says who invited
    assert invitation.history.first().history_user == cast.owner


@override_settings(STEWARD_PORTAL_INVITATION_DAYS=3)
def test_the_invitation_expires_after_the_configured_days(cast: Cast, vendor_a: Any) -> None:
    before = timezone.now()
    invitation, _link = _invite(cast, vendor_a)
    assert (
        before + dt.timedelta(days=3)
        <= invitation.expires_at
        <= timezone.now() + dt.timedelta(days=3)
    )


@pytest.mark.parametrize("role", ["auditor", "outsider", "reviewer", "portal_a", "portal_b"])
def test_who_may_not_change_the_vendor_may_not_invite(cast: Cast, vendor_a: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=cast.user(role), supplier=vendor_a, email="x@aurora.example", first_name="X"
        )
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "case",
    [
        ("", "Ada", "email", "required"),
        ("not-an-address", "Ada", "email", "invalid"),
        ("ada@aurora.example", "  ", "first_name", "required"),
        ("ada@aurora.example", "A" * 101, "first_name", "max_length"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cast: Cast, vendor_a: Any, case: tuple[str, str, str, str]
) -> None:
    email, first_name, field, code = case
    with pytest.raises(DomainError) as refused:
        services.invitation_create(
            actor=cast.owner, supplier=vendor_a, email=email, first_name=first_name
        )
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Invitation.objects.exists()


def test_an_inside_persons_address_is_refused(cast: Cast, vendor_a: Any) -> None:
    with pytest.raises(DomainError) as refused:
        _invite(cast, vendor_a, email=cast.member.email.upper())
    assert (refused.value.field, refused.value.code) == ("email", "internal_user")


def test_a_portal_user_of_another_organization_is_refused(cast: Cast, vendor_a: Any) -> None:
    with pytest.raises(DomainError) as refused:
        _invite(cast, vendor_a, email=cast.portal_b.email)
    assert refused.value.code == "other_organization"


def test_a_contact_fills_in_the_person_and_must_belong_to_the_vendor(
    cast: Cast, vendor_a: Any
) -> None:
    contact = ContactFactory(
        organization=cast.org_a, first_name="Grace", last_name="Hopper", email="grace@a.example"
    )
    invitation, _link = services.invitation_create(
        actor=cast.owner, supplier=vendor_a, email="", first_name="", contact=contact
    )
    assert (invitation.email, invitation.first_name, invitation.last_name) == (
        "grace@a.example",
        "Grace",
        "Hopper",
    )
    with pytest.raises(DomainError) as refused:
        services.invitation_create(
            actor=cast.owner, supplier=vendor_a, email="", first_name="", contact=cast.contact_b
        )
    assert refused.value.field == "contact"


def test_reinviting_revokes_the_older_open_invitation(cast: Cast, vendor_a: Any) -> None:
    first, first_link = _invite(cast, vendor_a)
    second, second_link = _invite(cast, vendor_a, email="ADA@aurora.example")
    first.refresh_from_db()
    assert first.status == InvitationStatus.REVOKED
    assert second.status == InvitationStatus.OPEN
    assert services.invitation_for_token(token=_token(first_link)) is None
    assert services.invitation_for_token(token=_token(second_link)) == second


def test_resend_gives_a_new_link_and_kills_the_old_one(cast: Cast, vendor_a: Any) -> None:
    first, first_link = _invite(cast, vendor_a)
    fresh, fresh_link = services.invitation_resend(actor=cast.owner, invitation=first)
    assert fresh.pk != first.pk
    assert fresh_link != first_link
    assert services.invitation_for_token(token=_token(first_link)) is None
    assert services.invitation_for_token(token=_token(fresh_link)) == fresh


def test_accepting_creates_a_portal_user_of_the_organization(cast: Cast, vendor_a: Any) -> None:
    invitation, link = _invite(cast, vendor_a)
    user = services.invitation_accept(
        token=_token(link), first_name="Ada", last_name="Lovelace", password="a-Long-pass-2026"
    )
    profile = Profile.objects.get(user=user)
    assert (profile.kind, profile.organization) == (UserKind.EXTERNAL, cast.org_a)
    assert user.email == "ada@aurora.example"
    assert user.check_password("a-Long-pass-2026")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_user == user


def test_accepting_without_a_password_leaves_sign_in_by_link(cast: Cast, vendor_a: Any) -> None:
    _invitation, link = _invite(cast, vendor_a)
    user = services.invitation_accept(token=_token(link), first_name="Ada", last_name="")
    assert not user.has_usable_password()


def test_a_link_works_once(cast: Cast, vendor_a: Any) -> None:
    _invitation, link = _invite(cast, vendor_a)
    services.invitation_accept(token=_token(link), first_name="Ada", last_name="L")
    with pytest.raises(DomainError) as refused:
        services.invitation_accept(token=_token(link), first_name="Eve", last_name="L")
    assert refused.value.code == "invalid_link"
    assert Profile.objects.filter(user__email__iexact="ada@aurora.example").count() == 1


def test_an_existing_portal_user_of_the_organization_is_reused(cast: Cast, vendor_a: Any) -> None:
    _invitation, link = _invite(cast, vendor_a, email=cast.portal_a.email)
    user = services.invitation_accept(token=_token(link), first_name="New", last_name="Name")
    assert user.pk == cast.portal_a.pk
    cast.portal_a.refresh_from_db()
    assert cast.portal_a.first_name == "New"


def test_a_weak_password_is_refused_and_the_invitation_stays_open(
    cast: Cast, vendor_a: Any
) -> None:
    invitation, link = _invite(cast, vendor_a)
    with pytest.raises(DomainError) as refused:
        services.invitation_accept(token=_token(link), first_name="Ada", last_name="", password="1")
    assert refused.value.field == "password"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPEN
    assert not Profile.objects.filter(user__email="ada@aurora.example").exists()


def test_an_address_that_became_an_inside_account_is_refused_at_accept(
    cast: Cast, vendor_a: Any
) -> None:
    _invitation, link = _invite(cast, vendor_a)
    UserFactory(email="ada@aurora.example")  # an inside account got the address meanwhile
    with pytest.raises(DomainError) as refused:
        services.invitation_accept(token=_token(link), first_name="Ada", last_name="")
    assert refused.value.code == "internal_user"


def test_expired_revoked_used_and_unknown_links_answer_alike(cast: Cast, vendor_a: Any) -> None:
    expired, expired_link = _invite(cast, vendor_a, email="e@a.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked, revoked_link = _invite(cast, vendor_a, email="r@a.example")
    services.invitation_revoke(actor=cast.owner, invitation=revoked)
    _used, used_link = _invite(cast, vendor_a, email="u@a.example")
    services.invitation_accept(token=_token(used_link), first_name="U", last_name="")
    messages = set()
    for link in (expired_link, revoked_link, used_link, "https://x/portal/join/nonsense/"):
        with pytest.raises(DomainError) as refused:
            services.invitation_accept(token=_token(link), first_name="X", last_name="")
        messages.add((refused.value.code, refused.value.message))
    assert messages == {("invalid_link", services.INVALID_LINK)}


def test_an_accepted_invitation_cannot_be_revoked(cast: Cast, vendor_a: Any) -> None:
    invitation, link = _invite(cast, vendor_a)
    services.invitation_accept(token=_token(link), first_name="Ada", last_name="")
    invitation.refresh_from_db()
    with pytest.raises(DomainError):
        services.invitation_revoke(actor=cast.owner, invitation=invitation)


def test_a_portal_user_may_not_revoke(cast: Cast, vendor_a: Any) -> None:
    invitation, _link = _invite(cast, vendor_a)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=cast.portal_a, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@given(token=st.text(max_size=120))
def test_no_guessed_token_finds_an_invitation(token: str) -> None:
    # given an open invitation whose secret the guesser does not know
    # then no other text matches it (the lookup hashes whatever it gets, any length or alphabet)
    assert services.invitation_for_token(token=token) is None


@pytest.mark.django_db
def test_tokens_are_random_and_only_their_hash_is_kept(cast: Cast, vendor_a: Any) -> None:
    tokens = {_token(_invite(cast, vendor_a, email=f"p{n}@a.example")[1]) for n in range(20)}
    assert len(tokens) == 20
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(t) for t in tokens}
    assert not stored & tokens
