"""Certifications: adding, date rules, renewal by supersession, edits, archive, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.compliance import services
from steward.compliance.choices import CertificationKind, CertificationStatus
from steward.compliance.models import Certification
from steward.compliance.tests.factories import (
    certificate,
    it_security_user,
    pdf,
    stored_files,
    vendor_a,
)
from steward.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_add_keeps_the_file_and_its_checksum(cast) -> None:
    # Given vendor A, when its owner adds a SOC 2 report
    cert = certificate(cast)
    # Then the row holds the file under a generated name, with the name it arrived with
    assert cert.original_name == "certificate.pdf"
    assert cert.content_type == "application/pdf"
    assert len(cert.sha256) == 64
    assert cert.file.name.startswith("compliance/")
    assert "certificate" not in str(cert.file.name)
    assert cert.file.name in stored_files()
    assert cert.owner == cast.owner
    assert cert.history.count() == 1


def test_expiry_before_effective_is_refused_naming_the_field(cast) -> None:
    before = stored_files()
    with pytest.raises(DomainError) as refused:
        certificate(cast, effective_on=dt.date(2026, 5, 1), expires_on=dt.date(2026, 4, 30))
    assert refused.value.field == "expires_on"
    assert "2026-04-30" in refused.value.message
    assert "2026-05-01" in refused.value.message
    assert not Certification.objects.exists()
    assert stored_files() == before


def test_a_blank_title_is_refused(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        certificate(cast, title="  ")
    assert "title" in refused.value.message_dict
    assert not Certification.objects.exists()


def test_effective_equal_to_expiry_is_accepted(cast) -> None:
    day = dt.date(2026, 6, 1)
    assert certificate(cast, effective_on=day, expires_on=day).pk


def test_status_is_derived(cast) -> None:
    cert = certificate(cast, expires_on=dt.date(2026, 12, 31))
    assert cert.status_on(dt.date(2026, 10, 1)) == CertificationStatus.VALID
    assert cert.status_on(dt.date(2026, 11, 15)) == CertificationStatus.EXPIRING
    assert cert.status_on(dt.date(2027, 1, 1)) == CertificationStatus.EXPIRED


def test_renewal_is_a_new_record_and_the_old_one_is_superseded(cast) -> None:
    old = certificate(cast)
    new = services.certification_renew(
        actor=cast.member,
        certification=old,
        effective_on=dt.date(2027, 1, 1),
        expires_on=dt.date(2028, 1, 1),
        upload=pdf("renewed.pdf", "Renewed"),
    )
    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.supersedes == old
    assert old.superseded_at is not None
    assert old.status_on(dt.date(2026, 6, 1)) == CertificationStatus.SUPERSEDED
    assert old.file.name != new.file.name  # the old file is kept, not overwritten
    assert new.kind == old.kind
    assert new.owner == old.owner
    # A superseded certificate cannot be renewed again
    with pytest.raises(DomainError):
        services.certification_renew(
            actor=cast.owner,
            certification=old,
            effective_on=dt.date(2027, 1, 1),
            expires_on=dt.date(2028, 1, 1),
            upload=pdf(),
        )


def test_update_changes_details_with_a_version_check(cast) -> None:
    cert = certificate(cast)
    updated = services.certification_update(
        actor=cast.owner, certification=cert, expected_version=1, scope="All EU data centres"
    )
    assert updated.scope == "All EU data centres"
    assert updated.version == 2
    with pytest.raises(DomainError) as refused:
        services.certification_update(
            actor=cast.owner,
            certification=updated,
            expected_version=2,
            effective_on=dt.date(2028, 1, 1),
        )
    assert refused.value.field == "expires_on"
    with pytest.raises(DomainError):
        services.certification_update(
            actor=cast.owner, certification=updated, expected_version=2, file="x.pdf"
        )


def test_owner_must_be_an_inside_user(cast) -> None:
    cert = certificate(cast)
    with pytest.raises(DomainError) as refused:
        services.certification_update(
            actor=cast.owner, certification=cert, expected_version=1, owner=cast.portal_a
        )
    assert refused.value.field == "owner"


def test_archive_keeps_the_row(cast) -> None:
    cert = certificate(cast)
    services.certification_archive(actor=cast.owner, certification=cert)
    cert.refresh_from_db()
    assert cert.is_archived
    services.certification_restore(actor=cast.owner, certification=cert)
    cert.refresh_from_db()
    assert not cert.is_archived


@pytest.mark.parametrize("role", ["outsider", "auditor", "reviewer", "portal_a", "manager"])
def test_who_may_not_add(cast, role) -> None:
    with pytest.raises(PermissionDenied):
        certificate(cast, actor=cast.user(role))
    assert not Certification.objects.exists()


def test_it_security_adds_for_any_vendor(cast) -> None:
    cert = certificate(cast, actor=it_security_user(), kind=CertificationKind.ISO_27001)
    assert cert.supplier == vendor_a(cast)
