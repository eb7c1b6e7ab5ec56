"""Helpers of the compliance tests: vendors of the cast, files, certificates, audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from steward.compliance import services
from steward.compliance.choices import AuditKind, CertificationKind
from steward.compliance.models import Audit, Certification
from steward.contracts.tests.test_documents import pdf_bytes
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def pdf(name: str = "certificate.pdf", line: str = "Certificate") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(line), content_type="application/pdf")


def vendor_a(cast: Cast) -> Supplier:
    found = Supplier.objects.filter(pk=cast.rel_a.pk).first()
    return found or SupplierFactory.create(relationship=cast.rel_a)


def vendor_b(cast: Cast) -> Supplier:
    found = Supplier.objects.filter(pk=cast.rel_b.pk).first()
    return found or SupplierFactory.create(relationship=cast.rel_b)


def it_security_user() -> Any:
    return UserFactory(username="itsec", profile__function=Function.IT_SECURITY)


def certificate(
    cast: Cast,
    *,
    supplier: Supplier | None = None,
    kind: str = CertificationKind.SOC2_TYPE2,
    title: str = "SOC 2 Type II report",
    effective_on: dt.date = dt.date(2026, 1, 1),
    expires_on: dt.date = dt.date(2027, 1, 1),
    shared_with_portal: bool = True,
    actor: Any = None,
) -> Certification:
    supplier = supplier or vendor_a(cast)
    return services.certification_add(
        actor=actor or (cast.owner if supplier.pk == cast.rel_a.pk else cast.outsider),
        supplier=supplier,
        kind=kind,
        title=title,
        effective_on=effective_on,
        expires_on=expires_on,
        upload=pdf(line=title),
        issuer="Example Assurance LLP",
        shared_with_portal=shared_with_portal,
    )


def audit(
    cast: Cast, *, supplier: Supplier | None = None, title: str = "Data centre audit"
) -> Audit:
    supplier = supplier or vendor_a(cast)
    actor = cast.owner if supplier.pk == cast.rel_a.pk else cast.outsider
    return services.audit_plan(
        actor=actor,
        supplier=supplier,
        title=title,
        kind=AuditKind.ON_SITE,
        planned_on=dt.date(2026, 12, 1),
        scope="Physical security of the hosting site",
    )


def stored_files() -> set[str]:
    """Every file name under the compliance folder of the default storage."""
    from django.core.files.storage import default_storage

    found: set[str] = set()

    def walk(folder: str) -> None:
        if not default_storage.exists(folder):
            return
        folders, files = default_storage.listdir(folder)
        found.update(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk("compliance")
    return found
