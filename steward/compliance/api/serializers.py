"""Serializers of the compliance API: outputs render rows, inputs only parse."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from steward.compliance import selectors
from steward.compliance.choices import (
    AuditKind,
    AuditStatus,
    CertificationKind,
    CertificationStatus,
    RequestStatus,
)
from steward.compliance.forms import inside_users
from steward.compliance.models import Audit, Certification, DocumentRequest
from steward.compliance.services.files import FILE_HELP
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.risk.choices import FindingSeverity
from steward.suppliers.models import Supplier


def _writable_suppliers(model: type[Any]) -> Any:
    return lambda user: selectors.writable_suppliers(user=user, model=model)


def _inside_users(user: Any) -> Any:
    return inside_users()


def _user_model() -> Any:
    return get_user_model()


class CertificationSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    vendor_name = serializers.CharField(source="supplier.relationship.organization.display_name")
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    title = serializers.CharField()
    issuer = serializers.CharField()
    scope = serializers.CharField()
    effective_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=CertificationStatus.choices, help_text="Derived from the dates, never stored."
    )
    owner = serializers.IntegerField(source="owner_id")
    shared_with_portal = serializers.BooleanField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    superseded_at = serializers.DateTimeField(allow_null=True)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, record: Certification) -> str:
        return reverse("compliance:certification-download", args=[record.pk])


class CertificationCreateSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(
        model=Supplier,
        choices=_writable_suppliers(Certification),
        help_text="Vendor id.",
    )
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    effective_on = serializers.DateField()
    expires_on = serializers.DateField()
    owner = VisibleRelatedField(
        model=_user_model(), choices=_inside_users, required=False, allow_null=True
    )
    shared_with_portal = serializers.BooleanField(required=False, default=True)
    file = serializers.FileField(help_text=FILE_HELP)


class CertificationUpdateSerializer(serializers.Serializer):
    version = version_field()
    title = serializers.CharField(max_length=200, required=False)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    effective_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    owner = VisibleRelatedField(model=_user_model(), choices=_inside_users, required=False)
    shared_with_portal = serializers.BooleanField(required=False)


class CertificationRenewSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    effective_on = serializers.DateField()
    expires_on = serializers.DateField()
    file = serializers.FileField(help_text=FILE_HELP)


class RequestFulfilSerializer(CertificationRenewSerializer):
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DocumentRequestSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    vendor_name = serializers.CharField(source="supplier.relationship.organization.display_name")
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    due_on = serializers.DateField()
    note = serializers.CharField()
    renews = serializers.IntegerField(source="renews_id", allow_null=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    certification = serializers.IntegerField(source="certification_id", allow_null=True)
    closing_note = serializers.CharField()


class DocumentRequestCreateSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(
        model=Supplier,
        choices=_writable_suppliers(DocumentRequest),
        help_text="Vendor id.",
    )
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    renews = VisibleRelatedField(
        model=Certification,
        choices=lambda user: Certification.objects.restrict(user, Action.VIEW),
        required=False,
        allow_null=True,
    )


class RequestCancelSerializer(serializers.Serializer):
    version = version_field()
    reason = serializers.CharField(max_length=2000)


class AuditSerializer(RecordOutputSerializer):
    supplier = serializers.IntegerField(source="supplier_id")
    vendor_name = serializers.CharField(source="supplier.relationship.organization.display_name")
    title = serializers.CharField()
    scope = serializers.CharField()
    kind = serializers.ChoiceField(choices=AuditKind.choices)
    planned_on = serializers.DateField()
    lead_auditor = serializers.IntegerField(source="lead_auditor_id")
    auditors = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=AuditStatus.choices)
    report_summary = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    report_issued_on = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    status_note = serializers.CharField()
    findings = serializers.SerializerMethodField(help_text="Ids of the audit's risk findings.")

    def get_auditors(self, audit: Audit) -> list[int]:
        return sorted(audit.auditors.values_list("pk", flat=True))

    def get_findings(self, audit: Audit) -> list[int]:
        return list(audit.finding_links.order_by("pk").values_list("finding_id", flat=True))


class AuditCreateSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(
        model=Supplier,
        choices=_writable_suppliers(Audit),
        help_text="Vendor id.",
    )
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AuditKind.choices)
    planned_on = serializers.DateField()
    scope = serializers.CharField(required=False, allow_blank=True)
    lead_auditor = VisibleRelatedField(
        model=_user_model(), choices=_inside_users, required=False, allow_null=True
    )
    auditors = serializers.ListField(
        child=VisibleRelatedField(model=_user_model(), choices=_inside_users),
        required=False,
    )


class AuditUpdateSerializer(serializers.Serializer):
    version = version_field()
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=AuditKind.choices, required=False)
    planned_on = serializers.DateField(required=False)
    scope = serializers.CharField(required=False, allow_blank=True)
    lead_auditor = VisibleRelatedField(model=_user_model(), choices=_inside_users, required=False)
    auditors = serializers.ListField(
        child=VisibleRelatedField(model=_user_model(), choices=_inside_users), required=False
    )


class AuditTransitionSerializer(serializers.Serializer):
    version = version_field()
    to_status = serializers.ChoiceField(choices=AuditStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    report_summary = serializers.CharField(required=False, allow_blank=True)


class AuditFindingSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=FindingSeverity.choices)
    detail = serializers.CharField(required=False, allow_blank=True)
    corrective_action = serializers.CharField(required=False, allow_blank=True)
    remediation_due_on = serializers.DateField(required=False, allow_null=True)
    owner = VisibleRelatedField(
        model=_user_model(), choices=_inside_users, required=False, allow_null=True
    )


class AuditFindingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    remediation_plan = serializers.CharField()
    remediation_due_on = serializers.DateField(allow_null=True)


class AuditEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    audit = serializers.IntegerField(source="audit_id")
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    note = serializers.CharField()
    uploaded_by = serializers.IntegerField(source="uploaded_by_id")
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, record: Any) -> str:
        return reverse("compliance:evidence-download", args=[record.pk])


class AuditEvidenceCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=FILE_HELP)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
