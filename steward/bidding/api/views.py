"""The bidding API: bids (portal users submit versions; everyone reads through the policy, so
inside users see nothing before the closing time), their lines and their files."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from steward.bidding import selectors, services
from steward.bidding.api import serializers as s
from steward.bidding.filtersets import BidAttachmentFilterSet, BidFilterSet, BidLineFilterSet
from steward.bidding.models import Bid, BidAttachment, BidLine
from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.core.uploads import ALLOWED_TYPES, stored_file_response

FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content", "too_many_files")
LINE_CODES = (
    "no_lines",
    "unknown_line",
    "duplicate_line",
    "required",
    "invalid",
    "decimal_places",
    "too_large",
    "negative",
    "not_whole",
    "out_of_range",
    "too_long",
)
# What the JSON rows of the multipart submission can fail with, field by field.
ROW_CODES = (
    "required",
    "null",
    "invalid",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "min_value",
    "max_value",
    "max_length",
    "null_characters_not_allowed",
    "surrogate_characters_not_allowed",
)
SUBMIT_CODES: dict[str, tuple[str, ...]] = {
    "non_field_errors": ("late", "not_open", "not_open_yet", "declined"),
    "currency": ("currency", "no_rate"),
    "lines": LINE_CODES,
    "answers": (
        "unknown_question",
        "duplicate_answer",
        "answer_required",
        "invalid",
        "too_long",
    ),
    "notes": ("invalid", "too_long"),
}


def _refusal(error: services.BidRefusedError) -> serializers.ValidationError:
    """Every problem of a refused bid, each on the attribute it concerns (``lines`` for any
    line's field: the message names the line number and the field)."""
    details: dict[str, list[exceptions.ErrorDetail]] = {}
    for problem in error.problems:
        attr = (problem.field or api_settings.NON_FIELD_ERRORS_KEY).split("[", 1)[0]
        details.setdefault(attr, []).append(exceptions.ErrorDetail(problem.message, problem.code))
    return serializers.ValidationError(details)


def _json_rows(raw: str, name: str) -> list[Any]:
    try:
        rows = json.loads(raw or "[]")
    except ValueError as error:
        raise serializers.ValidationError(
            {name: [exceptions.ErrorDetail(f"{name} is not valid JSON.", "invalid")]}
        ) from error
    if not isinstance(rows, list):
        raise serializers.ValidationError(
            {name: [exceptions.ErrorDetail(f"{name} is not a JSON array.", "invalid")]}
        )
    return rows


def _row_label(index: Any) -> str:
    return f"Row {int(index) + 1}" if str(index).isdigit() else "Rows"


def _nested(serializer_class: Any, rows: list[Any], name: str) -> list[dict[str, Any]]:
    """Parse JSON rows with the JSON endpoint's serializer; errors go on ``name``."""
    parsed = serializer_class(data=rows, many=True)
    if not parsed.is_valid():
        found = parsed.errors
        # DRF gives the rows' errors as a list, or as a mapping of the failing rows' indexes.
        by_row = found.items() if isinstance(found, dict) else enumerate(found)
        flat = [
            exceptions.ErrorDetail(f"{_row_label(index)}, {field}: {detail}", detail.code)
            for index, row_errors in by_row
            for field, details in (row_errors.items() if isinstance(row_errors, dict) else [])
            for detail in details
        ]
        raise serializers.ValidationError(
            {name: flat or [exceptions.ErrorDetail(f"{name} holds invalid rows.", "invalid")]}
        )
    return [dict(row) for row in parsed.validated_data]


class BidViewSet(StewardViewSet):
    """Bid versions. A portal user of an invited vendor submits one (POST: a new version, the
    earlier ones stay as they were) and reads its own; inside users read them from the event's
    closing time on, never before."""

    queryset = Bid.objects.none()
    filterset_class = BidFilterSet
    output_serializer_class = s.BidSerializer
    http_method_names = ["get", "post", "head", "options"]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "with_files")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.BidInputSerializer,
        "with_files": s.BidWithFilesInputSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": SUBMIT_CODES,
        "with_files": {
            **SUBMIT_CODES,
            "lines": (*LINE_CODES, *ROW_CODES),
            "answers": (*SUBMIT_CODES["answers"], *ROW_CODES),
            "files": FILE_CODES,
        },
    }

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.BidRefusedError):
            exc = _refusal(exc)
        return super().handle_exception(exc)

    def select_list(self) -> QuerySet[Bid]:
        return selectors.with_contents(selectors.bid_list(user=self.request.user)).order_by(
            "invitation_id", "-number"
        )

    def select_one(self, action: Action = Action.VIEW) -> Bid:
        return selectors.bid_get(user=self.request.user, pk=self.kwargs["pk"])

    def _refuse_inside_users(self) -> None:
        if not principal_for(self.request.user).is_external:
            # Refuse before parsing: inside users never bid, and learn nothing from validation.
            raise exceptions.PermissionDenied("Only the invited vendor's portal users bid.")

    def _submit(self, data: dict[str, Any], lines: Any, answers: Any, files: Any) -> Response:
        invitation = data["invitation"]
        bid = services.bid_submit(
            actor=self.request.user,
            invitation=invitation,
            currency=data.get("currency") or invitation.event.currency,
            lines=lines,
            answers=answers or [],
            notes=data.get("notes", ""),
            attachments=files,
        )
        self.kwargs["pk"] = bid.pk
        return self.answer(self.select_one(), code=status.HTTP_201_CREATED)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._refuse_inside_users()
        data = self.parse()
        return self._submit(data, data["lines"], data.get("answers"), [])

    @extend_schema(request=s.BidWithFilesInputSerializer, responses={201: s.BidSerializer})
    @action(detail=False, methods=["post"], url_path="with-files", parser_classes=[MultiPartParser])
    def with_files(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit a version with files (multipart): ``lines`` and ``answers`` as JSON text."""
        self._refuse_inside_users()
        data = self.parse()
        lines = _nested(s.BidLineInputSerializer, _json_rows(data["lines"], "lines"), "lines")
        answers = _nested(
            s.BidAnswerInputSerializer, _json_rows(data.get("answers", "[]"), "answers"), "answers"
        )
        return self._submit(data, lines, answers, data.get("files", []))


class BidLineViewSet(StewardViewSet):
    """The lines of the bids you may see (read-only: a submitted bid never changes)."""

    queryset = BidLine.objects.none()
    filterset_class = BidLineFilterSet
    output_serializer_class = s.BidLineSerializer
    http_method_names = ["get", "head", "options"]

    def select_list(self) -> QuerySet[BidLine]:
        return selectors.bid_line_list(user=self.request.user).order_by("bid_id", "line__number")


DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, media_type): OpenApiTypes.BINARY for media_type in sorted(set(ALLOWED_TYPES.values()))
}


class BidAttachmentViewSet(StewardViewSet):
    """Files submitted with the bids you may see; sealed like the bids."""

    queryset = BidAttachment.objects.none()
    filterset_class = BidAttachmentFilterSet
    output_serializer_class = s.BidAttachmentSerializer
    http_method_names = ["get", "head", "options"]

    def select_list(self) -> QuerySet[BidAttachment]:
        return selectors.attachment_list(user=self.request.user).order_by("bid_id", "pk")

    def select_one(self, action: Action = Action.VIEW) -> BidAttachment:
        return selectors.attachment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=DOWNLOAD_RESPONSES, description="The file, as it was submitted.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        return stored_file_response(self.select_one())
