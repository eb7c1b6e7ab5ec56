"""Writes on certifications: add, renew (a new record superseding the old), edit, archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from steward.compliance.choices import CertificationKind
from steward.compliance.models import Certification
from steward.compliance.services.files import attach, discard, store_kept_file
from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)
from steward.core.uploads import StoredUpload
from steward.suppliers.models import Supplier

EDITABLE_FIELDS = frozenset(
    {"title", "issuer", "scope", "effective_on", "expires_on", "owner", "shared_with_portal"}
)


def check_dates(
    *, effective_on: dt.date | None, expires_on: dt.date | None
) -> tuple[dt.date, dt.date]:
    if effective_on is None:
        raise DomainError("Give the date the certificate takes effect.", field="effective_on")
    if expires_on is None:
        raise DomainError("Give the date the certificate expires.", field="expires_on")
    if effective_on > expires_on:
        raise DomainError(
            f"The expiry date ({expires_on:%Y-%m-%d}) is before the effective date "
            f"({effective_on:%Y-%m-%d}); a certificate must take effect on or before it expires.",
            field="expires_on",
            code="expiry_before_effective",
        )
    return effective_on, expires_on


def check_owner(owner: Any) -> None:
    principal = principal_for(owner)
    if not principal.is_internal:
        raise DomainError(
            f"{owner} cannot own a certificate: the owner must be an active inside user.",
            field="owner",
            code="owner_not_internal",
        )


def _validated(certification: Certification) -> None:
    if certification.kind not in CertificationKind.values:
        raise DomainError(
            f"“{certification.kind}” is not a kind of certificate or document.", field="kind"
        )
    check_dates(effective_on=certification.effective_on, expires_on=certification.expires_on)
    check_owner(certification.owner)
    validate_fields(
        certification, exclude=["supplier", "owner", "file", "supersedes", "content_type"]
    )


def store_certification(certification: Certification, *, actor: Any, upload: UploadedFile) -> None:
    """Validate, store the file, then write the row; a refusal leaves neither behind."""
    _validated(certification)
    stored: StoredUpload | None = None
    try:
        stored = store_kept_file(upload)
        attach(certification, stored)
        with transaction.atomic():
            create_record(certification, actor=actor, reason="Uploaded")
    except BaseException:
        discard(stored)
        raise


def certification_add(
    *,
    actor: Any,
    supplier: Supplier,
    kind: str,
    title: str,
    effective_on: dt.date | None,
    expires_on: dt.date | None,
    upload: UploadedFile,
    issuer: str = "",
    scope: str = "",
    owner: Any | None = None,
    shared_with_portal: bool = True,
) -> Certification:
    """Keep a vendor's certificate or document with its file and dates."""
    require_create(actor, Certification, parent=supplier)
    _refuse_archived_vendor(supplier)
    effective_on, expires_on = check_dates(effective_on=effective_on, expires_on=expires_on)
    certification = Certification(
        supplier=supplier,
        kind=kind,
        title=(title or "").strip(),
        issuer=(issuer or "").strip(),
        scope=(scope or "").strip(),
        effective_on=effective_on,
        expires_on=expires_on,
        owner=owner or actor,
        shared_with_portal=shared_with_portal,
    )
    store_certification(certification, actor=actor, upload=upload)
    return certification


def certification_renew(
    *,
    actor: Any,
    certification: Certification,
    effective_on: dt.date | None,
    expires_on: dt.date | None,
    upload: UploadedFile,
    title: str = "",
    issuer: str | None = None,
    scope: str | None = None,
) -> Certification:
    """Keep the renewed certificate as a new record; the old one is superseded, not changed."""
    require(actor, Action.CHANGE, certification)
    return renew_unchecked(
        actor=actor,
        certification=certification,
        effective_on=effective_on,
        expires_on=expires_on,
        upload=upload,
        title=title,
        issuer=issuer,
        scope=scope,
    )


def renew_unchecked(
    *,
    actor: Any,
    certification: Certification,
    effective_on: dt.date | None,
    expires_on: dt.date | None,
    upload: UploadedFile,
    title: str = "",
    issuer: str | None = None,
    scope: str | None = None,
    owner: Any | None = None,
) -> Certification:
    """The renewal itself, for callers that authorized it (a portal fulfilment does its own)."""
    effective_on, expires_on = check_dates(effective_on=effective_on, expires_on=expires_on)
    with transaction.atomic():
        old = lock_for_update(certification, expected_version=None)
        if not old.is_current:
            raise DomainError(
                "This certificate was already renewed or is archived; renew the current one.",
                code="not_current",
            )
        new = Certification(
            supplier_id=old.supplier_id,
            kind=old.kind,
            title=(title or "").strip() or old.title,
            issuer=old.issuer if issuer is None else issuer.strip(),
            scope=old.scope if scope is None else scope.strip(),
            effective_on=effective_on,
            expires_on=expires_on,
            owner=owner or old.owner,
            shared_with_portal=old.shared_with_portal,
            supersedes=old,
        )
        store_certification(new, actor=actor, upload=upload)
        old.superseded_at = timezone.now()
        save_with_history(old, actor=actor, reason="Superseded by a renewal")
    return new


def certification_update(
    *, actor: Any, certification: Certification, expected_version: int | None, **changes: Any
) -> Certification:
    """Correct a certificate's details; the file is never replaced (renew instead)."""
    refuse_unknown_fields(changes, EDITABLE_FIELDS)
    require(actor, Action.CHANGE, certification)
    for text in ("title", "issuer", "scope"):
        if text in changes:
            changes[text] = (changes[text] or "").strip()
    return update_record(
        certification,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_validated,
        reason="Details corrected",
    )


def certification_archive(
    *, actor: Any, certification: Certification, expected_version: int | None = None
) -> Certification:
    require(actor, Action.DELETE, certification)
    return archive_record(certification, actor=actor, expected_version=expected_version)


def certification_restore(
    *, actor: Any, certification: Certification, expected_version: int | None = None
) -> Certification:
    require(actor, Action.DELETE, certification)
    return restore_record(certification, actor=actor, expected_version=expected_version)


def _refuse_archived_vendor(supplier: Supplier) -> None:
    if supplier.is_archived:
        raise DomainError(
            "This vendor is archived; restore it before adding documents.", code="archived"
        )
