"""Writes of the vendor portal: invitations, sign-in links, the second factor and reminders.

Every link is a random secret shown or mailed once; the database keeps its sha256 only. A link
that is unknown, used, revoked or expired is refused with one message, so whoever holds a link
learns nothing about which of these it is.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.registry import DueItem, due_items
from steward.core.services import create_record, save_with_history
from steward.parties.models import Contact
from steward.people.choices import UserKind
from steward.people.models import Profile
from steward.people.services import user_create
from steward.portal.models import Invitation, ReminderSent, SignInLink, hash_token
from steward.suppliers.models import Supplier

logger = logging.getLogger(__name__)
User = get_user_model()

INVALID_LINK = (
    "This link cannot be used: it may have expired, been used already or been withdrawn. "
    "Ask your contact for a new invitation, or ask for a sign-in link."
)
REMINDER_DAYS = (7, 3, 1)
_CODE = re.compile(r"^\d{6}$")


def _absolute(path: str) -> str:
    if not path.startswith("/"):
        return path
    return f"{settings.STEWARD_BASE_URL.rstrip('/')}{path}"


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _same_hash(stored: str, token: str) -> bool:
    return hmac.compare_digest(stored, hash_token(token))


def _send(subject: str, template: str, context: dict[str, Any], to: str) -> None:
    """Mail after the write committed; a failing mail server does not undo the write."""
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    try:
        message.send()
    except Exception:  # the inviter still sees the link, and the log says why no mail went out
        logger.exception("Could not send %r to %s", subject, to)


# --- invitations ---------------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    return _absolute(reverse("portal:invitation-accept", args=[token]))


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise DomainError(
            "Give the address to send the invitation to.", field="email", code="required"
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(
            f"{email!r} is not an email address.", field="email", code="invalid"
        ) from error
    return email


def _check_invitee(email: str, organization_id: int) -> None:
    """Inside people are never turned into portal users, and one address is one portal user."""
    for profile in Profile.objects.filter(user__email__iexact=email).only(
        "kind", "organization_id"
    ):
        if profile.kind != UserKind.EXTERNAL:
            raise DomainError(
                "This address belongs to an inside account; inside people sign in as usual.",
                field="email",
                code="internal_user",
            )
        if profile.organization_id != organization_id:
            raise DomainError(
                "This address belongs to a portal user of another organization.",
                field="email",
                code="other_organization",
            )


def invitation_create(
    *,
    actor: Any,
    supplier: Supplier,
    email: str,
    first_name: str,
    last_name: str = "",
    contact: Contact | None = None,
) -> tuple[Invitation, str]:
    """Invite a person of the vendor's organization; returns the invitation and its link.

    The link is returned once (to show to the inviter) and mailed; it is never stored.
    """
    require(actor, Action.CHANGE, supplier)
    require_create(actor, Invitation, parent=supplier)
    organization = supplier.relationship.organization
    if contact is not None and contact.organization_id != organization.pk:
        raise DomainError(
            "This contact belongs to another organization.", field="contact", code="invalid"
        )
    if contact is not None:
        email = email or contact.email
        first_name = first_name or contact.first_name
        last_name = last_name or contact.last_name
    email = _clean_email(email)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        raise DomainError("Give the person's first name.", field="first_name", code="required")
    if len(first_name) > 100 or len(last_name) > 100:
        field = "first_name" if len(first_name) > 100 else "last_name"
        raise DomainError("Names are at most 100 characters.", field=field, code="max_length")
    _check_invitee(email, organization.pk)
    token, token_hash = _new_token()
    now = timezone.now()
    with transaction.atomic():
        # Re-inviting withdraws the older open link, so only the newest one works.
        for older in Invitation.objects.select_for_update().filter(
            organization=organization,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ):
            older.revoked_at = now
            save_with_history(older, actor=actor, reason="Replaced by a new invitation")
        invitation = create_record(
            Invitation(
                supplier=supplier,
                organization=organization,
                contact=contact,
                email=email,
                first_name=first_name,
                last_name=last_name,
                invited_by=actor,
                expires_at=now + dt.timedelta(days=settings.STEWARD_PORTAL_INVITATION_DAYS),
                token_hash=token_hash,
            ),
            actor=actor,
            reason="Invited",
        )
    link = invitation_link(token)
    _send(
        f"{organization} on Steward: your invitation",
        "portal/email/invitation",
        {"invitation": invitation, "link": link, "inviter": actor, "organization": organization},
        email,
    )
    return invitation, link


def invitation_resend(*, actor: Any, invitation: Invitation) -> tuple[Invitation, str]:
    """A fresh link for the same person; the older one stops working."""
    if invitation.accepted_at is not None:
        raise DomainError("This invitation was accepted already.", code="accepted")
    return invitation_create(
        actor=actor,
        supplier=invitation.supplier,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        contact=invitation.contact,
    )


def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    require(actor, Action.CHANGE, invitation)
    if invitation.accepted_at is not None:
        raise DomainError(
            "This invitation was accepted already; deactivate the person instead.",
            code="accepted",
        )
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            save_with_history(locked, actor=actor, reason="Revoked")
    return locked


def invitation_for_token(*, token: str) -> Invitation | None:
    """The open invitation a link stands for, or None for any link that cannot be used."""
    if not token or len(token) > 100:
        return None
    found = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if found is None or not _same_hash(found.token_hash, token) or not found.is_open:
        return None
    return found


def _unique_username(email: str) -> str:
    base = email.lower()[:140]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _check_password(password: str, first_name: str, last_name: str, email: str) -> None:
    try:
        validate_password(
            password, User(username=email, email=email, first_name=first_name, last_name=last_name)
        )
    except ValidationError as error:
        raise DomainError(
            " ".join(error.messages), field="password", code="weak_password"
        ) from error


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str = "") -> Any:
    """Turn an open invitation into a portal user of its organization (or reuse theirs).

    The invitation is locked and marked used in the same transaction, so a link works once.
    """
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        raise DomainError("Give your first name.", field="first_name", code="required")
    if len(first_name) > 100 or len(last_name) > 100:
        raise DomainError(
            "Names are at most 100 characters.", field="first_name", code="max_length"
        )
    with transaction.atomic():
        found = invitation_for_token(token=token)
        invitation = (
            Invitation.objects.select_for_update().filter(pk=found.pk).first() if found else None
        )
        if invitation is None or not invitation.is_open:
            raise DomainError(INVALID_LINK, code="invalid_link")
        _check_invitee(invitation.email, invitation.organization_id)
        if password:
            _check_password(password, first_name, last_name, invitation.email)
        user = (
            User.objects.filter(
                email__iexact=invitation.email,
                profile__kind=UserKind.EXTERNAL,
                profile__organization_id=invitation.organization_id,
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            user = user_create(
                actor=None,
                username=_unique_username(invitation.email),
                email=invitation.email,
                password=password or None,
                first_name=first_name,
                last_name=last_name,
                organization=invitation.organization,
            )
        else:
            user.first_name, user.last_name, user.is_active = first_name, last_name, True
            if password:
                user.set_password(password)
            user.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        save_with_history(invitation, actor=user, reason="Accepted")
    return user


# --- sign-in links -------------------------------------------------------------------------------


def _portal_users_by_email(email: str) -> QuerySet[Any]:
    return User.objects.filter(
        email__iexact=email, is_active=True, profile__kind=UserKind.EXTERNAL
    ).order_by("pk")


def _within_rate(email: str) -> bool:
    """At most so many links per address per hour, counted in the shared cache."""
    key = f"portal:signin:{hash_token(email.lower())}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.STEWARD_PORTAL_SIGNIN_LINKS_PER_HOUR


def signin_link_request(*, email: str) -> int:
    """Mail a one-time sign-in link to each portal user of ``email``; returns how many.

    Callers answer the same whatever this returns: whether an address has an account is not
    told. Inside people get nothing; they sign in with their password.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return 0
    if not _within_rate(email):
        logger.info("Sign-in links for an address over its hourly limit were not sent")
        return 0
    users = list(_portal_users_by_email(email))
    minutes = settings.STEWARD_PORTAL_SIGNIN_LINK_MINUTES
    for user in users:
        token, token_hash = _new_token()
        SignInLink.objects.create(
            user=user,
            token_hash=token_hash,
            expires_at=timezone.now() + dt.timedelta(minutes=minutes),
        )
        _send(
            "Your Steward sign-in link",
            "portal/email/signin_link",
            {
                "user": user,
                "link": _absolute(reverse("portal:signin-redeem", args=[token])),
                "minutes": minutes,
            },
            user.email,
        )
    return len(users)


