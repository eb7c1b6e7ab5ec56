"""API endpoints of the satisfaction app.

Reads start from the access policy (responses and survey requests follow their account; the
standard and the cadence are read by every inside user and kept by administrators). Writes go
through ``steward.satisfaction.services``; delete archives. No answer carries a link's token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.services import restore_record
from steward.satisfaction import selectors
from steward.satisfaction.api import serializers as s
from steward.satisfaction.filtersets import SatisfactionResponseFilterSet, SurveyRequestFilterSet
from steward.satisfaction.models import (
    MeetingCadence,
    SatisfactionResponse,
    SatisfactionStandard,
    SurveyRequest,
)
from steward.satisfaction.services import imports
from steward.satisfaction.services.requests import survey_request_send
from steward.satisfaction.services.responses import (
    response_archive,
    response_record,
    response_update,
)
from steward.satisfaction.services.standard import cadence_update, standard_update
from steward.satisfaction.tallies import Tally, tallies_by_account

UPLOAD_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
IMPORT_CODES: dict[str, tuple[str, ...]] = {"file": ("import_refused", *UPLOAD_CODES)}
RESPONSE_CODES: dict[str, tuple[str, ...]] = {
    "relationship": ("not_account", "archived"),
    "kind": ("invalid_choice",),
    "score": ("out_of_range", "invalid"),
    "contact": ("not_customer_contact",),
    "site": ("not_customer_site",),
    "answered_on": ("invalid", "duplicate"),
    "comment": ("invalid",),
}


def _inside(request: Request) -> None:
    if not principal_for(request.user).is_internal:
        raise exceptions.PermissionDenied("Satisfaction is for inside users.")


class InsideRecordViewSet(RecordViewSet):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _inside(request)


@extend_schema_view(
    create=extend_schema(
        description="Record a customer's answer on an account: CSAT scored 1-5 or NPS 0-10. "
        "The contact (optional) must work for the account's organization or its group."
    ),
    destroy=extend_schema(description="Archive the response (it can be restored)."),
    import_file=extend_schema(
        description="Import responses from a CSV or XLSX (account, contact_email, kind, score, "
        "answered_on, comment): all rows or none; a row already stored (same account, e-mail, "
        "kind and day) is skipped.",
        request=s.FileSerializer,
        responses={200: s.ImportResultSerializer},
    ),
)
class SatisfactionResponseViewSet(InsideRecordViewSet):
    """Customers' CSAT and NPS answers: read by whoever reads the account, changed by its owner
    and editing team."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = SatisfactionResponse.objects.none()
    filterset_class = SatisfactionResponseFilterSet
    output_serializer_class = s.SatisfactionResponseSerializer
    create_serializer_class = s.SatisfactionResponseCreateSerializer
    update_serializer_class = s.SatisfactionResponseUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "import_file": s.FileSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "import_file",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": RESPONSE_CODES,
        "partial_update": RESPONSE_CODES,
        "restore": {"non_field_errors": ("duplicate",)},
        "import_file": IMPORT_CODES,
    }

    def select_list(self) -> QuerySet[SatisfactionResponse]:
        return selectors.response_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SatisfactionResponse:
        return selectors.response_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return s.ImportResultSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> SatisfactionResponse:
        return response_record(actor=self.request.user, **data)

    def perform_update_record(
        self, record: SatisfactionResponse, data: dict[str, Any], version: int
    ) -> SatisfactionResponse:
        return response_update(
            actor=self.request.user, response=record, expected_version=version, **data
        )

    def perform_archive(self, record: SatisfactionResponse, version: int | None) -> Any:
        return response_archive(actor=self.request.user, response=record, expected_version=version)

    def perform_restore(self, record: SatisfactionResponse, version: int | None) -> Any:
        return restore_record(record, actor=self.request.user, expected_version=version)

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not import responses.")
        upload = self.parse()["file"]
        result = imports.responses_import(actor=request.user, file=upload, filename=upload.name)
        return Response(
            s.ImportResultSerializer({"created": result.created, "skipped": result.skipped}).data
        )


