"""The portal's records: invitations of a vendor's people, one-time sign-in links and the log of
reminders sent.

Links carry a random secret that is shown or mailed once; only its sha256 is stored, so a copy of
the database lets nobody in.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class Invitation(DomainModel):
    """A person of a vendor's organization asked to join the portal by a one-time link."""

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="portal_invitations"
    )
    organization = models.ForeignKey(
        "parties.Organization", on_delete=models.PROTECT, related_name="portal_invitations"
    )
    contact = models.ForeignKey(
        "parties.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_invitations",
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_invitations_sent"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token_hash"])
    # Whoever sees the vendor sees its invitations; whoever may change it invites and revokes.
    # Portal users see none: they do not manage who of their organization gets in.
    access_spec = AccessSpec(parent="supplier")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() + f" <{self.email}>"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.OPEN

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.OPEN


class SignInLink(models.Model):
    """A one-time link that signs a portal user in; internal machinery, never listed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_signin_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"sign-in link of user {self.user_id}"


class ReminderSent(models.Model):
    """One reminder of one due item to one portal user, at one offset (7, 3 or 1 days before).

    The due date is part of the key: an item moved to a new date is reminded of again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_reminders"
    )
    url = models.CharField(max_length=300)
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "url", "due_on", "days_before"], name="portal_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.days_before} days before {self.due_on})"
