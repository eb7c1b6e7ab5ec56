"""Inside people: profiles with function, job roles (auth groups), reporting lines and teams."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.people.choices import Function, UserKind


class Profile(DomainModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    kind = models.CharField(max_length=10, choices=UserKind.choices, default=UserKind.INTERNAL)
    function = models.CharField(max_length=30, choices=Function.choices, blank=True)
    title = models.CharField("job title", max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_report_profiles",
    )
    organization = models.ForeignKey(
        "parties.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_profiles",
        help_text="External portal users belong to exactly one organization.",
    )
    digest_enabled = models.BooleanField("daily digest", default=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="user", internal_directory=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="external") | models.Q(organization__isnull=False),
                name="external_profile_has_organization",
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("user")), name="profile_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_external(self) -> bool:
        return self.kind == UserKind.EXTERNAL


class Team(DomainModel):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teams_led"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    history = HistoricalRecords(m2m_fields=[members])
    access_spec = AccessSpec(owner="lead", internal_directory=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the secret is shown once, at creation."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(owner="user")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_archived(self) -> bool:
        return self.revoked_at is not None
