"""API endpoints for issues, their moves and escalations, the ladder and the targets.

Reads start from the access policy (an issue reaches its owner and its relationship's team, and
portal users of the counterparty when shared; moves and escalations follow their issue; targets
are reference data). Writes go through ``steward.issues.services``; delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.issues import selectors, services
from steward.issues.api.serializers import (
    EscalationLevelCreateSerializer,
    EscalationLevelSerializer,
    EscalationLevelUpdateSerializer,
    IssueCreateSerializer,
    IssueEscalateSerializer,
    IssueEscalationSerializer,
    IssueSerializer,
    IssueTransitionInputSerializer,
    IssueTransitionSerializer,
    IssueUpdateSerializer,
    SeverityTargetSerializer,
    SeverityTargetUpdateSerializer,
)
from steward.issues.choices import IssueStatus, MissedTarget
from steward.issues.filtersets import EscalationLevelFilterSet, IssueFilterSet
from steward.issues.models import (
    EscalationLevel,
    Issue,
    IssueEscalation,
    IssueTransition,
    SeverityTarget,
)

_LINKS: dict[str, tuple[str, ...]] = {
    "relationship": ("archived",),
    "owner": ("inactive", "not_internal"),
    "contract": ("invalid",),
    "service_level": ("invalid",),
    "initiative": ("invalid",),
    "title": ("required",),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Raise an issue on a relationship. Its reference is the next ISS-number; respond_by "
            "and resolve_by follow from the severity's targets. A contract, service level or "
            "initiative must belong to the same relationship."
        )
    ),
    partial_update=extend_schema(
        description="Edit the issue; a new severity sets the due dates again from the opening."
    ),
    destroy=extend_schema(description="Archive the issue (it can be restored)."),
)
class IssueViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Issue.objects.none()
    filterset_class = IssueFilterSet
    output_serializer_class = IssueSerializer
    create_serializer_class = IssueCreateSerializer
    update_serializer_class = IssueUpdateSerializer
    action_input_serializers = {
        **RecordViewSet.action_input_serializers,
        "transition": IssueTransitionInputSerializer,
        "escalate": IssueEscalateSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "transition",
        "escalate",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _LINKS,
        "partial_update": {"owner": ("inactive", "not_internal"), "title": ("required",)},
        "transition": {
            "to": ("invalid_transition",),
            "reason": ("required",),
            "root_cause": ("required",),
            "corrective_action": ("required",),
            "non_field_errors": ("archived",),
        },
        "escalate": {"note": ("required",), "non_field_errors": ("ladder_top", "not_open")},
    }

    def select_list(self) -> QuerySet[Issue]:
        return Issue.objects.restrict(self.request.user, Action.VIEW).select_related(
            "relationship__organization"
        )

    def select_one(self, action: Action = Action.VIEW) -> Issue:
        return selectors.issue_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action in ("transition", "escalate"):
            return IssueSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> Issue:
        return services.issue_open(actor=self.request.user, source="api", **data)

    def perform_update_record(self, record: Issue, data: dict[str, Any], version: int) -> Issue:
        return services.issue_update(
            actor=self.request.user, issue=record, expected_version=version, **data
        )

    def perform_archive(self, record: Issue, version: int | None) -> Issue:
        return services.issue_archive(
            actor=self.request.user, issue=record, expected_version=version
        )

    def perform_restore(self, record: Issue, version: int | None) -> Issue:
        return services.issue_restore(
            actor=self.request.user, issue=record, expected_version=version
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Move the issue along its status machine (new → acknowledged → in progress →
        resolved → closed; resolved or closed back to in progress reopens it). Resolving needs
        `root_cause` and `corrective_action`; reopening needs a `reason`. A refused move answers
        400 on `to` saying where the issue may go."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        moved = services.issue_transition(
            actor=request.user,
            issue=record,
            to=data["to"],
            reason=data.get("reason", ""),
            root_cause=data.get("root_cause", ""),
            corrective_action=data.get("corrective_action", ""),
        )
        return self.answer(moved)

    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Climb one rung of the relationship's escalation ladder now; its contact and the
        issue's owner are told. With no higher rung: 400 with code `ladder_top`."""
        record = self.select_one(Action.CHANGE)
        data = self.parse()
        escalated = services.issue_escalate(actor=request.user, issue=record, note=data["note"])
        return self.answer(escalated)


