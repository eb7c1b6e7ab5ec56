"""API endpoints of third-party risk: tiering profiles, the risk register, findings (with
their moves and the vendor's answer), fourth parties and the concentration figures.

Reads start from the access policy; writes go through ``steward.risk.services``. Portal users
reach only the findings shared with their organization.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.errors import DuplicateError, TransitionError
from steward.risk import selectors, services
from steward.risk.api import serializers as s
from steward.risk.filtersets import (
    FindingFilterSet,
    RiskFilterSet,
    RiskProfileFilterSet,
    SubcontractorFilterSet,
)
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor

_INTAKE_CODES: dict[str, tuple[str, ...]] = {
    "business_criticality": ("invalid",),
    "data_handled": ("invalid",),
}


@extend_schema_view(
    create=extend_schema(
        description="Fill in a vendor's tiering intake (once; afterwards PATCH it). The tier, "
        "its points, the depth of due diligence and the reassessment frequency follow."
    ),
    partial_update=extend_schema(description="Change the intake; the tier is worked out again."),
)
class RiskProfileViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = RiskProfile.objects.none()
    filterset_class = RiskProfileFilterSet
    output_serializer_class = s.RiskProfileSerializer
    create_serializer_class = s.RiskProfileCreateSerializer
    update_serializer_class = s.RiskProfileUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_INTAKE_CODES, "supplier": ("duplicate",)},
        "partial_update": _INTAKE_CODES,
    }

    def select_list(self) -> QuerySet[RiskProfile]:
        return selectors.risk_profiles(user=self.request.user).order_by("tier", "pk")

    def select_one(self, action: Action = Action.VIEW) -> RiskProfile:
        return selectors.risk_profile_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> RiskProfile:
        supplier = data.pop("supplier")
        if RiskProfile.objects.filter(pk=supplier.pk).exists():
            raise DuplicateError(
                "This vendor has a tiering profile; change it with PATCH.", field="supplier"
            )
        return services.risk_profile_save(actor=self.request.user, supplier=supplier, **data)

    def perform_update_record(
        self, record: RiskProfile, data: dict[str, Any], version: int
    ) -> RiskProfile:
        return services.risk_profile_save(
            actor=self.request.user, supplier=record.supplier, expected_version=version, **data
        )

    def perform_restore(self, record: RiskProfile, version: int | None) -> RiskProfile:
        return record  # a profile is never archived: restoring a current record changes nothing


class _RegisterCodes:
    risk: ClassVar[dict[str, tuple[str, ...]]] = {
        "residual_likelihood": ("residual_above_inherent",),
        "owner": ("not_internal",),
        "relationship": ("archived",),
    }


@extend_schema_view(
    create=extend_schema(
        description="Enter a risk in a relationship's register. Scores are likelihood x impact "
        "(1 to 25); the residual score may not exceed the inherent one. The vendor's risk "
        "score follows."
    ),
    partial_update=extend_schema(description="Edit an open risk."),
    destroy=extend_schema(description="Archive the risk (it can be restored)."),
)
class RiskViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Risk.objects.none()
    filterset_class = RiskFilterSet
    output_serializer_class = s.RiskSerializer
    create_serializer_class = s.RiskCreateSerializer
    update_serializer_class = s.RiskUpdateSerializer
    action_input_serializers = {
        **RecordViewSet.action_input_serializers,
        "close": s.RiskNoteSerializer,
        "reopen": s.RiskNoteSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "close",
        "reopen",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _RegisterCodes.risk,
        "partial_update": {**_RegisterCodes.risk, "non_field_errors": ("closed",)},
        "close": {"note": ("required",), "status": ("invalid_transition",)},
        "reopen": {"note": ("required",), "status": ("invalid_transition",)},
    }

    def select_list(self) -> QuerySet[Risk]:
        return selectors.risks(user=self.request.user).order_by("pk")

    def select_one(self, action: Action = Action.VIEW) -> Risk:
        return selectors.risk_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Risk:
        return services.risk_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Risk, data: dict[str, Any], version: int) -> Risk:
        return services.risk_update(
            actor=self.request.user, risk=record, expected_version=version, **data
        )

    def perform_archive(self, record: Risk, version: int | None) -> Risk:
        return services.risk_archive(actor=self.request.user, risk=record, expected_version=version)

    def perform_restore(self, record: Risk, version: int | None) -> Risk:
        return services.risk_restore(actor=self.request.user, risk=record, expected_version=version)

    def get_output_serializer_class(self) -> Any:
        if self.action in ("close", "reopen"):
            return s.RiskSerializer
        return super().get_output_serializer_class()

    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close the risk (it stops counting towards the vendor's score); `note` says why."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(services.risk_close(actor=request.user, risk=record, note=data["note"]))

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reopen a closed risk; `note` says why."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(services.risk_reopen(actor=request.user, risk=record, note=data["note"]))


@extend_schema_view(
    create=extend_schema(
        description="Raise a finding against a vendor (assessments and audits raise theirs)."
    ),
    partial_update=extend_schema(description="Edit the finding's text, severity, owner or date."),
)
class FindingViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Finding.objects.none()
    filterset_class = FindingFilterSet
    output_serializer_class = s.FindingSerializer
    create_serializer_class = s.FindingCreateSerializer
    update_serializer_class = s.FindingUpdateSerializer
    action_input_serializers = {
        **RecordViewSet.action_input_serializers,
        "transition": s.FindingTransitionSerializer,
        "respond": s.FindingRespondSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "transition",
        "respond",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"owner": ("not_internal",)},
        "partial_update": {"owner": ("not_internal",)},
        "transition": {"to": ("invalid_transition",), "note": ("invalid",)},
        "respond": {"remediation_plan": ("required", "not_open", "max_length")},
    }
    versioned_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.versioned_actions, "respond")

    def select_list(self) -> QuerySet[Finding]:
        return selectors.findings(user=self.request.user).order_by("pk")

    def select_one(self, action: Action = Action.VIEW) -> Finding:
        return selectors.finding_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action in ("transition", "respond"):
            return s.FindingSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Finding:
        return services.finding_open(actor=self.request.user, **data)

    def perform_update_record(self, record: Finding, data: dict[str, Any], version: int) -> Finding:
        return services.finding_update(
            actor=self.request.user, finding=record, expected_version=version, **data
        )

    def perform_restore(self, record: Finding, version: int | None) -> Finding:
        return record  # findings are closed or accepted, never archived: nothing to restore

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the finding: open → in remediation → closed or accepted; closed or accepted
        back to open. Closing, accepting and reopening need a `note`."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        try:
            moved = services.finding_transition(
                actor=request.user, finding=record, to_status=data["to"], note=data.get("note", "")
            )
        except TransitionError as error:
            raise exceptions.ValidationError(
                {"to": [exceptions.ErrorDetail(error.message, error.code)]}
            ) from error
        return self.answer(moved)

    @action(detail=True, methods=["post"])
    def respond(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The vendor's remediation plan: portal users of the vendor answer the findings shared
        with them (and inside users who may change the finding). An open finding moves into
        remediation."""
        record = self.select_one(Action.VIEW)
        data = self.parse()
        version = self.requested_version(data.get("version"), required=False)
        answered = services.finding_respond(
            actor=request.user,
            finding=record,
            remediation_plan=data["remediation_plan"],
            expected_version=version,
        )
        return self.answer(answered)


