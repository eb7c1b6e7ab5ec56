"""API endpoints of the scorecard engine.

Reads start from the access policy: templates and periods are reference data every inside user
reads (administrators write them); cards, their criterion scores and corrections follow their
relationship (and reach a counterparty's portal users while shared); measurements and improvement
plans follow their relationship; appeals follow their card; survey responses are listed to the
person asked. Writes go through the scorecard services, which name the field they refuse.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, get_for_user, require_create
from steward.core.api.fields import VisibleRelatedField
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.uploads import ALLOWED_TYPES, check_upload
from steward.parties.models import Relationship
from steward.scorecards import selectors
from steward.scorecards.api.serializers import (
    AppealAnswerSerializer,
    CorrectSerializer,
    CriterionScoreSerializer,
    ImprovementPlanCreateSerializer,
    ImprovementPlanSerializer,
    ImprovementPlanUpdateSerializer,
    ImprovementTargetCreateSerializer,
    ImprovementTargetSerializer,
    ImprovementTargetUpdateSerializer,
    MeasurementCreateSerializer,
    MeasurementSerializer,
    MeasurementUpdateSerializer,
    PlanCloseSerializer,
    ScoreAppealCreateSerializer,
    ScoreAppealSerializer,
    ScorecardDetailSerializer,
    ScorecardPeriodSerializer,
    ScorecardSerializer,
    ScorecardTemplateSerializer,
    ScoreCorrectionSerializer,
    ShareSerializer,
    StandingsSetSerializer,
    SurveyAnswerSerializer,
    SurveyResponseSerializer,
    TargetMetSerializer,
    TemplateCreateSerializer,
    TemplateUpdateSerializer,
    TemplateVersionCreateSerializer,
    TemplateVersionSerializer,
)
from steward.scorecards.choices import MeasurementSource
from steward.scorecards.filtersets import (
    CriterionScoreFilterSet,
    ImprovementPlanFilterSet,
    ImprovementTargetFilterSet,
    MeasurementFilterSet,
    ScoreAppealFilterSet,
    ScorecardFilterSet,
    ScorecardPeriodFilterSet,
    ScorecardTemplateFilterSet,
    ScoreCorrectionFilterSet,
    SurveyResponseFilterSet,
)
from steward.scorecards.models import (
    CriterionScore,
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScoreAppeal,
    Scorecard,
    ScorecardPeriod,
    ScorecardTemplate,
    ScoreCorrection,
    SurveyResponse,
)

_CRITERIA_ERRORS = ("invalid", "weights", "duplicate", "required")


class NoRestoreMixin:
    """Records whose services archive nothing: no restore (and no delete: each class leaves
    "delete" out of its ``http_method_names``); history stays."""

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        return [a for a in super().get_extra_actions() if a.__name__ != "restore"]  # type: ignore[misc]


# --- templates -----------------------------------------------------------------------------------


# What the standings' checks (steward/scorecards/standings.py) may answer, row by row.
_STANDINGS_ERRORS = (
    "invalid",
    "band_invalid",
    "bands_required",
    "consequence_unknown",
    "consequences_invalid",
    "field_unknown",
    "lower_invalid",
    "lower_not_increasing",
    "lower_out_of_range",
    "lower_required",
    "lowest_not_zero",
    "name_duplicate",
    "name_required",
    "row_invalid",
)


@extend_schema_view(
    list=extend_schema(description="Scorecard templates; every inside user reads them."),
    create=extend_schema(
        description=(
            "A template with its version 1 (administrators only). Weights sum to 100; a refused "
            "criterion answers on attr `criteria`, its message naming the row and the field."
        )
    ),
    partial_update=extend_schema(
        description="Rename, describe, make default (administrators); needs the version read."
    ),
)
class ScorecardTemplateViewSet(NoRestoreMixin, RecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ScorecardTemplate.objects.none()
    filterset_class = ScorecardTemplateFilterSet
    output_serializer_class = ScorecardTemplateSerializer
    create_serializer_class = TemplateCreateSerializer
    update_serializer_class = TemplateUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        "versions": TemplateVersionCreateSerializer,
        "standings": StandingsSetSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "partial_update",
        "versions",
        "standings",
        "history",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "criteria": _CRITERIA_ERRORS,
            "name": ("invalid", "duplicate"),
            "standings": _STANDINGS_ERRORS,
        },
        "versions": {"criteria": (*_CRITERIA_ERRORS, "version_in_use")},
        "standings": {"standings": _STANDINGS_ERRORS},
    }

    def get_output_serializer_class(self) -> Any:
        if self.action == "versions":
            return TemplateVersionSerializer
        return super().get_output_serializer_class()

    def select_one(self, action: Action = Action.VIEW) -> ScorecardTemplate:
        return selectors.template_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_create(request.user, ScorecardTemplate)
        return super().create(request, *args, **kwargs)

    def perform_create_record(self, data: dict[str, Any]) -> ScorecardTemplate:
        from steward.scorecards.services.templates import template_create

        data["criteria"] = [dict(row) for row in data["criteria"]]
        if "standings_rows" in data:
            data["standings_rows"] = [dict(row) for row in data["standings_rows"]]
        return template_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ScorecardTemplate, data: dict[str, Any], version: int
    ) -> ScorecardTemplate:
        from steward.scorecards.services.templates import template_update

        return template_update(
            actor=self.request.user, template=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def versions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """New criteria, applying from the next period start (administrators only)."""
        from steward.scorecards.services.templates import template_version_create

        template = self.select_one(Action.CHANGE)
        data = self.parse()
        version = template_version_create(
            actor=request.user,
            template=template,
            criteria=[dict(row) for row in data["criteria"]],
            note=data["note"],
        )
        return Response(self.render(version), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def standings(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Replace the standings bands, lowest first (administrators only)."""
        from steward.scorecards.services.templates import template_standings_set

        template = self.select_one(Action.CHANGE)
        rows = [dict(row) for row in self.parse()["rows"]]
        return self.answer(template_standings_set(actor=request.user, template=template, rows=rows))


