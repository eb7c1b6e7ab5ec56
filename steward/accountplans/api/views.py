"""API endpoints of account plans: plans (with their standing), the relationship map,
objectives, initiative and action links, reviews and the plan standard.

Reads start from the access policy (a plan follows its account; its rows follow the plan);
writes go through ``steward.accountplans.services``. Delete archives.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.accountplans import selectors, services
from steward.accountplans.api import serializers as s
from steward.accountplans.filtersets import (
    AccountPlanFilterSet,
    PlanActionFilterSet,
    PlanInitiativeFilterSet,
    PlanObjectiveFilterSet,
    PlanReviewFilterSet,
    PlanStakeholderFilterSet,
)
from steward.accountplans.models import (
    AccountPlan,
    PlanAction,
    PlanInitiative,
    PlanObjective,
    PlanReview,
    PlanStakeholder,
    PlanStandard,
)
from steward.core.access import Action, get_for_user
from steward.core.api.viewsets import ErrorCodes, RecordViewSet
from steward.core.errors import DomainError
from steward.core.filtersets import StewardFilterSet

# A closed or archived plan refuses new rows and changes (no field: the plan itself).
_PLAN_CHILD: dict[str, tuple[str, ...]] = {"non_field_errors": ("archived", "closed")}
_CONTACT = ("not_in_account", "archived")
_PERSON = ("inactive", "not_internal")


class PlanPartViewSet(RecordViewSet):
    """A row of a plan: archive and restore go through the plan's services."""

    remove_service: ClassVar[Any] = None

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return type(self).remove_service(
            actor=self.request.user, expected_version=version, **{self.part_name: record}
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        raise DomainError(
            "A row taken out of a plan is not brought back; add it again.", code="not_restorable"
        )

    part_name: ClassVar[str] = ""


@extend_schema_view(
    create=extend_schema(
        description="Start an account's plan for a period; an account has one active plan at a "
        "time (close it first)."
    ),
    destroy=extend_schema(description="Archive the plan (it can be restored)."),
)
class AccountPlanViewSet(RecordViewSet):
    queryset = AccountPlan.objects.none()
    filterset_class = AccountPlanFilterSet
    output_serializer_class = s.AccountPlanSerializer
    create_serializer_class = s.AccountPlanCreateSerializer
    update_serializer_class = s.AccountPlanUpdateSerializer
    action_input_serializers: ClassVar[dict[str, type[drf_serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "close": s.AccountPlanCloseSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.forbidden_actions, "close")
    versioned_actions: ClassVar[tuple[str, ...]] = (*RecordViewSet.versioned_actions, "close")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "relationship": ("not_an_account", "archived", "duplicate"),
            "ends_on": ("invalid",),
            "title": ("required",),
            "shared_live_sections": ("invalid",),
        },
        "update": {
            "ends_on": ("invalid",),
            "shared_live_sections": ("invalid",),
            **_PLAN_CHILD,
        },
        "partial_update": {
            "ends_on": ("invalid",),
            "shared_live_sections": ("invalid",),
            **_PLAN_CHILD,
        },
        "restore": {"relationship": ("duplicate",)},
        "close": {"If-Match": ("invalid",), **_PLAN_CHILD},
    }

    def select_list(self) -> QuerySet[AccountPlan]:
        return AccountPlan.objects.restrict(self.request.user, Action.VIEW).select_related(
            "relationship__organization"
        )

    def select_one(self, action: Action = Action.VIEW) -> AccountPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> AccountPlan:
        return services.plan_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: AccountPlan, data: dict[str, Any], version: int
    ) -> AccountPlan:
        return services.plan_update(
            actor=self.request.user, plan=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.plan_archive(actor=self.request.user, plan=record, expected_version=version)

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.plan_restore(actor=self.request.user, plan=record, expected_version=version)

    @extend_schema(request=s.AccountPlanCloseSerializer, responses=s.AccountPlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close the plan: it is kept as it was, and the account's next plan can start."""
        plan = self.select_one(Action.CHANGE)
        version = self.requested_version(self.parse().get("version"), required=False)
        return self.answer(
            services.plan_close(actor=request.user, plan=plan, expected_version=version)
        )

    @extend_schema(responses=s.StandingSerializer)
    @action(detail=True, methods=["get"], filter_backends=[])
    def standing(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The plan against the standard: each rule switched on, met or not and how to fix it,
        the score (rules met ÷ rules on) and days since the last review."""
        plan = self.select_one(Action.VIEW)
        standing = selectors.plan_standing(plan)
        data = {
            "plan": plan.pk,
            "score": standing.score,
            "meets": standing.meets,
            "freshness_days": standing.freshness_days,
            "checks": [vars(check) for check in standing.checks],
        }
        return Response(s.StandingSerializer(data).data)


@extend_schema_view(
    create=extend_schema(description="Put one of the customer's people on the plan's map."),
    destroy=extend_schema(description="Take the person off the map (archived)."),
)
class PlanStakeholderViewSet(PlanPartViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = PlanStakeholder.objects.none()
    filterset_class = PlanStakeholderFilterSet
    output_serializer_class = s.PlanStakeholderSerializer
    create_serializer_class = s.PlanStakeholderCreateSerializer
    update_serializer_class = s.PlanStakeholderUpdateSerializer
    remove_service = staticmethod(services.stakeholder_remove)
    part_name = "stakeholder"
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_PLAN_CHILD, "contact": (*_CONTACT, "duplicate"), "covered_by": _PERSON},
        "partial_update": {"covered_by": _PERSON, **_PLAN_CHILD},
        "destroy": _PLAN_CHILD,
        "restore": {"non_field_errors": ("not_restorable",)},
    }

    def select_list(self) -> QuerySet[PlanStakeholder]:
        return PlanStakeholder.objects.restrict(self.request.user, Action.VIEW).select_related(
            "contact"
        )

    def select_one(self, action: Action = Action.VIEW) -> PlanStakeholder:
        return selectors.stakeholder_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> PlanStakeholder:
        return services.stakeholder_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: PlanStakeholder, data: dict[str, Any], version: int
    ) -> PlanStakeholder:
        return services.stakeholder_update(
            actor=self.request.user, stakeholder=record, expected_version=version, **data
        )


@extend_schema_view(
    create=extend_schema(description="Agree an objective with the customer."),
    destroy=extend_schema(description="Take the objective out of the plan (archived)."),
)
class PlanObjectiveViewSet(PlanPartViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = PlanObjective.objects.none()
    filterset_class = PlanObjectiveFilterSet
    output_serializer_class = s.PlanObjectiveSerializer
    create_serializer_class = s.PlanObjectiveCreateSerializer
    update_serializer_class = s.PlanObjectiveUpdateSerializer
    remove_service = staticmethod(services.objective_remove)
    part_name = "objective"
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **_PLAN_CHILD,
            "stakeholder": _CONTACT,
            "owner": _PERSON,
            "title": ("required",),
        },
        "partial_update": {
            "stakeholder": _CONTACT,
            "owner": _PERSON,
            "title": ("required",),
            **_PLAN_CHILD,
        },
        "destroy": _PLAN_CHILD,
        "restore": {"non_field_errors": ("not_restorable",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> PlanObjective:
        return selectors.objective_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> PlanObjective:
        return services.objective_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: PlanObjective, data: dict[str, Any], version: int
    ) -> PlanObjective:
        return services.objective_update(
            actor=self.request.user, objective=record, expected_version=version, **data
        )


@extend_schema_view(
    create=extend_schema(
        description="Bring an initiative on the same account into the plan, with its priority "
        "and the investment it needs."
    ),
    destroy=extend_schema(description="Take the initiative out of the plan (it stays as is)."),
)
class PlanInitiativeViewSet(PlanPartViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = PlanInitiative.objects.none()
    filterset_class = PlanInitiativeFilterSet
    output_serializer_class = s.PlanInitiativeSerializer
    create_serializer_class = s.PlanInitiativeCreateSerializer
    update_serializer_class = s.PlanInitiativeUpdateSerializer
    remove_service = staticmethod(services.initiative_link_remove)
    part_name = "link"
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**_PLAN_CHILD, "initiative": ("not_in_account", "archived", "duplicate")},
        "partial_update": _PLAN_CHILD,
        "destroy": _PLAN_CHILD,
        "restore": {"non_field_errors": ("not_restorable",)},
    }

    def select_list(self) -> QuerySet[PlanInitiative]:
        return PlanInitiative.objects.restrict(self.request.user, Action.VIEW).select_related(
            "initiative"
        )

    def select_one(self, action: Action = Action.VIEW) -> PlanInitiative:
        return selectors.initiative_link_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> PlanInitiative:
        return services.initiative_link_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: PlanInitiative, data: dict[str, Any], version: int
    ) -> PlanInitiative:
        return services.initiative_link_update(
            actor=self.request.user, link=record, expected_version=version, **data
        )


@extend_schema_view(
    create=extend_schema(
        description="Add an action to the plan's action plan: an existing action on the account "
        "(`action_item`), or a new one (`title`, `due_on`, `side`, and `owner` for ours or "
        "`owner_contact` for theirs)."
    ),
    destroy=extend_schema(description="Take the action out of the plan (it is still chased)."),
)
class PlanActionViewSet(PlanPartViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = PlanAction.objects.none()
    filterset_class = PlanActionFilterSet
    output_serializer_class = s.PlanActionSerializer
    create_serializer_class = s.PlanActionCreateSerializer
    update_serializer_class = s.PlanActionUpdateSerializer
    remove_service = staticmethod(services.action_link_remove)
    part_name = "link"
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **_PLAN_CHILD,
            "action_item": ("not_in_account", "archived", "duplicate"),
            "title": ("required",),
            "due_on": ("required",),
            "owner": ("required", "invalid", *_PERSON),
            "owner_contact": ("required", "invalid"),
            "relationship": ("archived",),
        },
        "partial_update": _PLAN_CHILD,
        "destroy": _PLAN_CHILD,
        "restore": {"non_field_errors": ("not_restorable",)},
    }

    def select_list(self) -> QuerySet[PlanAction]:
        return PlanAction.objects.restrict(self.request.user, Action.VIEW).select_related(
            "action_item"
        )

    def select_one(self, action: Action = Action.VIEW) -> PlanAction:
        return selectors.action_link_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> PlanAction:
        plan = data.pop("plan")
        visibility = data.pop("visibility", None) or "customer"
        existing = data.pop("action_item", None)
        if existing is not None:
            return services.action_link_add(
                actor=self.request.user, plan=plan, action_item=existing, visibility=visibility
            )
        for name in ("title", "due_on"):
            if not data.get(name):
                raise DomainError(
                    "Name an existing action or give the new one's title and due date.",
                    field=name,
                    code="required",
                )
        return services.action_link_create(
            actor=self.request.user, plan=plan, visibility=visibility, **data
        )

    def perform_update_record(
        self, record: PlanAction, data: dict[str, Any], version: int
    ) -> PlanAction:
        return services.action_link_update(
            actor=self.request.user, link=record, expected_version=version, **data
        )


@extend_schema_view(
    create=extend_schema(
        description="Record a review of the plan held on a day: it sets the plan's last review "
        "and, when given, the next review date."
    ),
)
class PlanReviewViewSet(PlanPartViewSet):
    http_method_names = ["get", "post", "head", "options"]
    queryset = PlanReview.objects.none()
    filterset_class = PlanReviewFilterSet
    output_serializer_class = s.PlanReviewSerializer
    create_serializer_class = s.PlanReviewCreateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "history")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **_PLAN_CHILD,
            "held_on": ("future",),
            "next_review_on": ("invalid",),
        },
        "restore": {"non_field_errors": ("not_restorable",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> PlanReview:
        return selectors.review_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> PlanReview:
        return services.plan_review_record(actor=self.request.user, **data)


class PlanStandardFilterSet(StewardFilterSet):
    class Meta:
        model = PlanStandard
        fields = ["archived"]


@extend_schema_view(
    list=extend_schema(description="The company's plan standard (one record); inside users read."),
    partial_update=extend_schema(
        description="Switch rules on or off and set their parameters (administrators only)."
    ),
)
class PlanStandardViewSet(RecordViewSet):
    http_method_names = ["get", "patch", "head", "options"]
    queryset = PlanStandard.objects.none()
    filterset_class = PlanStandardFilterSet
    output_serializer_class = s.PlanStandardSerializer
    update_serializer_class = s.PlanStandardUpdateSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("partial_update", "history")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "partial_update": {"min_objectives": ("invalid",), "review_days": ("invalid",)}
    }

    def select_one(self, action: Action = Action.VIEW) -> PlanStandard:

        return get_for_user(
            PlanStandard.objects.all(), user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_update_record(
        self, record: PlanStandard, data: dict[str, Any], version: int
    ) -> PlanStandard:
        return services.standard_update(
            actor=self.request.user, standard=record, expected_version=version, **data
        )