class IssueTransitionFilterSet(django_filters.FilterSet):
    issue = IdFilter(field_name="issue_id", label="Issue id")
    to_status = django_filters.MultipleChoiceFilter(choices=IssueStatus.choices)

    class Meta:
        model = IssueTransition
        fields = ["issue", "to_status"]


class IssueTransitionViewSet(StewardViewSet):
    """Every move of the issues the user may see: who, when, why."""

    queryset = IssueTransition.objects.none()
    filterset_class = IssueTransitionFilterSet
    output_serializer_class = IssueTransitionSerializer

    def select_list(self) -> QuerySet[IssueTransition]:
        return IssueTransition.objects.restrict(self.request.user, Action.VIEW).order_by("at", "pk")


class IssueEscalationFilterSet(django_filters.FilterSet):
    issue = IdFilter(field_name="issue_id", label="Issue id")
    missed = django_filters.MultipleChoiceFilter(choices=MissedTarget.choices)

    class Meta:
        model = IssueEscalation
        fields = ["issue", "missed"]


class IssueEscalationViewSet(StewardViewSet):
    """Every rung the issues the user may see have climbed, by hand or by the job."""

    queryset = IssueEscalation.objects.none()
    filterset_class = IssueEscalationFilterSet
    output_serializer_class = IssueEscalationSerializer

    def select_list(self) -> QuerySet[IssueEscalation]:
        return IssueEscalation.objects.restrict(self.request.user, Action.VIEW).order_by("at", "pk")


_RUNG: dict[str, tuple[str, ...]] = {
    "level": ("duplicate",),
    "name": ("required",),
    "internal_contact": ("inactive", "not_internal"),
    "counterparty_contact": ("wrong_organization", "archived"),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Add a rung to a relationship's escalation ladder: its level (unique among the "
            "current rungs), an inside contact, optionally someone at the counterparty, and "
            "how many hours after a missed target an issue climbs to it."
        )
    ),
    destroy=extend_schema(description="Take the rung off the ladder (it can be restored)."),
)
class EscalationLevelViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = EscalationLevel.objects.none()
    filterset_class = EscalationLevelFilterSet
    output_serializer_class = EscalationLevelSerializer
    create_serializer_class = EscalationLevelCreateSerializer
    update_serializer_class = EscalationLevelUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_RUNG, "relationship": ("archived",)},
        "partial_update": _RUNG,
        "restore": {"level": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[EscalationLevel]:
        return EscalationLevel.objects.restrict(self.request.user, Action.VIEW).order_by(
            "relationship_id", "level", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> EscalationLevel:
        return selectors.escalation_level_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> EscalationLevel:
        return services.escalation_level_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: EscalationLevel, data: dict[str, Any], version: int
    ) -> EscalationLevel:
        return services.escalation_level_update(
            actor=self.request.user, rung=record, expected_version=version, **data
        )

    def perform_archive(self, record: EscalationLevel, version: int | None) -> EscalationLevel:
        return services.escalation_level_archive(
            actor=self.request.user, rung=record, expected_version=version
        )

    def perform_restore(self, record: EscalationLevel, version: int | None) -> EscalationLevel:
        return services.escalation_level_restore(
            actor=self.request.user, rung=record, expected_version=version
        )


class SeverityTargetFilterSet(StewardFilterSet):
    class Meta:
        model = SeverityTarget
        fields = ["archived"]


@extend_schema_view(
    list=extend_schema(
        description="Response and resolution hours per severity; inside users read."
    ),
    partial_update=extend_schema(
        description=(
            "Change a severity's targets (administrators only). Issues opened from then on use "
            "them; the resolution target is never shorter than the response target."
        )
    ),
)
class SeverityTargetViewSet(RecordViewSet):
    http_method_names = ["get", "patch", "head", "options"]
    queryset = SeverityTarget.objects.none()
    filterset_class = SeverityTargetFilterSet
    output_serializer_class = SeverityTargetSerializer
    update_serializer_class = SeverityTargetUpdateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("partial_update", "history")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "partial_update": {
            "response_hours": ("min_value",),
            "resolution_hours": ("invalid", "min_value"),
        }
    }

    def select_list(self) -> QuerySet[SeverityTarget]:
        return selectors.severity_targets(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SeverityTarget:
        return selectors.severity_target_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_update_record(
        self, record: SeverityTarget, data: dict[str, Any], version: int
    ) -> SeverityTarget:
        return services.severity_target_update(
            actor=self.request.user, target=record, expected_version=version, **data
        )
