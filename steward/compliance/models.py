"""Compliance: a vendor's certifications and documents with their expiry, requests asking the
vendor for one, and audits of the vendor with their evidence and findings.

A certification's file is kept for good: a renewal is a new record that supersedes the old one,
never an overwrite. Audit findings are ``risk.Finding`` rows, linked through ``AuditFinding``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from steward.compliance import expiry
from steward.compliance.choices import (
    AuditKind,
    AuditStatus,
    CertificationKind,
    CertificationStatus,
    RequestStatus,
)
from steward.core.access import Access, AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel

# IT security reads and works every vendor's compliance records, whoever owns the vendor.
COMPLIANCE_FUNCTIONS = ("it_security",)
VENDOR_ORGANIZATION = "supplier__relationship__organization"


class StoredFile(models.Model):
    """The file columns every kept upload has; the name it arrived with is data, never a path."""

    file = models.FileField(upload_to="compliance/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        abstract = True


class Certification(StoredFile, DomainModel):
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(max_length=20, choices=CertificationKind.choices)
    title = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200, blank=True, help_text="Who certified or issued it.")
    scope = models.TextField(blank=True, help_text="What the certificate covers.")
    effective_on = models.DateField("effective date")
    expires_on = models.DateField("expiry date", db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certifications"
    )
    shared_with_portal = models.BooleanField(
        default=True, help_text="The vendor's portal users see it (and are asked to renew it)."
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The certificate this one renewed.",
    )
    superseded_at = models.DateTimeField(null=True, blank=True, db_index=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="supplier",
        functions=COMPLIANCE_FUNCTIONS,
        portal_organization=VENDOR_ORGANIZATION,
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["supplier", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_on__lte=models.F("expires_on")),
                name="certification_effective_before_expiry",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compliance:certification-detail", args=[self.pk])

    def status_on(self, today: dt.date) -> str:
        return expiry.status_on(
            expires_on=self.expires_on, superseded=self.superseded_at is not None, today=today
        )

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(CertificationStatus(self.status).label)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.archived_at is None


class DocumentRequest(DomainModel):
    """A request to the vendor for a document; a portal upload of it fulfils it."""

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="document_requests"
    )
    kind = models.CharField(max_length=20, choices=CertificationKind.choices)
    due_on = models.DateField("due date", db_index=True)
    note = models.TextField(blank=True, help_text="What exactly is asked for; the vendor sees it.")
    renews = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_requests",
        help_text="The certificate the requested document renews, if any.",
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    certification = models.OneToOneField(
        Certification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fulfils",
        help_text="The document the vendor uploaded.",
    )
    closing_note = models.TextField(blank=True)

    history = HistoricalRecords()
    # A request is addressed to the vendor: its portal users see every one of their own.
    access_spec = AccessSpec(
        parent="supplier",
        functions=COMPLIANCE_FUNCTIONS,
        portal_organization=VENDOR_ORGANIZATION,
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} requested from {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:request-detail", args=[self.pk])


class CertificationAlertSent(models.Model):
    """An expiry alert sent for one certificate at one offset to one person: never twice."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="alerts_sent"
    )
    offset = models.PositiveSmallIntegerField(help_text="Days before expiry; 0 on expiry.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    access_spec = AccessSpec(parent="certification")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "offset", "recipient"], name="certification_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} · {self.offset} days"


class Audit(DomainModel):
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="audits"
    )
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    planned_on = models.DateField("planned date", db_index=True)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits_led"
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="AuditAuditor",
        related_name="audits",
        blank=True,
    )
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED, db_index=True
    )
    report_summary = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    report_issued_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(blank=True, help_text="Why it was cancelled, or closing words.")

    history = HistoricalRecords()
    # Whoever may see the vendor, IT security, and the audit's own auditors (who work it).
    access_spec = AccessSpec(
        parent="supplier", members="auditor_rows", functions=COMPLIANCE_FUNCTIONS
    )

    class Meta:
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compliance:audit-detail", args=[self.pk])


class AuditAuditor(models.Model):
    """An internal person on an audit's team; they read and work the audit."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="auditor_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.EDIT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "user"], name="audit_auditor_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.audit}"


class AuditEvidence(StoredFile):
    """A file kept as evidence of an audit: never updated and never deleted."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="evidence")
    note = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    access_spec = AccessSpec(parent="audit")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "audit evidence"
        verbose_name_plural = "audit evidence"

    def __str__(self) -> str:
        return self.original_name


class AuditFinding(models.Model):
    """Links a risk finding to the audit that raised it; the finding carries its own state."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="finding_links")
    finding = models.OneToOneField(
        "risk.Finding", on_delete=models.PROTECT, related_name="audit_link"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    access_spec = AccessSpec(parent="audit")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.finding} ({self.audit})"