@extend_schema_view(
    create=extend_schema(
        description="Send a survey link to a contact of the account by e-mail. The link works "
        "once until it expires; it is mailed, never returned.",
    ),
    destroy=extend_schema(description="Withdraw the request (its link stops working)."),
)
class SurveyRequestViewSet(InsideRecordViewSet):
    """Survey links sent to customers' contacts (the token is never shown)."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = SurveyRequest.objects.none()
    filterset_class = SurveyRequestFilterSet
    output_serializer_class = s.SurveyRequestSerializer
    create_serializer_class = s.SurveyRequestCreateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "contact": ("not_customer_contact", "archived", "no_email"),
            "relationship": ("not_account", "archived"),
            "kinds": ("invalid_choice",),
            "expires_in_days": ("invalid",),
        }
    }

    def select_list(self) -> QuerySet[SurveyRequest]:
        return selectors.survey_request_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SurveyRequest:
        from steward.core.access import get_for_user

        return get_for_user(
            SurveyRequest.objects.all(), user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> SurveyRequest:
        request, _link = survey_request_send(actor=self.request.user, **data)
        return request

    def perform_archive(self, record: SurveyRequest, version: int | None) -> Any:
        from steward.core.services import archive_record

        return archive_record(
            record, actor=self.request.user, expected_version=version, reason="Withdrawn"
        )

    def perform_restore(self, record: SurveyRequest, version: int | None) -> Any:
        return restore_record(record, actor=self.request.user, expected_version=version)


@extend_schema_view(
    partial_update=extend_schema(description="Change the standard (administrators only)."),
)
class SatisfactionStandardViewSet(InsideRecordViewSet):
    """The company's satisfaction standard: one record, read by inside users."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = SatisfactionStandard.objects.none()
    output_serializer_class = s.SatisfactionStandardSerializer
    update_serializer_class = s.SatisfactionStandardUpdateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("partial_update", "history")
    paginated_actions: ClassVar[tuple[str, ...]] = ("list", "history")

    def select_list(self) -> QuerySet[SatisfactionStandard]:
        selectors.standard_for(user=self.request.user)  # makes it when it is missing
        return (
            SatisfactionStandard.objects.restrict(self.request.user, Action.VIEW)
            .filter(archived_at__isnull=True)
            .order_by("pk")
        )

    def perform_update_record(
        self, record: SatisfactionStandard, data: dict[str, Any], version: int
    ) -> SatisfactionStandard:
        return standard_update(
            actor=self.request.user, standard=record, expected_version=version, **data
        )


class MeetingCadenceViewSet(InsideRecordViewSet):
    """Days between face-to-face meetings per account tier (administered)."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = MeetingCadence.objects.none()
    output_serializer_class = s.MeetingCadenceSerializer
    update_serializer_class = s.MeetingCadenceUpdateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("partial_update", "history")

    def select_list(self) -> QuerySet[MeetingCadence]:
        return selectors.cadence_list(user=self.request.user).order_by("tier")

    def perform_update_record(
        self, record: MeetingCadence, data: dict[str, Any], version: int
    ) -> MeetingCadence:
        return cadence_update(
            actor=self.request.user, cadence=record, expected_version=version, days=data["days"]
        )


class AccountSatisfactionViewSet(StewardViewSet):
    """An account's NPS and CSAT with their counts over a period, against the standard, and
    its early warnings."""

    queryset = SatisfactionResponse.objects.none()
    output_serializer_class = s.AccountSatisfactionSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ()
    filter_backends: list[Any] = []
    pagination_class = None
    validation_error_codes: ClassVar[ErrorCodes] = {
        "retrieve": {"since": ("invalid", "order"), "until": ("invalid",)}
    }

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _inside(request)

    @extend_schema(
        parameters=[s.AccountSatisfactionQuerySerializer],
        responses={status.HTTP_200_OK: s.AccountSatisfactionSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = selectors.account_get(user=request.user, pk=self.kwargs["pk"])
        query = s.AccountSatisfactionQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        until: dt.date = query.validated_data.get("until") or today
        since: dt.date = query.validated_data.get("since") or (
            until - relativedelta(years=1) + dt.timedelta(days=1)
        )
        if since > until:
            raise serializers.ValidationError(
                {"since": [exceptions.ErrorDetail("Since is after until.", code="order")]}
            )
        tally = tallies_by_account([account.pk], since, until).get(account.pk, Tally())
        data = {
            "account": account.pk,
            "since": since,
            "until": until,
            "nps": {"score": tally.nps.score, "count": tally.nps.count},
            "csat": {"pct": tally.csat.pct, "mean": tally.csat.mean, "count": tally.csat.count},
            "meets_standard": selectors.standard_judgement([account.pk], today)[account.pk],
            "warnings": [
                {"kind": w.kind, "what": w.what, "since": w.since, "url": w.url}
                for w in selectors.warnings_for([account.pk], today=today)
            ],
        }
        return Response(s.AccountSatisfactionSerializer(data).data)
