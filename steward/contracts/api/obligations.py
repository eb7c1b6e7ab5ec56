"""API endpoints of the contracts app's obligations area: obligations (complete and waive as
actions), the evidence files that show them met, and a contract's stakeholders.

Reads start from the access policy: an obligation follows its contract and also reaches the
person responsible for it; evidence follows its obligation; a stakeholder row follows its
contract. Writes go through ``steward.contracts.services``; deleting an obligation archives it
and deleting a stakeholder takes the person off the contract (the row is archived).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.contrib.auth import get_user_model
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.contracts import services
from steward.contracts.filtersets_obligations import ObligationFilterSet
from steward.contracts.models import Contract, ContractStakeholder, Obligation, ObligationEvidence
from steward.contracts.models.obligations import (
    ObligationKind,
    ObligationStatus,
    OwedBy,
    Recurrence,
)
from steward.contracts.services.obligations import next_occurrence_of
from steward.core.access import Access, Action, get_for_user, principal_for
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.core.uploads import ALLOWED_TYPES
from steward.parties.api.serializers import RecordOutputSerializer
from steward.parties.api.views import PartiesViewSet
from steward.parties.choices import TeamRole
from steward.people.selectors import internal_user_choices

User = get_user_model()
UPLOAD_ERRORS = ("file_type", "file_empty", "file_too_large", "file_content", "archived")


def _contracts(user: Any) -> Any:
    return Contract.objects.restrict(user, Action.VIEW)


def _obligations(user: Any) -> Any:
    return Obligation.objects.restrict(user, Action.VIEW)


def _people(user: Any) -> Any:
    return internal_user_choices(user=user)


# --- obligations -------------------------------------------------------------------------------


class ObligationSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    owed_by = serializers.ChoiceField(
        choices=OwedBy.choices, help_text="us: we owe it; them: the counterparty does."
    )
    owner = serializers.IntegerField(source="owner_id", help_text="The person responsible.")
    due_on = serializers.DateField()
    recurrence = serializers.ChoiceField(choices=Recurrence.choices)
    anchor_on = serializers.DateField(help_text="The first due date of the series.")
    occurrence = serializers.IntegerField(help_text="1 for the first of a series.")
    follows = serializers.IntegerField(
        source="follows_id",
        allow_null=True,
        help_text="The occurrence whose closing created this one.",
    )
    status = serializers.ChoiceField(choices=ObligationStatus.choices)
    done_on = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obligation: Obligation) -> bool:
        return obligation.is_open and obligation.due_on < timezone.localdate()


class ObligationClosedSerializer(ObligationSerializer):
    next_occurrence = serializers.SerializerMethodField(
        help_text="The occurrence closing this one created (recurring obligations)."
    )

    @extend_schema_field(OpenApiTypes.INT)
    def get_next_occurrence(self, obligation: Obligation) -> int | None:
        following = next_occurrence_of(obligation)
        return following.pk if following else None


class ObligationInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    owed_by = serializers.ChoiceField(choices=OwedBy.choices)
    owner = VisibleRelatedField(
        model=User, choices=_people, required=False, help_text="Defaults to the contract's owner."
    )
    due_on = serializers.DateField()
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class ObligationCreateSerializer(ObligationInputSerializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")


class ObligationUpdateSerializer(ObligationInputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=ObligationKind.choices, required=False)
    owed_by = serializers.ChoiceField(choices=OwedBy.choices, required=False)
    due_on = serializers.DateField(
        required=False, help_text="A new due date starts the series afresh from it."
    )
    version = version_field()


class ObligationCompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text="Defaults to today.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class ObligationWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, help_text="Required."
    )


_CLOSING_ERRORS: dict[str, tuple[str, ...]] = {
    "status": ("closed",),
    "non_field_errors": ("archived",),
}
_EDIT_ERRORS: dict[str, tuple[str, ...]] = {
    "owner": ("invalid",),
    "non_field_errors": ("closed", "invalid"),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Record what one party owes under a contract by when. The person responsible "
            "defaults to the contract's owner; nothing can be added to a contract that ended."
        )
    ),
    partial_update=extend_schema(
        description=(
            "Edit an open obligation (a closed one answers code `closed`). A new due date or "
            "recurrence starts the series afresh there."
        )
    ),
    destroy=extend_schema(description="Archive the obligation (it can be restored)."),
)
class ObligationViewSet(PartiesViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Obligation.objects.none()
    filterset_class = ObligationFilterSet
    output_serializer_class = ObligationSerializer
    create_serializer_class = ObligationCreateSerializer
    update_serializer_class = ObligationUpdateSerializer
    action_input_serializers = {
        **PartiesViewSet.action_input_serializers,
        "complete": ObligationCompleteSerializer,
        "waive": ObligationWaiveSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *PartiesViewSet.forbidden_actions,
        "complete",
        "waive",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"title": ("invalid",), "owner": ("invalid",)},
        "partial_update": _EDIT_ERRORS,
        "complete": _CLOSING_ERRORS,
        "waive": {**_CLOSING_ERRORS, "reason": ("required",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> Obligation:
        return get_for_user(
            Obligation.objects.select_related("contract"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    def get_output_serializer_class(self) -> Any:
        if self.action in ("complete", "waive"):
            return ObligationClosedSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Obligation:
        return services.obligation_add(actor=self.request.user, **data)

    def perform_update_record(self, record: Obligation, data: dict[str, Any], version: int) -> Any:
        return services.obligation_update(
            actor=self.request.user, obligation=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the obligation done; a recurring one gets its next occurrence
        (`next_occurrence`). Completing it again changes nothing; a waived one answers 400
        on `status` with code `closed`."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        closed = services.obligation_complete(
            actor=request.user,
            obligation=record,
            done_on=data.get("done_on"),
            note=data.get("note", ""),
        )
        return self.answer(closed)

    @action(detail=True, methods=["post"])
    def waive(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Let this occurrence go, saying why (`reason`, code `required` when missing); a
        recurring series carries on with its next occurrence."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        waived = services.obligation_waive(
            actor=request.user, obligation=record, reason=data.get("reason", "")
        )
        return self.answer(waived)


# --- evidence ----------------------------------------------------------------------------------


class ObligationEvidenceSerializer(RecordOutputSerializer):
    obligation = serializers.IntegerField(source="obligation_id")
    title = serializers.CharField()
    original_name = serializers.CharField(help_text="The name the file was uploaded with.")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    uploaded_by = serializers.IntegerField(source="uploaded_by_id")


class EvidenceUploadSerializer(serializers.Serializer):
    obligation = VisibleRelatedField(
        model=Obligation, choices=_obligations, help_text="Obligation id."
    )
    file = serializers.FileField(
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or text; checked by content."
    )
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Defaults to the file name."
    )


class ObligationEvidenceFilterSet(StewardFilterSet):
    search_fields = ("title", "original_name")

    obligation = IdFilter(field_name="obligation_id", label="Obligation id")

    class Meta:
        model = ObligationEvidence
        fields = ["q", "obligation", "archived"]


@extend_schema_view(
    create=extend_schema(
        description=(
            "Attach a file (multipart) as evidence that an obligation was met. Each upload is "
            "kept as a new row under a generated name; nothing is overwritten."
        )
    )
)
class ObligationEvidenceViewSet(StewardViewSet):
    http_method_names = ["get", "post", "head", "options"]
    queryset = ObligationEvidence.objects.none()
    filterset_class = ObligationEvidenceFilterSet
    output_serializer_class = ObligationEvidenceSerializer
    create_serializer_class = EvidenceUploadSerializer
    parser_classes = [MultiPartParser, FormParser]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {"create": {"file": UPLOAD_ERRORS}}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        data = self.parse()
        evidence = services.evidence_upload(
            actor=request.user,
            obligation=data["obligation"],
            upload=data["file"],
            title=data.get("title", ""),
        )
        return self.answer(evidence, code=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, media_type): OpenApiTypes.BINARY
            for media_type in sorted(set(ALLOWED_TYPES.values()))
        }
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        """The file itself, under the name it was uploaded with."""
        evidence = self.select_one(Action.VIEW)
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- stakeholders ------------------------------------------------------------------------------


class ContractStakeholderSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id")
    user = serializers.IntegerField(source="user_id")
    role = serializers.ChoiceField(choices=TeamRole.choices)
    access = serializers.ChoiceField(choices=Access.choices)


class ContractStakeholderCreateSerializer(serializers.Serializer):
    contract = VisibleRelatedField(model=Contract, choices=_contracts, help_text="Contract id.")
    user = VisibleRelatedField(model=User, choices=_people, help_text="An internal person.")
    role = serializers.ChoiceField(choices=TeamRole.choices)
    access = serializers.ChoiceField(
        choices=Access.choices, required=False, help_text="Defaults to review (read only)."
    )


class ContractStakeholderFilterSet(StewardFilterSet):
    contract = IdFilter(field_name="contract_id", label="Contract id")
    user = IdFilter(field_name="user_id", label="Person id")
    role = django_filters.MultipleChoiceFilter(choices=TeamRole.choices)

    class Meta:
        model = ContractStakeholder
        fields = ["contract", "user", "role", "archived"]


@extend_schema_view(
    create=extend_schema(
        description=(
            "Give an internal person a part in a contract (legal, finance, …). Someone who has "
            "a part already is refused on `user`. The contract's owner is not a stakeholder."
        )
    ),
    destroy=extend_schema(
        description=(
            "Take the person off the contract: the row is archived with its history and the "
            "access it gave ends."
        ),
        responses={204: None},
    ),
)
class ContractStakeholderViewSet(StewardViewSet):
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = ContractStakeholder.objects.none()
    filterset_class = ContractStakeholderFilterSet
    output_serializer_class = ContractStakeholderSerializer
    create_serializer_class = ContractStakeholderCreateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "destroy")
    validation_error_codes: ClassVar[ErrorCodes] = {"create": {"user": ("invalid",)}}

    def select_one(self, action: Action = Action.VIEW) -> ContractStakeholder:
        return get_for_user(
            ContractStakeholder.objects.select_related("contract"),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        row = services.stakeholder_add(actor=request.user, **self.parse())
        return self.answer(row, code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.select_one(Action.DELETE)
        services.stakeholder_remove(actor=request.user, stakeholder=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


# (prefix, viewset, basename) for the /api/v1/ router.
ROUTES: list[tuple[str, Any, str]] = [
    ("obligations", ObligationViewSet, "obligation"),
    ("obligation-evidence", ObligationEvidenceViewSet, "obligation-evidence"),
    ("contract-stakeholders", ContractStakeholderViewSet, "contract-stakeholder"),
]
