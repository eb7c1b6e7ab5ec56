"""Requests to the vendor and their fulfilment through the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from steward.compliance import selectors, services
from steward.compliance.choices import CertificationKind, RequestStatus
from steward.compliance.models import Certification
from steward.compliance.tests.factories import certificate, pdf, stored_files, vendor_a, vendor_b
from steward.core.errors import DomainError
from steward.core.models import Notification

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


def _request(cast, **kwargs):
    return services.document_request_create(
        actor=cast.owner,
        supplier=vendor_a(cast),
        kind=kwargs.pop("kind", CertificationKind.DPA),
        due_on=kwargs.pop("due_on", TODAY + dt.timedelta(days=14)),
        note="Please send the signed DPA.",
        today=TODAY,
        **kwargs,
    )


def _fulfil(cast, request, actor=None, upload=None):
    return services.document_request_fulfil(
        actor=actor or cast.portal_a,
        request=request,
        upload=upload or pdf("dpa-signed.pdf", "DPA"),
        title="Signed DPA",
        effective_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2029, 11, 1),
    )


def test_a_due_date_in_the_past_is_refused(cast) -> None:
    with pytest.raises(DomainError) as refused:
        _request(cast, due_on=TODAY - dt.timedelta(days=1))
    assert refused.value.field == "due_on"


def test_portal_user_of_the_vendor_sees_and_fulfils_the_request(cast) -> None:
    request = _request(cast)
    # The vendor's portal user sees it among their open requests; the other vendor's does not
    assert list(selectors.open_requests(user=cast.portal_a)) == [request]
    assert list(selectors.open_requests(user=cast.portal_b)) == []
    cert = _fulfil(cast, request)
    request.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED
    assert request.certification == cert
    assert request.fulfilled_by == cast.portal_a
    assert cert.kind == CertificationKind.DPA
    assert cert.owner == cast.owner
    assert cert.shared_with_portal
    # The requester is told
    assert Notification.objects.filter(recipient=cast.owner, url=cert.get_absolute_url()).exists()
    # A fulfilled request takes no second upload
    with pytest.raises(DomainError) as refused:
        _fulfil(cast, request)
    assert refused.value.code == "request_closed"


def test_portal_user_of_another_vendor_cannot_fulfil(cast) -> None:
    request = _request(cast)
    before = stored_files()
    with pytest.raises(PermissionDenied):
        _fulfil(cast, request, actor=cast.portal_b)
    assert not Certification.objects.exists()
    assert stored_files() == before
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


@pytest.mark.parametrize("role", ["auditor", "outsider", "reviewer"])
def test_inside_readers_cannot_fulfil(cast, role) -> None:
    request = _request(cast)
    with pytest.raises(PermissionDenied):
        _fulfil(cast, request, actor=cast.user(role))


def test_a_renewal_request_supersedes_the_certificate(cast) -> None:
    old = certificate(cast, kind=CertificationKind.SOC2_TYPE2)
    request = _request(cast, kind=CertificationKind.SOC2_TYPE2, renews=old)
    new = _fulfil(cast, request)
    old.refresh_from_db()
    assert new.supersedes == old
    assert old.superseded_at is not None


def test_a_renewal_request_must_name_a_certificate_of_the_vendor_and_kind(cast) -> None:
    other = certificate(cast, supplier=vendor_b(cast))
    with pytest.raises(DomainError) as refused:
        _request(cast, kind=other.kind, renews=other)
    assert refused.value.field == "renews"
    mine = certificate(cast, kind=CertificationKind.ISO_27001)
    with pytest.raises(DomainError) as refused:
        _request(cast, kind=CertificationKind.DPA, renews=mine)
    assert refused.value.field == "kind"


def test_a_bad_upload_leaves_the_request_open(cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = _request(cast)
    with pytest.raises(DomainError):
        _fulfil(cast, request, upload=SimpleUploadedFile("dpa.pdf", b"not a pdf"))
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert not Certification.objects.exists()


def test_cancel_needs_a_reason_and_an_editor(cast) -> None:
    request = _request(cast)
    with pytest.raises(DomainError):
        services.document_request_cancel(actor=cast.owner, request=request, reason=" ")
    with pytest.raises(PermissionDenied):
        services.document_request_cancel(actor=cast.portal_a, request=request, reason="No")
    cancelled = services.document_request_cancel(
        actor=cast.owner, request=request, reason="Sent by email"
    )
    assert cancelled.status == RequestStatus.CANCELLED
    with pytest.raises(Http404):
        selectors.document_request_get(user=cast.portal_b, pk=request.pk)