def signin_link_redeem(*, token: str) -> Any:
    """The portal user a sign-in link stands for; the link is used up."""
    if not token or len(token) > 100:
        raise DomainError(INVALID_LINK, code="invalid_link")
    with transaction.atomic():
        link = (
            SignInLink.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if (
            link is None
            or not _same_hash(link.token_hash, token)
            or link.used_at is not None
            or link.expires_at <= timezone.now()
            or not link.user.is_active
            or not principal_for(link.user).is_external
        ):
            raise DomainError(INVALID_LINK, code="invalid_link")
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return link.user


# --- second factor -------------------------------------------------------------------------------


def _require_portal_user(actor: Any) -> None:
    principal = principal_for(actor)
    if not (principal.is_active and principal.is_external):
        raise PermissionDenied("The second factor of the portal is for portal users.")


def totp_device(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrol_start(*, actor: Any) -> TOTPDevice:
    """The device to scan: an unconfirmed one, made once and reused until confirmed."""
    _require_portal_user(actor)
    if has_second_factor(actor):
        raise DomainError("A second factor is set up already.", code="enrolled")
    device = totp_device(actor, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return device


def _clean_code(code: str) -> str:
    code = (code or "").replace(" ", "").strip()
    if not _CODE.match(code):
        raise DomainError("Enter the six digits your app shows.", field="code", code="invalid")
    return code


def _verify(device: TOTPDevice, code: str) -> None:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise DomainError(
            "Too many wrong codes; wait a little before trying again.",
            field="code",
            code="throttled",
        )
    if not device.verify_token(code):
        raise DomainError(
            "That code is not valid; enter the one your app shows now.", field="code", code="wrong"
        )


def totp_enrol_confirm(*, actor: Any, code: str) -> TOTPDevice:
    """Confirm the scanned device with a code it shows; from now on sign-ins ask for one."""
    _require_portal_user(actor)
    code = _clean_code(code)
    device = totp_device(actor, confirmed=False)
    if device is None:
        raise DomainError("Start by scanning the code on this page.", code="not_started")
    _verify(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        profile = Profile.objects.get(user=actor)
        save_with_history(profile, actor=actor, reason="Second factor turned on", bump=False)
    return device


def totp_disable(*, actor: Any, code: str) -> None:
    """Turn the second factor off with a valid code; the old secret is never used again."""
    _require_portal_user(actor)
    code = _clean_code(code)
    device = totp_device(actor)
    if device is None:
        raise DomainError("No second factor is set up.", code="not_enrolled")
    _verify(device, code)
    with transaction.atomic():
        device.confirmed = False
        device.key = default_key()
        device.save(update_fields=["confirmed", "key"])
        profile = Profile.objects.get(user=actor)
        save_with_history(profile, actor=actor, reason="Second factor turned off", bump=False)


def second_factor_check(*, actor: Any, code: str) -> TOTPDevice:
    """The confirmed device that accepts ``code``; the view then marks the session verified."""
    code = _clean_code(code)
    device = totp_device(actor)
    if device is None:
        raise DomainError("No second factor is set up.", code="not_enrolled")
    _verify(device, code)
    return device


def totp_code(device: TOTPDevice, *, drift: int = 0) -> str:
    """The code ``device`` shows now (``drift`` steps later); for tests and the demo."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, drift)
    return f"{totp.token():0{device.digits}d}"


# --- reminders -----------------------------------------------------------------------------------


def portal_recipients() -> QuerySet[Any]:
    return User.objects.filter(
        is_active=True, profile__kind=UserKind.EXTERNAL, profile__organization__isnull=False
    ).order_by("pk")


def _claim(user: Any, item: DueItem, days_before: int) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user,
                url=item.url[:300],
                due_on=item.due_on,
                days_before=days_before,
                title=item.title[:200],
            )
    except IntegrityError:
        return False
    return True


def portal_reminders_send(*, today: dt.date, user_ids: list[int] | None = None) -> int:
    """Remind portal users of what falls due in exactly 7, 3 or 1 days; returns how many.

    Each (user, item, due date, offset) is reminded once, however often this runs.
    """
    recipients = portal_recipients()
    if user_ids is not None:
        recipients = recipients.filter(pk__in=user_ids)
    sent = 0
    for user in recipients.select_related("profile"):
        fresh: list[tuple[DueItem, int]] = []
        for item in due_items(user, today=today, until=today + dt.timedelta(days=7)):
            days_before = (item.due_on - today).days
            if days_before in REMINDER_DAYS and _claim(user, item, days_before):
                fresh.append((item, days_before))
        if not fresh:
            continue
        notifications_send(
            Alert(
                recipient_id=user.pk,
                kind="portal.reminder",
                title=f"{item.title}: due in {days} day{'s' if days != 1 else ''}",
                body=item.detail,
                url=item.url,
            )
            for item, days in fresh
        )
        if user.email:
            _send(
                f"Steward: {len(fresh)} due soon",
                "portal/email/reminder",
                {
                    "user": user,
                    "rows": [
                        {"item": item, "days": days, "link": _absolute(item.url)}
                        for item, days in fresh
                    ],
                },
                user.email,
            )
        sent += len(fresh)
    return sent
