"""API endpoints of the contracts app's documents area: contract documents and their versions.

Both follow their contract's access: whoever sees the contract reads its documents and
downloads their files, whoever may change it uploads. Uploads are multipart. Versions are
append-only: there is no update and no delete (405), a new upload is a new version.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Length
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.contracts import selectors_documents, services
from steward.contracts.models import Contract, ContractDocument, DocumentVersion
from steward.contracts.models.documents import DocumentKind
from steward.contracts.services.documents import DOCUMENT_TYPES
from steward.core.access import Action, RestrictedQuerySet, get_for_user, principal_for
from steward.core.api.fields import VisibleRelatedField
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.core.uploads import stored_file_response
from steward.parties.api.serializers import RecordOutputSerializer

# What a refused file answers, on the field ``file``.
FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content", "archived")
FILE_HELP = "A PDF or Word (.docx) file, sent as multipart/form-data."


def _contracts(user: Any) -> Any:
    return Contract.objects.restrict(user, Action.VIEW)


def _documents(user: Any) -> Any:
    return ContractDocument.objects.restrict(user, Action.VIEW)


def _download_url(version: DocumentVersion) -> str:
    return reverse("document-version-download", args=[version.pk])


# --- serializers ---------------------------------------------------------------------------------


class DocumentVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(source="document_id")
    number = serializers.IntegerField(help_text="1 for the first upload, then 2, 3 …")
    original_name = serializers.CharField(help_text="The file name as uploaded.")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField(help_text="SHA-256 checksum of the file, hexadecimal.")
    uploaded_by = serializers.IntegerField(source="uploaded_by_id")
    uploaded_at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)
    download_url = serializers.SerializerMethodField(help_text="Where the file is sent from.")

    def get_download_url(self, version: DocumentVersion) -> str:
        return _download_url(version)


class DocumentVersionDetailSerializer(DocumentVersionSerializer):
    contract = serializers.IntegerField(source="document.contract_id")
    text_length = serializers.IntegerField(
        help_text="Characters of text extracted for search; 0 when none could be read."
    )


class ContractDocumentSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    created_by = serializers.IntegerField(source="created_by_id")
    versions = DocumentVersionSerializer(
        many=True, source="versions.all", help_text="Every version, newest first."
    )


class ContractDocumentCreateSerializer(serializers.Serializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Defaults to the file name."
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(help_text=FILE_HELP)


class DocumentVersionCreateSerializer(serializers.Serializer):
    document = VisibleRelatedField(
        model=ContractDocument, choices=_documents, help_text="Contract document id."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(help_text=FILE_HELP)


# --- filters -------------------------------------------------------------------------------------


class ContractDocumentFilterSet(StewardFilterSet):
    search_fields = ("title",)

    contract = IdFilter(field_name="contract_id", label="Contract id")
    kind = django_filters.MultipleChoiceFilter(choices=DocumentKind.choices)

    class Meta:
        model = ContractDocument
        fields = ["q", "contract", "kind", "archived"]


class DocumentVersionFilterSet(django_filters.FilterSet):
    """Versions are never archived, so the archive switch of the other lists does not apply."""

    document = IdFilter(field_name="document_id", label="Contract document id")
    contract = IdFilter(field_name="document__contract_id", label="Contract id")

    class Meta:
        model = DocumentVersion
        fields = ["document", "contract"]


def _refuse_readers(request: Request) -> None:
    if not principal_for(request.user).may_write:
        # Refuse before parsing: a read-only user learns nothing from validation messages.
        raise exceptions.PermissionDenied("You may not upload documents.")


# --- viewsets ------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description=(
            "Upload a new document on a contract (multipart): the file becomes its version 1. "
            "Only PDF and Word (.docx) files are taken; the size, the name and the content are "
            "checked (codes on `file`). An archived contract takes no uploads."
        )
    ),
    list=extend_schema(description="The contracts' documents you may see, newest first."),
)
class ContractDocumentViewSet(StewardViewSet):
    queryset = ContractDocument.objects.none()
    filterset_class = ContractDocumentFilterSet
    output_serializer_class = ContractDocumentSerializer
    create_serializer_class = ContractDocumentCreateSerializer
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {"create": {"file": FILE_CODES}}

    def select_list(self) -> QuerySet[ContractDocument]:
        return (
            ContractDocument.objects.restrict(self.request.user, Action.VIEW)
            .prefetch_related(
                Prefetch("versions", queryset=selectors_documents.versions_newest_first())
            )
            .order_by("-created_at", "-pk")
        )

    def select_one(self, action: Action = Action.VIEW) -> ContractDocument:
        documents = ContractDocument.objects.prefetch_related(
            Prefetch("versions", queryset=selectors_documents.versions_newest_first())
        )
        return get_for_user(documents, user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_readers(request)
        data = self.parse()
        document = services.document_upload(
            actor=request.user,
            contract=data["contract"],
            upload=data["file"],
            title=data.get("title", ""),
            kind=data.get("kind") or DocumentKind.DRAFT,
            note=data.get("note", ""),
        )
        created = self.select_one_by_pk(document.pk)
        return self.answer(created, code=status.HTTP_201_CREATED)

    def select_one_by_pk(self, pk: int) -> ContractDocument:
        self.kwargs["pk"] = pk
        return self.select_one()


DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, media_type): OpenApiTypes.BINARY for media_type in sorted(DOCUMENT_TYPES.values())
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Add a version to a document (multipart); the earlier versions stay as they are. "
            "A file identical to the latest version is refused (code `duplicate_version`)."
        )
    ),
    list=extend_schema(description="Versions of the documents you may see."),
)
class DocumentVersionViewSet(StewardViewSet):
    queryset = DocumentVersion.objects.none()
    filterset_class = DocumentVersionFilterSet
    output_serializer_class = DocumentVersionDetailSerializer
    create_serializer_class = DocumentVersionCreateSerializer
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"file": (*FILE_CODES, "duplicate_version")}
    }

    def _versions(self) -> RestrictedQuerySet[Any]:
        return (
            DocumentVersion.objects.select_related("document")
            .defer(*selectors_documents.HEAVY_FIELDS)
            .annotate(text_length=Length("text"))
        )

    def select_list(self) -> QuerySet[DocumentVersion]:
        versions = self._versions().restrict(self.request.user, Action.VIEW)
        return versions.order_by("document_id", "-number")

    def select_one(self, action: Action = Action.VIEW) -> DocumentVersion:
        return get_for_user(
            self._versions(), user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_readers(request)
        data = self.parse()
        version = services.document_version_add(
            actor=request.user,
            document=data["document"],
            upload=data["file"],
            note=data.get("note", ""),
        )
        self.kwargs["pk"] = version.pk
        return self.answer(self.select_one(), code=status.HTTP_201_CREATED)

    @extend_schema(
        responses=DOWNLOAD_RESPONSES,
        description="The version's file, with the name it was uploaded under.",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        version = selectors_documents.version_get(user=request.user, pk=self.kwargs["pk"])
        return stored_file_response(version)


# (prefix, viewset, basename) for the /api/v1/ router.
ROUTES: list[tuple[str, Any, str]] = [
    ("contract-documents", ContractDocumentViewSet, "contract-document"),
    ("document-versions", DocumentVersionViewSet, "document-version"),
]
