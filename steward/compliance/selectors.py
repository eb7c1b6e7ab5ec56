"""Reads of the compliance app; every one starts from the access policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from steward.compliance import expiry
from steward.compliance.choices import CertificationKind, RequestStatus
from steward.compliance.filtersets import (
    AuditFilterSet,
    CertificationFilterSet,
    DocumentRequestFilterSet,
)
from steward.compliance.models import (
    Audit,
    AuditEvidence,
    Certification,
    DocumentRequest,
)
from steward.core.access import Action, get_for_user
from steward.risk.models import Finding
from steward.risk.panels import RiskFactor
from steward.suppliers.models import Supplier

VENDOR = "supplier__relationship__organization"


def certifications(user: Any, action: str = Action.VIEW) -> QuerySet[Certification]:
    return Certification.objects.restrict(user, action).select_related(VENDOR, "owner")


def certification_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> CertificationFilterSet:
    return CertificationFilterSet(filters or {}, queryset=certifications(user))


def certification_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Certification:
    return get_for_user(
        Certification.objects.select_related(VENDOR, "owner", "supersedes"),
        user=user,
        pk=pk,
        action=action,
    )


def certification_chain(*, user: Any, certification: Certification) -> list[Certification]:
    """The certificate's earlier and later versions the user may see, newest first."""
    chain: list[Certification] = []
    visible = Certification.objects.restrict(user, Action.VIEW)
    cursor: Certification | None = certification
    while cursor is not None and cursor.supersedes_id is not None:
        cursor = visible.filter(pk=cursor.supersedes_id).first()
        if cursor is not None:
            chain.append(cursor)
    later = visible.filter(supersedes=certification).first()
    newer: list[Certification] = []
    while later is not None:
        newer.insert(0, later)
        later = visible.filter(supersedes=later).first()
    return [*newer, *chain]


def document_requests(user: Any, action: str = Action.VIEW) -> QuerySet[DocumentRequest]:
    return DocumentRequest.objects.restrict(user, action).select_related(
        VENDOR, "requested_by", "certification"
    )


def document_request_filterset(
    *, user: Any, filters: Mapping[str, Any] | None = None
) -> DocumentRequestFilterSet:
    return DocumentRequestFilterSet(filters or {}, queryset=document_requests(user))


def document_request_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> DocumentRequest:
    return get_for_user(
        DocumentRequest.objects.select_related(VENDOR, "requested_by", "certification", "renews"),
        user=user,
        pk=pk,
        action=action,
    )


def open_requests(*, user: Any) -> QuerySet[DocumentRequest]:
    return document_requests(user).filter(status=RequestStatus.OPEN, archived_at__isnull=True)


def audits(user: Any, action: str = Action.VIEW) -> QuerySet[Audit]:
    return Audit.objects.restrict(user, action).select_related(VENDOR, "lead_auditor")


def audit_filterset(*, user: Any, filters: Mapping[str, Any] | None = None) -> AuditFilterSet:
    queryset = (
        audits(user)
        .annotate(finding_count=Count("finding_links", distinct=True))
        .order_by("-planned_on", "-pk")
    )
    return AuditFilterSet(filters or {}, queryset=queryset)


def audit_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Audit:
    return get_for_user(
        Audit.objects.select_related(VENDOR, "lead_auditor"), user=user, pk=pk, action=action
    )


def audit_findings(*, user: Any, audit: Audit) -> QuerySet[Finding]:
    """The audit's findings the user may see (through the finding's own policy)."""
    return (
        Finding.objects.restrict(user, Action.VIEW)
        .filter(audit_link__audit=audit)
        .select_related("owner")
        .order_by("pk")
    )


def audit_evidence(*, user: Any, audit: Audit) -> QuerySet[AuditEvidence]:
    return (
        AuditEvidence.objects.restrict(user, Action.VIEW)
        .filter(audit=audit)
        .select_related("uploaded_by")
    )


def evidence_get(*, user: Any, pk: Any) -> AuditEvidence:
    return get_for_user(AuditEvidence.objects.all(), user=user, pk=pk, action=Action.VIEW)


def expiring_certifications(
    *, user: Any, today: dt.date, within_days: int = expiry.EXPIRING_WITHIN_DAYS
) -> QuerySet[Certification]:
    """Current certificates that expired or expire within ``within_days``, soonest first."""
    return certifications(user).filter(
        archived_at__isnull=True,
        superseded_at__isnull=True,
        expires_on__lte=today + dt.timedelta(days=within_days),
    )


def vendor_certifications(*, user: Any, supplier: Supplier) -> QuerySet[Certification]:
    return certifications(user).filter(
        supplier=supplier, archived_at__isnull=True, superseded_at__isnull=True
    )


def vendor_audits(*, user: Any, supplier: Supplier) -> QuerySet[Audit]:
    return audits(user).filter(supplier=supplier, archived_at__isnull=True)


def expired_certificate_factors(
    supplier_ids: Iterable[int], today: dt.date
) -> dict[int, list[RiskFactor]]:
    """Risk points per vendor for its expired, not renewed certificates (one grouped query).

    Read without a user: a score is a fact about the vendor, shown only where the vendor is.
    """
    rows = (
        Certification.objects.filter(
            supplier_id__in=list(supplier_ids),
            archived_at__isnull=True,
            superseded_at__isnull=True,
            expires_on__lt=today,
        )
        .values("supplier_id", "kind")
        .annotate(count=Count("pk"))
        .order_by("supplier_id", "kind")
    )
    points: dict[int, int] = {}
    kinds: dict[int, list[str]] = {}
    for row in rows:
        supplier_id = row["supplier_id"]
        points[supplier_id] = points.get(supplier_id, 0) + (
            expiry.EXPIRED_POINTS.get(row["kind"], 5) * row["count"]
        )
        kinds.setdefault(supplier_id, []).append(CertificationKind(row["kind"]).label)
    return {
        supplier_id: [
            RiskFactor(
                points=min(total, expiry.EXPIRED_POINTS_CAP),
                reason="Expired: " + ", ".join(kinds[supplier_id]),
            )
        ]
        for supplier_id, total in points.items()
    }


def expiring_for_owner(*, user: Any, today: dt.date, until: dt.date) -> QuerySet[Certification]:
    """Current certificates the user owns (or whose vendor they own) expiring by ``until``."""
    return certifications(user).filter(
        Q(owner_id=user.pk) | Q(supplier__relationship__owner_id=user.pk),
        archived_at__isnull=True,
        superseded_at__isnull=True,
        expires_on__lte=until,
        expires_on__gte=today - dt.timedelta(days=expiry.LATE_EXPIRY_DAYS),
    )


def writable_suppliers(*, user: Any, model: type[Any]) -> QuerySet[Supplier]:
    """Vendors the user may add ``model`` rows to: IT security (a function given the whole
    model) any vendor, others the vendors they may change."""
    from steward.core.access import principal_for, spec_of

    principal = principal_for(user)
    vendors = Supplier.objects.select_related("relationship__organization").filter(
        archived_at__isnull=True
    )
    if not principal.may_write:
        return vendors.none()
    if principal.is_admin or (
        principal.function and principal.function in spec_of(model).functions
    ):
        return vendors.order_by("relationship__organization__display_name")
    return vendors.restrict(user, Action.CHANGE).order_by(
        "relationship__organization__display_name"
    )
