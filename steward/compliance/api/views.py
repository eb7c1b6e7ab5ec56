"""API endpoints of compliance: certificates (and their files), requests to vendors (and the
portal's fulfilment), audits (transitions, findings, evidence).

Reads start from the access policy; writes go through ``steward.compliance.services``; delete
archives. Files are sent only by the ``download`` actions, which fetch through the policy.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.compliance import selectors, services
from steward.compliance.api.parsers import NameKeepingMultiPartParser
from steward.compliance.api.serializers import (
    AuditCreateSerializer,
    AuditEvidenceCreateSerializer,
    AuditEvidenceSerializer,
    AuditFindingOutputSerializer,
    AuditFindingSerializer,
    AuditSerializer,
    AuditTransitionSerializer,
    AuditUpdateSerializer,
    CertificationCreateSerializer,
    CertificationRenewSerializer,
    CertificationSerializer,
    CertificationUpdateSerializer,
    DocumentRequestCreateSerializer,
    DocumentRequestSerializer,
    RequestCancelSerializer,
    RequestFulfilSerializer,
)
from steward.compliance.filtersets import (
    AuditFilterSet,
    CertificationFilterSet,
    DocumentRequestFilterSet,
)
from steward.compliance.models import Audit, AuditEvidence, Certification, DocumentRequest
from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.uploads import stored_file_response

FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content", "file_name")
PARSERS: list[Any] = [JSONParser, NameKeepingMultiPartParser]
DOWNLOAD = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _refuse_readers(request: Request, what: str) -> None:
    if not principal_for(request.user).may_write:
        # Refuse before parsing: a read-only user learns nothing from validation messages.
        raise exceptions.PermissionDenied(f"You may not {what}.")


class CertificationViewSet(RecordViewSet):
    """Certificates and documents of vendors. A renewal is a new record (``renew``)."""

    queryset = Certification.objects.none()
    filterset_class = CertificationFilterSet
    output_serializer_class = CertificationSerializer
    create_serializer_class = CertificationCreateSerializer
    update_serializer_class = CertificationUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "renew": CertificationRenewSerializer,
    }
    parser_classes: ClassVar[list[Any]] = PARSERS  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.forbidden_actions, "renew")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"file": FILE_CODES, "expires_on": ("expiry_before_effective",)},
        "renew": {"file": FILE_CODES, "expires_on": ("expiry_before_effective",)},
    }

    def select_list(self) -> QuerySet[Certification]:
        return selectors.certifications(self.request.user).order_by("expires_on", "pk")

    def perform_create_record(self, data: dict[str, Any]) -> Certification:
        return services.certification_add(
            actor=self.request.user,
            supplier=data["supplier"],
            kind=data["kind"],
            title=data["title"],
            issuer=data.get("issuer", ""),
            scope=data.get("scope", ""),
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
            upload=data["file"],
            owner=data.get("owner"),
            shared_with_portal=data.get("shared_with_portal", True),
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.certification_update(
            actor=self.request.user, certification=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.certification_archive(
            actor=self.request.user, certification=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.certification_restore(
            actor=self.request.user, certification=record, expected_version=version
        )

    @extend_schema(request=CertificationRenewSerializer, responses={201: CertificationSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Keep the renewed certificate (multipart); the current one becomes superseded."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        renewed = services.certification_renew(
            actor=request.user,
            certification=record,
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
            upload=data["file"],
            title=data.get("title", ""),
        )
        return self.answer(renewed, code=status.HTTP_201_CREATED)

    @extend_schema(responses=DOWNLOAD, description="The certificate's file.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        return stored_file_response(self.select_one(Action.VIEW))


class DocumentRequestViewSet(StewardViewSet):
    """Requests to vendors for a document; a vendor's portal users fulfil them (multipart)."""

    queryset = DocumentRequest.objects.none()
    filterset_class = DocumentRequestFilterSet
    output_serializer_class = DocumentRequestSerializer
    create_serializer_class = DocumentRequestCreateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        "fulfil": RequestFulfilSerializer,
        "cancel": RequestCancelSerializer,
    }
    parser_classes: ClassVar[list[Any]] = PARSERS  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "fulfil", "cancel")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"due_on": ("due_in_past",)},
        "fulfil": {
            "file": FILE_CODES,
            "expires_on": ("expiry_before_effective",),
            "non_field_errors": ("request_closed",),
        },
        "cancel": {"non_field_errors": ("request_closed",)},
    }

    def select_list(self) -> QuerySet[DocumentRequest]:
        return selectors.document_requests(self.request.user).order_by("due_on", "pk")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.answer(self.select_one(Action.VIEW))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_readers(request, "ask vendors for documents")
        data = self.parse()
        created = services.document_request_create(
            actor=request.user,
            supplier=data["supplier"],
            kind=data["kind"],
            due_on=data["due_on"],
            note=data.get("note", ""),
            renews=data.get("renews"),
        )
        return self.answer(created, code=status.HTTP_201_CREATED)

    @extend_schema(request=RequestFulfilSerializer, responses={201: CertificationSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload the requested document (multipart), as the vendor's portal user."""
        record = self.select_one(Action.VIEW)
        data = self.parse()
        certification = services.document_request_fulfil(
            actor=request.user,
            request=record,
            upload=data["file"],
            title=data.get("title", ""),
            issuer=data.get("issuer", ""),
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
        )
        return Response(
            CertificationSerializer(certification, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=RequestCancelSerializer, responses={200: DocumentRequestSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        cancelled = services.document_request_cancel(
            actor=request.user,
            request=record,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return self.answer(cancelled)


class AuditViewSet(RecordViewSet):
    """Audits of vendors: the team, the status table, findings (risk findings) and evidence."""

    queryset = Audit.objects.none()
    filterset_class = AuditFilterSet
    output_serializer_class = AuditSerializer
    create_serializer_class = AuditCreateSerializer
    update_serializer_class = AuditUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "transition": AuditTransitionSerializer,
        "findings": AuditFindingSerializer,
        "evidence": AuditEvidenceCreateSerializer,
    }
    parser_classes: ClassVar[list[Any]] = PARSERS  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "transition",
        "findings",
        "evidence",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "transition": {"status": ("open_findings",), "non_field_errors": ("invalid_transition",)},
        "evidence": {"file": FILE_CODES},
    }

    def select_list(self) -> QuerySet[Audit]:
        return selectors.audits(self.request.user).order_by("-planned_on", "-pk")

    def perform_create_record(self, data: dict[str, Any]) -> Audit:
        return services.audit_plan(
            actor=self.request.user,
            supplier=data["supplier"],
            title=data["title"],
            kind=data["kind"],
            planned_on=data["planned_on"],
            scope=data.get("scope", ""),
            lead_auditor=data.get("lead_auditor"),
            auditors=data.get("auditors", []),
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        auditors = data.pop("auditors", None)
        return services.audit_update(
            actor=self.request.user,
            audit=record,
            expected_version=version,
            auditors=auditors,
            **data,
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.audit_archive(
            actor=self.request.user, audit=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.audit_restore(
            actor=self.request.user, audit=record, expected_version=version
        )

    @extend_schema(request=AuditTransitionSerializer, responses={200: AuditSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        moved = services.audit_transition(
            actor=request.user,
            audit=record,
            to_status=data["to_status"],
            note=data.get("note", ""),
            report_summary=data.get("report_summary") or None,
            expected_version=data.get("version"),
        )
        return self.answer(moved)

    @extend_schema(
        methods=["GET"], request=None, responses={200: AuditFindingOutputSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=AuditFindingSerializer,
        responses={201: AuditFindingOutputSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def findings(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The audit's findings (GET), or raise one against the audited vendor (POST)."""
        if request.method == "GET":
            record = self.select_one(Action.VIEW)
            rows = selectors.audit_findings(user=request.user, audit=record)
            return Response(AuditFindingOutputSerializer(rows, many=True).data)
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        finding = services.audit_finding_raise(
            actor=request.user,
            audit=record,
            title=data["title"],
            severity=data["severity"],
            detail=data.get("detail", ""),
            corrective_action=data.get("corrective_action", ""),
            remediation_due_on=data.get("remediation_due_on"),
            owner=data.get("owner"),
        )
        return Response(AuditFindingOutputSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuditEvidenceCreateSerializer, responses={201: AuditEvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Keep a file (multipart) as evidence of the audit."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        kept = services.audit_evidence_add(
            actor=request.user, audit=record, upload=data["file"], note=data.get("note", "")
        )
        return Response(AuditEvidenceSerializer(kept).data, status=status.HTTP_201_CREATED)


class AuditEvidenceViewSet(StewardViewSet):
    """Evidence files of audits: read and download; they are added through an audit."""

    queryset = AuditEvidence.objects.none()
    output_serializer_class = AuditEvidenceSerializer

    def select_list(self) -> QuerySet[AuditEvidence]:
        return AuditEvidence.objects.restrict(self.request.user, Action.VIEW).order_by("-pk")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.render(self.select_one(Action.VIEW)))

    @extend_schema(responses=DOWNLOAD, description="The evidence file.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        return stored_file_response(self.select_one(Action.VIEW))
