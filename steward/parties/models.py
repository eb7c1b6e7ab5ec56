"""Counterparties (organizations, their sites and contacts) and the relationship base.

A relationship is the shape both sides share: an owner, a team with roles, a tier, a status and
tags on one organization. The supply side (vendor) and the demand side (account) extend it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from steward.core.access import Access, AccessSpec
from steward.core.models import DomainModel, Tag
from steward.parties.choices import (
    Industry,
    Level,
    RelationshipStatus,
    Side,
    SiteKind,
    TeamRole,
    Tier,
)


class Organization(DomainModel):
    legal_name = models.CharField(max_length=255)
    display_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="The short name people use; defaults to the legal name.",
    )
    registration_number = models.CharField(max_length=60, blank=True)
    tax_id = models.CharField("tax id", max_length=60, blank=True)
    website = models.URLField(blank=True)
    country = CountryField(blank=True)
    industry = models.CharField(max_length=40, choices=Industry.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        verbose_name="parent organization",
    )
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organizations_owned",
        help_text="Keeps this organization's master data accurate.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="organizations")
    # Normalized keys behind the duplicate guard; derived by the services, never typed.
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    tax_id_key = models.CharField(max_length=60, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[tags], excluded_fields=["name_key", "tax_id_key"])
    access_spec = AccessSpec(
        owner="owner",
        grants=("relationships",),
        internal_directory=True,
        portal_organization="pk",
    )

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "tax_id_key"],
                condition=models.Q(archived_at__isnull=True),
                name="organization_unique_identity",
                violation_error_message="An organization with this legal name and tax id exists.",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organization_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["archived_at", "display_name"])]

    def __str__(self) -> str:
        return self.display_name or self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("parties:organization-detail", args=[self.pk])


class Site(DomainModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=SiteKind.choices, default=SiteKind.OFFICE)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField(blank=True)
    shared_with_portal = models.BooleanField(
        default=False, help_text="The organization's portal users may see this site."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="organization",
        portal_organization="organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parties:site-detail", args=[self.pk])

    @property
    def address(self) -> str:
        parts = [self.street, " ".join(p for p in (self.postal_code, self.city) if p), self.region]
        if self.country:
            parts.append(str(self.country.name))  # type: ignore[attr-defined]
        return ", ".join(p for p in parts if p)


class ContactRole(models.Model):
    """Role tags of a contact (buyer, decision maker, …): a fixed vocabulary seeded by migration."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Contact(DomainModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contacts"
    )
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name="location",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    title = models.CharField("job title", max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    roles = models.ManyToManyField(ContactRole, blank=True, related_name="contacts")
    influence = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    relationship_strength = models.PositiveSmallIntegerField(
        choices=Level.choices, null=True, blank=True
    )
    notes = models.TextField(blank=True)
    shared_with_portal = models.BooleanField(
        default=False, help_text="The organization's portal users may see this contact."
    )

    history = HistoricalRecords(m2m_fields=[roles])
    access_spec = AccessSpec(
        parent="organization",
        portal_organization="organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["organization", "last_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("parties:contact-detail", args=[self.pk])


class Relationship(DomainModel):
    """Who owns our relationship with an organization, on one side of the business."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="relationships"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relationships_owned"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.MANAGED)
    status = models.CharField(
        max_length=20, choices=RelationshipStatus.choices, default=RelationshipStatus.PROSPECT
    )
    summary = models.TextField(
        blank=True, help_text="What this relationship is for, in a sentence."
    )
    next_review_on = models.DateField("next review", null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="relationships")

    history = HistoricalRecords(m2m_fields=[tags])
    access_spec = AccessSpec(owner="owner", members="members")

    class Meta:
        ordering = ["organization__display_name", "side", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "side"],
                condition=models.Q(archived_at__isnull=True),
                name="relationship_one_per_side",
                violation_error_message="The organization has a relationship on that side.",
            )
        ]
        indexes = [models.Index(fields=["side", "archived_at"])]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_side_display().split(' ')[0].lower()})"

    def get_absolute_url(self) -> str:
        return reverse("parties:relationship-detail", args=[self.pk])


class RelationshipMember(DomainModel):
    relationship = models.ForeignKey(Relationship, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relationship_memberships"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.EDIT)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "user"],
                condition=models.Q(archived_at__isnull=True),
                name="relationship_member_once",
                violation_error_message="This person is on the team already.",
            )
        ]
        verbose_name = "team member"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user} — {self.get_role_display()}"


class OrganizationDocument(DomainModel):
    """A file kept on an organization (company profile, tax form, certificate)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_with_portal = models.BooleanField(default=False)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="organization",
        portal_organization="organization",
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "document"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("parties:document-download", args=[self.pk])
