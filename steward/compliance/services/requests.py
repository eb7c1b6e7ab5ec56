"""Requests to a vendor for a document, and their fulfilment through the portal.

A portal user cannot create records through the policy (it gives them VIEW only); fulfilling
a request is the one write they may do here. It first fetches the request through the policy
for VIEW, then checks that the user is an outside user of the vendor's own organization, as
``steward.scorecards`` ``appeal_raise`` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from steward.compliance.choices import CertificationKind, RequestStatus
from steward.compliance.models import Certification, DocumentRequest
from steward.compliance.services.certifications import (
    check_dates,
    renew_unchecked,
    store_certification,
)
from steward.core.access import Action, allows, principal_for, require, require_create
from steward.core.errors import DomainError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, lock_for_update, save_with_history
from steward.suppliers.models import Supplier

FULFILLED_ALERT = "compliance.request_fulfilled"


def document_request_create(
    *,
    actor: Any,
    supplier: Supplier,
    kind: str,
    due_on: dt.date | None,
    note: str = "",
    renews: Certification | None = None,
    today: dt.date | None = None,
) -> DocumentRequest:
    """Ask the vendor for a document by a date; its portal users see the request."""
    require_create(actor, DocumentRequest, parent=supplier)
    if kind not in CertificationKind.values:
        raise DomainError(f"“{kind}” is not a kind of certificate or document.", field="kind")
    if due_on is None:
        raise DomainError("Give the date the document is due.", field="due_on")
    today = today or timezone.localdate()
    if due_on < today:
        raise DomainError(
            f"The due date ({due_on:%Y-%m-%d}) has passed; give today or a later date.",
            field="due_on",
            code="due_in_past",
        )
    if renews is not None:
        if renews.supplier_id != supplier.pk:
            raise DomainError("The certificate to renew belongs to another vendor.", field="renews")
        if not renews.is_current:
            raise DomainError(
                "That certificate was already renewed or is archived.", field="renews"
            )
        if renews.kind != kind:
            raise DomainError(
                f"The certificate to renew is a {renews.get_kind_display()}, not a "
                f"{CertificationKind(kind).label}.",
                field="kind",
            )
    request = DocumentRequest(
        supplier=supplier,
        kind=kind,
        due_on=due_on,
        note=(note or "").strip(),
        renews=renews,
        requested_by=actor,
    )
    return create_record(request, actor=actor, reason="Requested from the vendor")


def document_request_fulfil(
    *,
    actor: Any,
    request: DocumentRequest,
    upload: UploadedFile,
    title: str,
    effective_on: dt.date | None,
    expires_on: dt.date | None,
    issuer: str = "",
    scope: str = "",
) -> Certification:
    """Upload the requested document: it becomes a certificate of the vendor (renewing the one
    the request names) and the request is fulfilled. The requester is told."""
    _require_may_fulfil(actor, request)
    with transaction.atomic():
        locked = lock_for_update(request, expected_version=None)
        if locked.status != RequestStatus.OPEN:
            raise DomainError(
                f"This request is {locked.get_status_display().lower()}; nothing more is needed.",
                code="request_closed",
            )
        if locked.renews_id is not None:
            certification = renew_unchecked(
                actor=actor,
                certification=Certification.objects.get(pk=locked.renews_id),
                effective_on=effective_on,
                expires_on=expires_on,
                upload=upload,
                title=title,
                issuer=issuer or None,
                scope=scope or None,
            )
        else:
            effective_on, expires_on = check_dates(effective_on=effective_on, expires_on=expires_on)
            certification = Certification(
                supplier_id=locked.supplier_id,
                kind=locked.kind,
                title=(title or "").strip() or locked.get_kind_display(),
                issuer=(issuer or "").strip(),
                scope=(scope or "").strip(),
                effective_on=effective_on,
                expires_on=expires_on,
                owner_id=locked.requested_by_id,
                shared_with_portal=True,
            )
            store_certification(certification, actor=actor, upload=upload)
        locked.status = RequestStatus.FULFILLED
        locked.fulfilled_by = actor
        locked.fulfilled_at = timezone.now()
        locked.certification = certification
        save_with_history(locked, actor=actor, reason="Fulfilled with an upload")
        if locked.requested_by_id != actor.pk:
            notifications_send(
                [
                    Alert(
                        recipient_id=locked.requested_by_id,
                        kind=FULFILLED_ALERT,
                        title=f"{locked.supplier} uploaded the {locked.get_kind_display()}",
                        body=f"“{certification.title}”, expires {certification.expires_on}.",
                        url=reverse("compliance:certification-detail", args=[certification.pk]),
                    )
                ]
            )
    return certification


def _require_may_fulfil(actor: Any, request: DocumentRequest) -> None:
    require(actor, Action.VIEW, request)  # a portal user sees only their own vendor's requests
    principal = principal_for(actor)
    if principal.is_external:
        organization_id = (
            Supplier.objects.filter(pk=request.supplier_id)
            .values_list("relationship__organization_id", flat=True)
            .first()
        )
        if organization_id is None or organization_id != principal.portal_organization_id:
            raise PermissionDenied("You may only answer your own organization's requests.")
        return
    if not allows(actor, Action.CHANGE, request):
        raise PermissionDenied("You may read this request but not answer it.")


def document_request_cancel(
    *, actor: Any, request: DocumentRequest, reason: str, expected_version: int | None = None
) -> DocumentRequest:
    require(actor, Action.CHANGE, request)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the request is cancelled.", field="reason", code="required")
    with transaction.atomic():
        locked = lock_for_update(request, expected_version=expected_version)
        if locked.status != RequestStatus.OPEN:
            raise DomainError(
                f"Only an open request can be cancelled; this one is "
                f"{locked.get_status_display().lower()}.",
                code="request_closed",
            )
        locked.status = RequestStatus.CANCELLED
        locked.closing_note = reason
        return save_with_history(locked, actor=actor, reason="Cancelled")