@extend_schema_view(
    create=extend_schema(
        description="Record a fourth party: an organization the vendor relies on for a service, "
        "optionally under another link of the same vendor (a tree)."
    ),
    destroy=extend_schema(description="Archive the link (links under it must go first)."),
)
class SubcontractorViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Subcontractor.objects.none()
    filterset_class = SubcontractorFilterSet
    output_serializer_class = s.SubcontractorSerializer
    create_serializer_class = s.SubcontractorCreateSerializer
    update_serializer_class = s.SubcontractorUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"organization": ("self",), "parent": ("invalid",), "service": ("duplicate",)},
        "partial_update": {
            "organization": ("self",),
            "parent": ("invalid", "cycle"),
            "service": ("duplicate",),
        },
        "destroy": {"non_field_errors": ("has_children",)},
        "restore": {"parent": ("archived",)},
    }

    def select_list(self) -> QuerySet[Subcontractor]:
        return selectors.subcontractors(user=self.request.user).order_by("pk")

    def select_one(self, action: Action = Action.VIEW) -> Subcontractor:
        return selectors.subcontractor_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> Subcontractor:
        return services.subcontractor_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: Subcontractor, data: dict[str, Any], version: int
    ) -> Subcontractor:
        return services.subcontractor_update(
            actor=self.request.user, subcontractor=record, expected_version=version, **data
        )

    def perform_archive(self, record: Subcontractor, version: int | None) -> Subcontractor:
        return services.subcontractor_archive(
            actor=self.request.user, subcontractor=record, expected_version=version
        )

    def perform_restore(self, record: Subcontractor, version: int | None) -> Subcontractor:
        return services.subcontractor_restore(
            actor=self.request.user, subcontractor=record, expected_version=version
        )


class RiskConcentrationViewSet(StewardViewSet):
    """Concentration risk from the data, as the user may see it: categories where one vendor
    holds most of the spend (last twelve whole months), single-source categories, countries
    with several critical vendors, fourth parties several vendors depend on."""

    output_serializer_class = s.RiskConcentrationSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ("retrieve",)
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(responses={status.HTTP_200_OK: s.RiskConcentrationSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # One answer, not a collection: served as ``retrieve`` so the schema says an object.
        if not principal_for(request.user).is_internal:
            raise exceptions.PermissionDenied("Concentration figures are for inside users.")
        figures = selectors.concentration(user=request.user, today=timezone.localdate())
        return Response(self.render(figures))