# --- periods -------------------------------------------------------------------------------------


class ScorecardPeriodViewSet(StewardViewSet):
    """Periods of the templates; every inside user reads them, administrators close them."""

    queryset = ScorecardPeriod.objects.none()
    filterset_class = ScorecardPeriodFilterSet
    output_serializer_class = ScorecardPeriodSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"close": serializers.Serializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = ("close",)

    def select_list(self) -> QuerySet[ScorecardPeriod]:
        return selectors.period_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> ScorecardPeriod:
        return selectors.period_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Score the period one last time and freeze it (administrators only)."""
        from steward.scorecards.services.periods import period_close

        period = self.select_one(Action.CHANGE)
        return self.answer(period_close(actor=request.user, period=period))


# --- cards ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description=(
            "Cards the user may see: of relationships they see, or (portal users) of their "
            "organization while shared."
        )
    )
)
class ScorecardViewSet(StewardViewSet):
    queryset = Scorecard.objects.none()
    filterset_class = ScorecardFilterSet
    output_serializer_class = ScorecardDetailSerializer
    list_serializer_class = ScorecardSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        "share": ShareSerializer,
        "correct": CorrectSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = ("share", "correct")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "correct": {"criterion": ("invalid",), "reason": ("required",), "appeal": ("invalid",)},
    }

    def get_output_serializer_class(self) -> Any:
        if self.action == "correct":
            return ScoreCorrectionSerializer
        return super().get_output_serializer_class()

    def select_list(self) -> QuerySet[Scorecard]:
        return selectors.card_list(user=self.request.user).order_by("-period__starts_on", "pk")

    def select_one(self, action: Action = Action.VIEW) -> Scorecard:
        return selectors.card_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    @action(detail=True, methods=["post"])
    def share(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Share the card with the counterparty's portal users, or stop sharing it."""
        from steward.scorecards.services.feedback import card_share

        card = self.select_one(Action.CHANGE)
        shared = card_share(actor=request.user, card=card, shared=self.parse()["shared"])
        return self.answer(selectors.card_get(user=request.user, pk=shared.pk))

    @action(detail=True, methods=["post"])
    def correct(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct one criterion's score; the card is re-weighted and the correction recorded.
        This is the only way a closed card changes."""
        from steward.scorecards.services.feedback import card_correct

        card = self.select_one(Action.CHANGE)
        data = self.parse()
        criterion = card.period.version.criteria.filter(pk=data["criterion"]).first()
        if criterion is None:
            raise serializers.ValidationError(
                {"criterion": [exceptions.ErrorDetail("Not a criterion of this card.", "invalid")]}
            )
        appeal = None
        if data.get("appeal") is not None:
            appeal = card.appeals.filter(pk=data["appeal"]).first()
            if appeal is None:
                raise serializers.ValidationError(
                    {"appeal": [exceptions.ErrorDetail("Not an appeal of this card.", "invalid")]}
                )
        correction = card_correct(
            actor=request.user,
            card=card,
            criterion=criterion,
            to_score=data["to_score"],
            reason=data["reason"],
            appeal=appeal,
        )
        return Response(self.render(correction), status=status.HTTP_201_CREATED)


class CriterionScoreViewSet(StewardViewSet):
    """Per-criterion scores of the cards the user may see."""

    queryset = CriterionScore.objects.none()
    filterset_class = CriterionScoreFilterSet
    output_serializer_class = CriterionScoreSerializer

    def select_list(self) -> QuerySet[CriterionScore]:
        return (
            CriterionScore.objects.restrict(self.request.user, Action.VIEW)
            .select_related("criterion")
            .order_by("card_id", "criterion__position", "pk")
        )


class ScoreCorrectionViewSet(StewardViewSet):
    """Recorded corrections (made through `scorecards/{id}/correct/`)."""

    queryset = ScoreCorrection.objects.none()
    filterset_class = ScoreCorrectionFilterSet
    output_serializer_class = ScoreCorrectionSerializer


# --- measurements --------------------------------------------------------------------------------

_MEASUREMENT_ERRORS: dict[str, tuple[str, ...]] = {
    "measure": ("invalid",),
    "measured_on": ("duplicate",),
    "value": ("invalid",),
}


_IMPORT_TYPES = {ext: ALLOWED_TYPES[ext] for ext in (".csv", ".xlsx")}


def _importable_relationships(user: Any) -> Any:
    return Relationship.objects.restrict(user, Action.VIEW)


class ScoreMeasurementImportSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_importable_relationships, help_text="Relationship id."
    )
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX; first row: measure, date, value and optionally note."
    )


class ScoreMeasurementImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Measurements written.")
    updated = serializers.IntegerField(help_text="Stored measurements whose value changed.")
    unchanged = serializers.IntegerField(help_text="Rows already stored with the same value.")


@extend_schema_view(
    create=extend_schema(
        description=(
            "Record a value of a recorded measure (source `api`); one per relationship, "
            "measure and day (`duplicate` on `measured_on`)."
        )
    ),
    destroy=extend_schema(description="Archive the value: it no longer counts; restorable."),
)
class MeasurementViewSet(RecordViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Measurement.objects.none()
    filterset_class = MeasurementFilterSet
    output_serializer_class = MeasurementSerializer
    create_serializer_class = MeasurementCreateSerializer
    update_serializer_class = MeasurementUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _MEASUREMENT_ERRORS,
        "partial_update": _MEASUREMENT_ERRORS,
        "restore": {"measured_on": ("duplicate",)},
        "import_file": {
            "file": (
                "import_refused",
                "file_type",
                "file_empty",
                "file_too_large",
                "file_content",
            ),
            "non_field_errors": ("archived",),
        },
    }
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **RecordViewSet.action_input_serializers,
        "import_file": ScoreMeasurementImportSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *RecordViewSet.forbidden_actions,
        "import_file",
    )

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return ScoreMeasurementImportResultSerializer
        return super().get_output_serializer_class()

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Import a CSV or XLSX file of a relationship's measurements: all rows or none.

        Columns: measure, date, value and optionally note. A refused file writes nothing and is
        answered 400 with one error on `file` (code `import_refused`) per problem, each naming
        its row and column, e.g. "row 3, measure: “uptime” is not a recorded measure …".
        Importing the same file again adds nothing; a changed value updates the stored one.
        """
        from steward.scorecards.measurement_import import measurements_import

        data = self.parse()
        upload = data["file"]
        check_upload(upload, allowed=_IMPORT_TYPES)
        # A refused file is answered by the API's error handler, row by row.
        result = measurements_import(
            actor=request.user,
            relationship=data["relationship"],
            file=upload,
            filename=upload.name or "",
        )
        body = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        return Response(
            ScoreMeasurementImportResultSerializer(body).data, status=status.HTTP_201_CREATED
        )

    def select_one(self, action: Action = Action.VIEW) -> Measurement:
        return selectors.measurement_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> Measurement:
        from steward.scorecards.services.measurements import measurement_record

        return measurement_record(actor=self.request.user, source=MeasurementSource.API, **data)

    def perform_update_record(
        self, record: Measurement, data: dict[str, Any], version: int
    ) -> Measurement:
        from steward.scorecards.services.measurements import measurement_update

        return measurement_update(
            actor=self.request.user, measurement=record, expected_version=version, **data
        )

    def perform_archive(self, record: Measurement, version: int | None) -> Measurement:
        from steward.scorecards.services.measurements import measurement_archive

        return measurement_archive(
            actor=self.request.user, measurement=record, expected_version=version
        )

    def perform_restore(self, record: Measurement, version: int | None) -> Measurement:
        from steward.scorecards.services.measurements import measurement_restore

        return measurement_restore(
            actor=self.request.user, measurement=record, expected_version=version
        )


# --- surveys -------------------------------------------------------------------------------------


class SurveyResponseViewSet(StewardViewSet):
    """The ratings the user is asked for (their own only); answer one with `answer`."""

    queryset = SurveyResponse.objects.none()
    filterset_class = SurveyResponseFilterSet
    output_serializer_class = SurveyResponseSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"respond": SurveyAnswerSerializer}
    validation_error_codes: ClassVar[ErrorCodes] = {
        "respond": {"rating": ("rating_out_of_range", "survey_closed")},
    }

    def _mine(self) -> QuerySet[SurveyResponse]:
        return SurveyResponse.objects.filter(
            respondent_id=getattr(self.request.user, "pk", None)
        ).select_related("survey__relationship__organization", "criterion")

    def select_list(self) -> QuerySet[SurveyResponse]:
        return self._mine().order_by("survey__closes_on", "survey_id", "criterion__position", "pk")

    def select_one(self, action: Action = Action.VIEW) -> SurveyResponse:
        return get_for_user(self._mine(), user=self.request.user, pk=self.kwargs["pk"])

    @action(detail=True, methods=["post"], url_path="answer", url_name="answer")
    def respond(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rate 1-5 with an optional comment; answering again replaces it until the survey
        closes."""
        from steward.scorecards.services.surveys import survey_answer

        response = self.select_one()
        data = self.parse()
        answered = survey_answer(
            actor=request.user,
            response=response,
            rating=data["rating"],
            comment=data.get("comment", ""),
        )
        return Response(self.render(self._mine().get(pk=answered.pk)))


# --- improvement plans ---------------------------------------------------------------------------

_PLAN_ERRORS: dict[str, tuple[str, ...]] = {
    "relationship": ("plan_open",),
    "due_on": ("invalid",),
    "title": ("invalid",),
    "non_field_errors": ("closed",),
}


class ImprovementPlanViewSet(NoRestoreMixin, RecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ImprovementPlan.objects.none()
    filterset_class = ImprovementPlanFilterSet
    output_serializer_class = ImprovementPlanSerializer
    create_serializer_class = ImprovementPlanCreateSerializer
    update_serializer_class = ImprovementPlanUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"close": PlanCloseSerializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "partial_update",
        "close",
        "history",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _PLAN_ERRORS,
        "partial_update": _PLAN_ERRORS,
        "close": {
            "status": ("invalid", "no_targets", "targets_open"),
            "reason": ("required",),
        },
    }

    def select_one(self, action: Action = Action.VIEW) -> ImprovementPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> ImprovementPlan:
        from steward.scorecards.services.plans import improvement_plan_create

        return improvement_plan_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ImprovementPlan, data: dict[str, Any], version: int
    ) -> ImprovementPlan:
        from steward.scorecards.services.plans import improvement_plan_update

        return improvement_plan_update(
            actor=self.request.user, plan=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close the plan as met (every target met) or closed (with a reason)."""
        from steward.scorecards.services.plans import improvement_plan_close

        plan = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(
            improvement_plan_close(
                actor=request.user,
                plan=plan,
                status=data["status"],
                reason=data.get("reason", ""),
                expected_version=data.get("version"),
            )
        )


class ImprovementTargetViewSet(NoRestoreMixin, RecordViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ImprovementTarget.objects.none()
    filterset_class = ImprovementTargetFilterSet
    output_serializer_class = ImprovementTargetSerializer
    create_serializer_class = ImprovementTargetCreateSerializer
    update_serializer_class = ImprovementTargetUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"met": TargetMetSerializer}
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "partial_update", "met", "history")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"criterion_code": ("invalid",), "target_score": ("invalid",)},
        "met": {"met_on": ("invalid",)},
    }

    def select_one(self, action: Action = Action.VIEW) -> ImprovementTarget:
        return selectors.target_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> ImprovementTarget:
        from steward.scorecards.services.plans import improvement_target_add

        return improvement_target_add(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ImprovementTarget, data: dict[str, Any], version: int
    ) -> ImprovementTarget:
        from steward.scorecards.services.plans import improvement_target_update

        return improvement_target_update(
            actor=self.request.user, target=record, expected_version=version, **data
        )

    @action(detail=True, methods=["post"])
    def met(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record the target met (today unless a day is given)."""
        from steward.scorecards.services.plans import improvement_target_mark_met

        target = self.select_one(Action.CHANGE)
        data = self.parse()
        return self.answer(improvement_target_mark_met(actor=request.user, target=target, **data))


# --- appeals -------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        description=(
            "Comment on or appeal a card: inside users who see it, and the counterparty's "
            "portal users while it is shared with them."
        )
    )
)
class ScoreAppealViewSet(NoRestoreMixin, RecordViewSet):
    queryset = ScoreAppeal.objects.none()
    filterset_class = ScoreAppealFilterSet
    output_serializer_class = ScoreAppealSerializer
    create_serializer_class = ScoreAppealCreateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"reply": AppealAnswerSerializer}
    http_method_names = ["get", "post", "head", "options"]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "reply", "history")
    versioned_actions: ClassVar[tuple[str, ...]] = ()
    version_required_actions: ClassVar[tuple[str, ...]] = ()
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"criterion_code": ("invalid",), "body": ("required",), "kind": ("invalid",)},
        "reply": {"answer": ("required",), "uphold": ("no_correction",)},
    }

    def select_list(self) -> QuerySet[ScoreAppeal]:
        return (
            ScoreAppeal.objects.restrict(self.request.user, Action.VIEW)
            .filter(archived_at__isnull=True)
            .select_related("raised_by")
        )

    def select_one(self, action: Action = Action.VIEW) -> ScoreAppeal:
        return selectors.appeal_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Portal users may appeal a card shared with them: the service decides, not may_write.
        from steward.scorecards.services.feedback import appeal_raise

        data = self.parse()
        appeal = appeal_raise(actor=request.user, **data)
        return self.answer(appeal, code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="answer", url_name="answer")
    def reply(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answer an appeal; `uphold` once a correction was recorded for it."""
        from steward.scorecards.services.feedback import appeal_answer

        appeal = self.select_one()
        data = self.parse()
        return self.answer(
            appeal_answer(
                actor=request.user,
                appeal=appeal,
                answer=data["answer"],
                uphold=data.get("uphold", False),
            )
        )
