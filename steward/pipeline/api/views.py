"""The pipeline API: opportunities and their stage actions, lines, contacts, credits, proposal
documents, stage history and the forecast.

Each handler parses, calls one selector or service, and renders. Parts are versioned records:
PATCH names the version read, DELETE takes the part out (archived, kept in the history).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.errors import DomainError
from steward.core.uploads import ALLOWED_TYPES, stored_file_response
from steward.pipeline import selectors, services
from steward.pipeline.api import serializers as s
from steward.pipeline.filtersets import (
    OpportunityContactFilterSet,
    OpportunityCreditFilterSet,
    OpportunityFilterSet,
    OpportunityLineFilterSet,
    ProposalDocumentFilterSet,
    StageChangeFilterSet,
)
from steward.pipeline.forecast import MAX_PERIOD_DAYS, period_around
from steward.pipeline.models import (
    Opportunity,
    OpportunityContact,
    OpportunityCredit,
    OpportunityLine,
    ProposalDocument,
    StageChange,
)
from steward.spend.services.reference_checks import currency_code

TEXT = ("required", "too_long", "invalid")
OPTIONAL_TEXT = ("too_long", "invalid")
FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
OPEN_ONLY: dict[str, tuple[str, ...]] = {"non_field_errors": ("closed", "archived")}
OPPORTUNITY_FIELDS: dict[str, tuple[str, ...]] = {
    "name": TEXT,
    "owner": ("required", "inactive", "not_internal", "cannot_see_account"),
    "close_date": ("required",),
    "penetration_type": ("required", "invalid"),
    "currency": ("required", "invalid", "invalid_currency"),
    "site": ("invalid",),
    "buying_unit": ("invalid",),
    "next_step": OPTIONAL_TEXT,
    "description": OPTIONAL_TEXT,
    "forecast_category": ("invalid",),
}
TRANSITION = {
    "stage": ("invalid", "invalid_transition"),
    "non_field_errors": ("archived",),
    "version": ("version_mismatch",),
    "If-Match": ("invalid",),
}
LINE_FIELDS: dict[str, tuple[str, ...]] = {
    "quantity": ("invalid",),
    "unit_price": ("invalid",),
    "discount_percent": ("invalid",),
    "currency": ("no_rate",),
    **OPEN_ONLY,
}


def _refuse_portal(request: Request) -> None:
    if not principal_for(request.user).is_internal:
        raise exceptions.PermissionDenied("The pipeline is for inside users.")


class PartViewSet(RecordViewSet):
    """A part of an opportunity: it follows the opportunity's access."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    restore = None  # type: ignore[assignment]

    def select_list(self) -> QuerySet[Any]:
        model = self.viewset_model()
        return selectors.part_list(user=self.request.user, model=model).order_by(
            "opportunity_id", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> Any:
        return selectors.part_get(
            user=self.request.user, model=self.viewset_model(), pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        return super().create(request, *args, **kwargs)


# --- opportunities -----------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description="Open an opportunity on a customer account you may change; you own it "
        "unless you name an owner who can see the account."
    ),
    destroy=extend_schema(description="Archive (it leaves lists and forecasts; restorable)."),
)
class OpportunityViewSet(RecordViewSet):
    """Opportunities: read by their owner, the owner's managers and the account's team (and
    auditors); changed by the owner and the account's editing team."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Opportunity.objects.none()
    filterset_class = OpportunityFilterSet
    output_serializer_class = s.OpportunitySerializer
    create_serializer_class = s.OpportunityInputSerializer
    update_serializer_class = s.OpportunityUpdateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "move",
        "win",
        "lose",
        "reopen",
        "from_cell",
        "credits",
    )
    versioned_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.versioned_actions,
        "move",
        "win",
        "lose",
        "reopen",
    )
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "move": s.OpportunityMoveSerializer,
        "win": s.OpportunityWinSerializer,
        "lose": s.OpportunityLoseSerializer,
        "reopen": s.OpportunityReopenSerializer,
        "from_cell": s.OpportunityFromCellSerializer,
        "credits": s.CreditsSetSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **OPPORTUNITY_FIELDS,
            "relationship": ("not_an_account", "archived"),
            "stage": ("invalid",),
        },
        "partial_update": {
            **{name: (*codes, "closed") for name, codes in OPPORTUNITY_FIELDS.items()},
            "currency": (*OPPORTUNITY_FIELDS["currency"], "closed", "has_lines"),
            "non_field_errors": ("archived",),
        },
        "move": TRANSITION,
        "win": {**TRANSITION, "lines": ("no_lines",), "closed_on": ("future",)},
        "lose": {**TRANSITION, "reason": TEXT, "closed_on": ("future",)},
        "reopen": {**TRANSITION, "close_date": ("required", "past")},
        "from_cell": {
            "cell": ("not_open", "duplicate"),
            "currency": ("invalid_currency",),
            "relationship": ("not_an_account", "archived"),
        },
        "credits": {
            # The list itself: missing, null or not a list (a nested serializer's own codes).
            "splits": (
                *("required", "null", "not_a_list"),
                *("not_100", "duplicate", "invalid", "inactive", "not_internal"),
            ),
            "non_field_errors": ("archived",),
        },
    }

    def select_list(self) -> QuerySet[Opportunity]:
        return selectors.opportunities_visible(user=self.request.user).order_by("close_date", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Opportunity:
        return selectors.opportunity_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> Opportunity:
        data.pop("version", None)
        return services.opportunity_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Opportunity, data: dict[str, Any], version: int
    ) -> Opportunity:
        return services.opportunity_update(
            actor=self.request.user, opportunity=record, expected_version=version, **data
        )

    def perform_archive(self, record: Opportunity, version: int | None) -> Opportunity:
        return services.opportunity_archive(
            actor=self.request.user, opportunity=record, expected_version=version
        )

    def perform_restore(self, record: Opportunity, version: int | None) -> Opportunity:
        return services.opportunity_restore(
            actor=self.request.user, opportunity=record, expected_version=version
        )

    def _stage_action(self, service: Any, **extra: Any) -> Response:
        opportunity = self.select_one(Action.CHANGE)
        data = self.parse()
        version = self.requested_version(data.pop("version", None), required=False)
        return self.answer(
            service(
                actor=self.request.user,
                opportunity=opportunity,
                expected_version=version,
                **data,
                **extra,
            )
        )

    @extend_schema(request=s.OpportunityMoveSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move an open opportunity to another open stage; probability and category follow."""
        return self._stage_action(services.opportunity_move)

    @extend_schema(request=s.OpportunityWinSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def win(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close as won (final); it needs a line. A whitespace cell it came from becomes ours."""
        return self._stage_action(services.opportunity_win)

    @extend_schema(request=s.OpportunityLoseSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def lose(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close as lost, with the reason."""
        return self._stage_action(services.opportunity_lose)

    @extend_schema(request=s.OpportunityReopenSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reopen a lost opportunity into an open stage with a new close date."""
        return self._stage_action(services.opportunity_reopen)

    @extend_schema(
        request=s.OpportunityFromCellSerializer,
        responses={status.HTTP_201_CREATED: s.OpportunitySerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-cell")
    def from_cell(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open an opportunity from an open whitespace cell: its account, location and buying
        unit, named after the family and location, the penetration type derived."""
        _refuse_portal(request)
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        data = self.parse()
        created = services.opportunity_from_cell(actor=request.user, cell=data["cell"])
        return self.answer(created, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CreditsSetSerializer, responses=s.OpportunityCreditSerializer(many=True)
    )
    # JSON only: a list of splits has no form encoding.
    @action(detail=True, methods=["post"], pagination_class=None, parser_classes=[JSONParser])
    def credits(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Replace who gets credit and what share (adding up to exactly 100)."""
        opportunity = self.select_one(Action.CHANGE)
        data = self.parse()
        rows = services.credits_set(
            actor=request.user,
            opportunity=opportunity,
            splits=[(row["user"], row["role"], row["percent"]) for row in data["splits"]],
        )
        return Response(s.OpportunityCreditSerializer(rows, many=True).data)


# --- parts -------------------------------------------------------------------------------------


class OpportunityLineViewSet(PartViewSet):
    """Lines from the catalog; the opportunity's amount and cost are their sums."""

    queryset = OpportunityLine.objects.none()
    filterset_class = OpportunityLineFilterSet
    output_serializer_class = s.OpportunityLineSerializer
    create_serializer_class = s.OpportunityLineInputSerializer
    update_serializer_class = s.OpportunityLineUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**LINE_FIELDS, "product": ("archived",)},
        "partial_update": LINE_FIELDS,
        "destroy": OPEN_ONLY,
    }

    def perform_create_record(self, data: dict[str, Any]) -> OpportunityLine:
        data.pop("version", None)
        return services.line_add(
            actor=self.request.user, opportunity=data.pop("opportunity"), **data
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.line_update(
            actor=self.request.user, line=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.line_remove(actor=self.request.user, line=record, expected_version=version)


class OpportunityContactViewSet(PartViewSet):
    """The customer's people on an opportunity, each with a buying role."""

    queryset = OpportunityContact.objects.none()
    filterset_class = OpportunityContactFilterSet
    output_serializer_class = s.OpportunityContactSerializer
    create_serializer_class = s.OpportunityContactInputSerializer
    update_serializer_class = s.OpportunityContactUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "contact": ("invalid", "duplicate"),
            "buying_role": ("invalid",),
            "notes": OPTIONAL_TEXT,
            "non_field_errors": ("archived",),
        },
        "partial_update": {"notes": OPTIONAL_TEXT},
    }

    def perform_create_record(self, data: dict[str, Any]) -> OpportunityContact:
        data.pop("version", None)
        return services.contact_add(
            actor=self.request.user, opportunity=data.pop("opportunity"), **data
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.contact_update(
            actor=self.request.user,
            opportunity_contact=record,
            expected_version=version,
            notes=data.get("notes", record.notes),
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.contact_remove(
            actor=self.request.user, opportunity_contact=record, expected_version=version
        )


class OpportunityCreditViewSet(StewardViewSet):
    """Who is credited on the opportunities you may see (set them with an opportunity's
    ``credits`` action; none means the owner's 100 %)."""

    queryset = OpportunityCredit.objects.none()
    filterset_class = OpportunityCreditFilterSet
    output_serializer_class = s.OpportunityCreditSerializer
    http_method_names = ["get", "head", "options"]

    def select_list(self) -> QuerySet[OpportunityCredit]:
        rows = selectors.part_list(user=self.request.user, model=OpportunityCredit)
        return rows.order_by("opportunity_id", "pk")


DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, media_type): OpenApiTypes.BINARY for media_type in sorted(set(ALLOWED_TYPES.values()))
}


class ProposalDocumentViewSet(StewardViewSet):
    """Proposal documents (multipart upload): the same title makes the next version; every
    version stays downloadable."""

    queryset = ProposalDocument.objects.none()
    filterset_class = ProposalDocumentFilterSet
    output_serializer_class = s.ProposalDocumentSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "destroy")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.ProposalDocumentInputSerializer
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "file": FILE_CODES,
            "title": TEXT,
            "note": OPTIONAL_TEXT,
            "non_field_errors": ("archived",),
        },
    }

    def select_list(self) -> QuerySet[ProposalDocument]:
        rows = selectors.part_list(user=self.request.user, model=ProposalDocument)
        return rows.order_by("opportunity_id", "title", "-number")

    def select_one(self, action: Action = Action.VIEW) -> ProposalDocument:
        return selectors.part_get(
            user=self.request.user, model=ProposalDocument, pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not create records.")
        data = self.parse()
        document = services.proposal_upload(
            actor=request.user,
            opportunity=data["opportunity"],
            title=data["title"],
            upload=data["file"],
            note=data.get("note", ""),
        )
        return self.answer(document, code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take a version out of the lists (kept in the history)."""
        services.proposal_archive(actor=request.user, document=self.select_one(Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=DOWNLOAD_RESPONSES, description="The file, as it was uploaded.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        return stored_file_response(self.select_one())


class StageChangeViewSet(StewardViewSet):
    """Every change of stage, amount, close date or category, as it was: append-only."""

    queryset = StageChange.objects.none()
    filterset_class = StageChangeFilterSet
    output_serializer_class = s.StageChangeSerializer
    http_method_names = ["get", "head", "options"]

    def select_list(self) -> QuerySet[StageChange]:
        rows = StageChange.objects.restrict(self.request.user, Action.VIEW)
        return rows.order_by("opportunity_id", "changed_at", "pk")


# --- the forecast ------------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[s.ForecastQuerySerializer],
        responses={status.HTTP_200_OK: s.ForecastSerializer},
        description="Closed, commit, best case, pipeline (cumulative) and weighted, in one "
        "currency, for an owner, your team or everything you may see, over a month, quarter, "
        "year or any dates; with the same per month.",
    )
)
class ForecastViewSet(StewardViewSet):
    queryset = Opportunity.objects.none()
    output_serializer_class = s.ForecastSerializer
    http_method_names = ["get", "head", "options"]
    filter_backends: list[Any] = []
    pagination_class = None
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ("retrieve",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "retrieve": {
            "owner": ("invalid", "min_value", "max_value"),
            "team": ("invalid",),
            "period": ("invalid_choice",),
            "on": ("invalid", "datetime"),
            "start": ("invalid", "datetime", "required", "order", "too_long"),
            "end": ("invalid", "datetime", "required"),
            "currency": ("invalid", "max_length", "invalid_currency", "required", "no_rate"),
            "as_of": ("invalid", "datetime"),
        }
    }

    def _query(self) -> dict[str, Any]:
        params = {k: v for k, v in self.request.query_params.items() if v != ""}
        query = s.ForecastQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # One answer, not a collection: served as ``retrieve`` so the schema says an object.
        _refuse_portal(request)
        query = self._query()
        start, end = _period(query)
        owner_ids: list[int] | None = None
        if query.get("team"):
            owner_ids = selectors.team_owner_ids(request.user)
        if query.get("owner"):
            owner_ids = [query["owner"]]
        currency = query.get("currency")
        if currency:
            currency = currency_code(currency, field="currency")
        result = selectors.forecast(
            user=request.user,
            owner_ids=owner_ids,
            start=start,
            end=end,
            currency=currency,
            as_of=query.get("as_of"),
        )
        data = {
            "currency": result.currency,
            "start": result.start,
            "end": result.end,
            "as_of": result.as_of,
            "owner_ids": owner_ids,
            "totals": result.totals,
            "months": [
                {"month": month, **vars(totals)} for month, totals in result.by_month.items()
            ],
        }
        return Response(s.ForecastSerializer(data).data)


def _period(query: dict[str, Any]) -> tuple[dt.date, dt.date]:
    start, end = query.get("start"), query.get("end")
    if start or end:
        if not (start and end):
            missing = "end" if start else "start"
            raise DomainError("Give both start and end dates.", field=missing, code="required")
        if end < start:
            raise DomainError("The end is before the start.", field="start", code="order")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise DomainError("Ask for at most ten years.", field="start", code="too_long")
        return start, end
    return period_around(query.get("on") or timezone.localdate(), query.get("period", "quarter"))
