"""The assessments API: the questionnaire library, assessments and their actions, answers and
evidence. Each handler parses, calls one selector or service, and renders."""

from __future__ import annotations

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

from steward.assessments import selectors, services
from steward.assessments.api import serializers as s
from steward.assessments.filtersets import AssessmentFilterSet, TemplateFilterSet
from steward.assessments.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Question,
    QuestionnaireTemplate,
    Section,
    TemplateVersion,
)
from steward.core.access import Action, get_for_user, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.core.uploads import ALLOWED_TYPES, stored_file_response

FILE_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
# What the library's services answer with, per field (see services/templates.py).
FROZEN: dict[str, tuple[str, ...]] = {"non_field_errors": ("published",)}
QUESTION_CODES: dict[str, tuple[str, ...]] = {
    "non_field_errors": ("published", "archived"),
    "ref": ("duplicate",),
    "choices": ("invalid",),
    "compliant_answers": ("invalid",),
    "weight": ("invalid",),
    "applies_when_ref": ("invalid",),
}


def _refuse_readers(request: Request) -> None:
    if not principal_for(request.user).may_write:
        raise exceptions.PermissionDenied("You may not change records.")


# --- the library -------------------------------------------------------------------------------


class QuestionnaireTemplateViewSet(RecordViewSet):
    """Questionnaire templates. Every inside user reads them; administrators and IT security keep
    them. Creating one makes an empty draft version 1."""

    queryset = QuestionnaireTemplate.objects.none()
    filterset_class = TemplateFilterSet
    output_serializer_class = s.QuestionnaireTemplateSerializer
    create_serializer_class = s.QuestionnaireTemplateInputSerializer
    update_serializer_class = s.QuestionnaireTemplateInputSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        **RecordViewSet.action_input_serializers,
        "draft": serializers.Serializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"name": ("duplicate",)},
        "update": {"name": ("duplicate",)},
        "partial_update": {"name": ("duplicate",)},
        "draft": {"non_field_errors": ("draft_exists",)},
    }

    def perform_create_record(self, data: dict[str, Any]) -> Any:
        data.pop("version", None)
        return services.template_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.template_update(
            actor=self.request.user, template=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.template_archive(
            actor=self.request.user, template=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.template_restore(
            actor=self.request.user, template=record, expected_version=version
        )

    @extend_schema(request=None, responses={201: s.QuestionnaireVersionSerializer})
    @action(detail=True, methods=["post"])
    def draft(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the next version as a draft copied from the last one."""
        template = self.select_one(Action.CHANGE)
        version = services.template_draft_version(actor=request.user, template=template)
        return Response(
            self.render(version, s.QuestionnaireVersionSerializer), status=status.HTTP_201_CREATED
        )


class TemplateVersionViewSet(StewardViewSet):
    """Versions of the templates; a draft is published here, and is frozen from then on."""

    queryset = TemplateVersion.objects.none()
    output_serializer_class = s.QuestionnaireVersionSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("publish",)
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "publish": serializers.Serializer
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "publish": {"non_field_errors": ("not_publishable", "published")}
    }

    def select_list(self) -> QuerySet[TemplateVersion]:
        return selectors.version_list(user=self.request.user).order_by("template_id", "-number")

    @extend_schema(request=None, responses=s.QuestionnaireVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = self.select_one(Action.CHANGE)
        return self.answer(services.version_publish(actor=request.user, version=version))


class SectionViewSet(RecordViewSet):
    """Sections of a draft version; deleting one takes it out of the draft (archived)."""

    queryset = Section.objects.none()
    output_serializer_class = s.QuestionnaireSectionSerializer
    create_serializer_class = s.QuestionnaireSectionInputSerializer
    update_serializer_class = s.QuestionnaireSectionUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {**FROZEN, "weight": ("invalid",)},
        "update": {**FROZEN, "weight": ("invalid",)},
        "partial_update": {**FROZEN, "weight": ("invalid",)},
        "destroy": FROZEN,
        "restore": FROZEN,
    }

    def select_list(self) -> QuerySet[Section]:
        return selectors.section_list(user=self.request.user).select_related("template_version")

    def perform_create_record(self, data: dict[str, Any]) -> Any:
        data.pop("version", None)
        return services.section_add(
            actor=self.request.user, version=data.pop("template_version"), **data
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.section_update(
            actor=self.request.user, section=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.section_remove(
            actor=self.request.user, section=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.section_restore(
            actor=self.request.user, section=record, expected_version=version
        )


class QuestionViewSet(RecordViewSet):
    """Questions of a draft version; deleting one takes it out of the draft (archived)."""

    queryset = Question.objects.none()
    output_serializer_class = s.QuestionnaireQuestionSerializer
    create_serializer_class = s.QuestionnaireQuestionInputSerializer
    update_serializer_class = s.QuestionnaireQuestionUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": QUESTION_CODES,
        "update": QUESTION_CODES,
        "partial_update": QUESTION_CODES,
        "destroy": FROZEN,
        "restore": {**FROZEN, "ref": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[Question]:
        return selectors.question_list(user=self.request.user).filter(archived_at__isnull=True)

    def perform_create_record(self, data: dict[str, Any]) -> Any:
        data.pop("version", None)
        section = data.pop("section")
        return services.question_add(
            actor=self.request.user,
            section=section,
            ref=data.pop("ref"),
            text=data.pop("text"),
            answer_type=data.pop("answer_type"),
            **data,
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.question_update(
            actor=self.request.user, question=record, expected_version=version, **data
        )

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.question_remove(
            actor=self.request.user, question=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.question_restore(
            actor=self.request.user, question=record, expected_version=version
        )


# --- assessments -------------------------------------------------------------------------------


class AssessmentViewSet(StewardViewSet):
    """Security assessments of vendors. Portal users see their organization's sent assessments
    and submit them; IT security completes them; whoever may change the vendor sends them."""

    queryset = Assessment.objects.none()
    filterset_class = AssessmentFilterSet
    output_serializer_class = s.AssessmentSerializer
    sends_etag = True
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "send",
        "submit",
        "clarify",
        "complete",
        "cancel",
    )
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.AssessmentInputSerializer,
        "send": s.AssessmentSendSerializer,
        "submit": serializers.Serializer,
        "clarify": serializers.Serializer,
        "complete": serializers.Serializer,
        "cancel": s.AssessmentCancelSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "template_version": ("not_published", "archived"),
            "supplier": ("archived",),
            "note": ("invalid",),
        },
        "send": {"status": ("invalid_transition",), "due_on": ("due_on",)},
        "submit": {
            "non_field_errors": ("incomplete", "not_open"),
            "status": ("invalid_transition",),
        },
        "clarify": {"non_field_errors": ("nothing_to_clarify",), "status": ("invalid_transition",)},
        "complete": {"non_field_errors": ("unreviewed",), "status": ("invalid_transition",)},
        "cancel": {"note": ("required", "invalid"), "status": ("invalid_transition",)},
    }

    def select_list(self) -> QuerySet[Assessment]:
        return selectors.assessment_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> Assessment:
        return selectors.assessment_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_readers(request)
        data = self.parse()
        assessment = services.assessment_create(actor=request.user, **data)
        self.kwargs["pk"] = assessment.pk
        return self.answer(self.select_one(), code=status.HTTP_201_CREATED)

    def _act(self, call: Any) -> Response:
        call(self.select_one())
        return self.answer(self.select_one())

    @extend_schema(request=s.AssessmentSendSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send a draft to the vendor's portal users (they are notified)."""
        data = self.parse()
        return self._act(
            lambda a: services.assessment_send(
                actor=request.user, assessment=a, due_on=data.get("due_on")
            )
        )

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The vendor's portal user hands the answers to IT security."""
        return self._act(lambda a: services.assessment_submit(actor=request.user, assessment=a))

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def clarify(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send the answers marked for clarification back to the vendor."""
        return self._act(
            lambda a: services.assessment_request_clarification(actor=request.user, assessment=a)
        )

    @extend_schema(request=None, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Score the reviewed answers and raise a finding for every gap."""
        return self._act(lambda a: services.assessment_complete(actor=request.user, assessment=a))

    @extend_schema(request=s.AssessmentCancelSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.parse()
        return self._act(
            lambda a: services.assessment_cancel(
                actor=request.user, assessment=a, note=data["note"]
            )
        )


def _question_of(assessment: Assessment, pk: int) -> Question:
    """A question of the assessment's version (found through the assessment the user sees)."""
    question = (
        Question.objects.filter(
            pk=pk,
            section__template_version_id=assessment.template_version_id,
            archived_at__isnull=True,
        )
        .select_related("section")
        .first()
    )
    if question is None:
        raise serializers.ValidationError(
            {
                "question": [
                    exceptions.ErrorDetail("No such question in this assessment.", "does_not_exist")
                ]
            }
        )
    return question


class AnswerViewSet(StewardViewSet):
    """Answers. A portal user of the vendor saves them (POST, once per question: saving again
    replaces the value); IT security gives each a verdict."""

    queryset = Answer.objects.none()
    output_serializer_class = s.AssessmentAnswerSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "review")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.AssessmentAnswerInputSerializer,
        "review": s.AnswerReviewSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "value": ("invalid_answer",),
            "comment": ("invalid",),
            "question": ("does_not_exist", "invalid"),
            "non_field_errors": ("not_open",),
        },
        "review": {
            "note": ("required", "invalid"),
            "verdict": ("invalid_choice",),
            "non_field_errors": ("not_in_review",),
        },
    }

    def select_list(self) -> QuerySet[Answer]:
        answers = selectors.answer_list(user=self.request.user)
        assessment = self.request.query_params.get("assessment", "")
        if assessment.isdigit() and int(assessment) < 2**63:
            answers = answers.filter(assessment_id=int(assessment))
        return answers.order_by("assessment_id", "question__section__order", "question__order")

    def select_one(self, action: Action = Action.VIEW) -> Answer:
        return selectors.answer_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.parse()
        assessment = data["assessment"]
        answer = services.answer_save(
            actor=request.user,
            assessment=assessment,
            question=_question_of(assessment, data["question"]),
            value=data["value"],
            comment=data.get("comment", ""),
        )
        self.kwargs["pk"] = answer.pk
        return self.answer(self.select_one(), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.AnswerReviewSerializer, responses=s.AssessmentAnswerSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Accept, reject or ask for clarification (the last two with a note for the vendor)."""
        answer = self.select_one()
        data = self.parse()
        services.answer_review(
            actor=request.user, answer=answer, verdict=data["verdict"], note=data["note"]
        )
        return self.answer(self.select_one())


DOWNLOAD_RESPONSES: dict[Any, Any] = {
    (200, media_type): OpenApiTypes.BINARY for media_type in sorted(set(ALLOWED_TYPES.values()))
}


class AnswerEvidenceViewSet(StewardViewSet):
    """Evidence files on answers: uploaded by the vendor's portal users (multipart), downloaded
    by whoever may see the answer."""

    queryset = AnswerEvidence.objects.none()
    output_serializer_class = s.AnswerEvidenceSerializer
    parser_classes: ClassVar[list[Any]] = [MultiPartParser]  # type: ignore[misc]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "create": s.AnswerEvidenceInputSerializer
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            "file": FILE_CODES,
            "question": ("does_not_exist", "invalid"),
            "non_field_errors": ("not_open",),
        }
    }

    def select_list(self) -> QuerySet[AnswerEvidence]:
        return selectors.evidence_list(user=self.request.user).order_by("-created_at", "-pk")

    def select_one(self, action: Action = Action.VIEW) -> AnswerEvidence:
        return get_for_user(
            AnswerEvidence.objects.active(),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.parse()
        assessment = data["assessment"]
        evidence = services.evidence_add(
            actor=request.user,
            assessment=assessment,
            question=_question_of(assessment, data["question"]),
            upload=data["file"],
        )
        self.kwargs["pk"] = evidence.pk
        return self.answer(self.select_one(), code=status.HTTP_201_CREATED)

    @extend_schema(responses=DOWNLOAD_RESPONSES, description="The file, as it was uploaded.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        evidence = selectors.evidence_get(user=request.user, pk=self.kwargs["pk"])
        return stored_file_response(evidence)
