"""Contract documents and their versions: drafts, signed copies and amendments as files.

A document is the thing people talk about ("the signed master agreement"); each upload of it is
a new ``DocumentVersion``, numbered 1, 2, 3 … Versions are append-only: a file is never
overwritten, replaced or deleted, so every earlier version stays readable. Both follow the
contract's access: whoever may see the contract sees its documents, whoever may change it
uploads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel


class DocumentKind(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed copy"
    AMENDMENT = "amendment", "Amendment"
    OTHER = "other", "Other"


class ContractDocument(DomainModel):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "contract document"

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One upload of a document: the file as it arrived, its checksum and its text for search.

    Never updated and never deleted; a new upload is a new row with the next number.
    """

    document = models.ForeignKey(
        ContractDocument, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="contracts/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255, help_text="The file name as uploaded.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)
    text = models.TextField(
        blank=True, help_text="Text extracted from the file for search; empty if none could be."
    )

    access_spec = AccessSpec(parent="document")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="document_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
