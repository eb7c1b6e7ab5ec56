"""One filter set per list, shared by the web list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.compliance import expiry
from steward.compliance.choices import (
    AuditKind,
    AuditStatus,
    CertificationKind,
    CertificationStatus,
    RequestStatus,
)
from steward.compliance.models import Audit, Certification, DocumentRequest
from steward.core.filtersets import IdFilter, StewardFilterSet

VENDOR_NAME = "supplier__relationship__organization__display_name"


class CertificationFilterSet(StewardFilterSet):
    search_fields = ("title", "issuer", "scope", VENDOR_NAME)

    kind = django_filters.MultipleChoiceFilter(choices=CertificationKind.choices)
    status = django_filters.MultipleChoiceFilter(
        choices=CertificationStatus.choices, method="filter_status"
    )
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    ordering = django_filters.OrderingFilter(
        fields=(("expires_on", "expires"), ("title", "title"), (VENDOR_NAME, "vendor"))
    )

    class Meta:
        model = Certification
        fields = ["q", "kind", "status", "supplier", "owner", "archived"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: list[str]) -> Any:
        if not value:
            return queryset
        today = timezone.localdate()
        clause = Q()
        for status in value:
            clause |= expiry.status_clause(status, today)
        return queryset.filter(clause)


class DocumentRequestFilterSet(StewardFilterSet):
    search_fields = ("note", VENDOR_NAME)

    kind = django_filters.MultipleChoiceFilter(choices=CertificationKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")

    class Meta:
        model = DocumentRequest
        fields = ["q", "kind", "status", "supplier", "archived"]


class AuditFilterSet(StewardFilterSet):
    search_fields = ("title", "scope", VENDOR_NAME)

    kind = django_filters.MultipleChoiceFilter(choices=AuditKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=AuditStatus.choices)
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    auditor = IdFilter(field_name="auditors", label="Auditor id", distinct=True)
    ordering = django_filters.OrderingFilter(
        fields=(("planned_on", "planned"), ("title", "title"), ("status", "status"))
    )

    class Meta:
        model = Audit
        fields = ["q", "kind", "status", "supplier", "auditor", "archived"]
