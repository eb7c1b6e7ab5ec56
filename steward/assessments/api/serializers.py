"""Serializers of the assessments API: outputs render rows, inputs only parse types."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from steward.assessments import selectors
from steward.assessments.choices import AnswerType, Verdict
from steward.assessments.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Question,
    QuestionnaireTemplate,
    Section,
    TemplateVersion,
)
from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.risk.choices import Depth, FindingSeverity
from steward.suppliers.models import Supplier

# --- the library -------------------------------------------------------------------------------


class QuestionnaireTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionnaireTemplate
        fields = ["id", "name", "description", "depth", "version", "archived_at", "created_at"]
        read_only_fields = fields


class QuestionnaireTemplateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    depth = serializers.ChoiceField(choices=Depth.choices)
    version = version_field()


class QuestionnaireQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id",
            "section",
            "ref",
            "text",
            "guidance",
            "answer_type",
            "choices",
            "compliant_answers",
            "weight",
            "evidence_required",
            "gap_severity",
            "applies_when_ref",
            "applies_when_answer",
            "order",
            "version",
        ]
        read_only_fields = fields


class QuestionnaireSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "template_version", "title", "order", "weight", "version"]
        read_only_fields = fields


class QuestionnaireVersionSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)

    class Meta:
        model = TemplateVersion
        fields = [
            "id",
            "template",
            "template_name",
            "number",
            "status",
            "note",
            "published_at",
            "published_by",
        ]
        read_only_fields = fields


def _versions(user: Any) -> Any:
    return selectors.version_list(user=user)


def _sections(user: Any) -> Any:
    return selectors.section_list(user=user)


class QuestionnaireSectionInputSerializer(serializers.Serializer):
    template_version = VisibleRelatedField(model=TemplateVersion, choices=_versions)
    title = serializers.CharField(max_length=120)
    weight = serializers.IntegerField(min_value=1, max_value=100, required=False, default=1)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    version = version_field()


class QuestionnaireSectionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    weight = serializers.IntegerField(min_value=1, max_value=100, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    version = version_field()


class QuestionnaireQuestionFieldsSerializer(serializers.Serializer):
    ref = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=5000)
    guidance = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    answer_type = serializers.ChoiceField(choices=AnswerType.choices)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    compliant_answers = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    weight = serializers.IntegerField(min_value=1, max_value=100, required=False)
    evidence_required = serializers.BooleanField(required=False)
    gap_severity = serializers.ChoiceField(choices=FindingSeverity.choices, required=False)
    applies_when_ref = serializers.CharField(max_length=20, allow_blank=True, required=False)
    applies_when_answer = serializers.CharField(max_length=200, allow_blank=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    version = version_field()


class QuestionnaireQuestionInputSerializer(QuestionnaireQuestionFieldsSerializer):
    section = VisibleRelatedField(model=Section, choices=_sections)


class QuestionnaireQuestionUpdateSerializer(QuestionnaireQuestionFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


# --- assessments -------------------------------------------------------------------------------


def _suppliers(user: Any) -> Any:
    return Supplier.objects.restrict(user, Action.VIEW)


def _published(user: Any) -> Any:
    return selectors.published_versions(user=user)


def _assessments(user: Any) -> Any:
    return selectors.assessment_list(user=user)


def _questions(user: Any) -> Any:
    return Question.objects.all() if user is not None else Question.objects.none()


class AssessmentSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(
        source="supplier.relationship.organization.display_name", read_only=True
    )
    template_name = serializers.CharField(source="template_version.template.name", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "supplier",
            "vendor_name",
            "template_version",
            "template_name",
            "status",
            "owner",
            "due_on",
            "sent_at",
            "submitted_at",
            "reviewer",
            "score",
            "completed_on",
            "note",
            "version",
        ]
        read_only_fields = fields


class AssessmentInputSerializer(serializers.Serializer):
    supplier = VisibleRelatedField(model=Supplier, choices=_suppliers)
    template_version = VisibleRelatedField(model=TemplateVersion, choices=_published)
    due_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class AssessmentSendSerializer(serializers.Serializer):
    due_on = serializers.DateField(required=False, allow_null=True)


class AssessmentCancelSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class AssessmentAnswerSerializer(serializers.ModelSerializer):
    question_ref = serializers.CharField(source="question.ref", read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "assessment",
            "question",
            "question_ref",
            "value",
            "comment",
            "answered_at",
            "verdict",
            "review_note",
            "reviewed_at",
            "finding",
            "version",
        ]
        read_only_fields = fields


class AssessmentAnswerInputSerializer(serializers.Serializer):
    assessment = VisibleRelatedField(model=Assessment, choices=_assessments)
    question = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.JSONField(
        allow_null=True,
        help_text='yes/no: "yes" or "no"; a choice\'s text; a list of choices; text; a '
        "number; a date (YYYY-MM-DD). Null clears the answer.",
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class AnswerReviewSerializer(serializers.Serializer):
    # The whole choice set, so the schema names one enum; "pending" is refused by the service.
    verdict = serializers.ChoiceField(
        choices=Verdict.choices, help_text="accepted, rejected or clarification."
    )
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class AnswerEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AnswerEvidence
        fields = [
            "id",
            "answer",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, evidence: AnswerEvidence) -> str:
        return reverse("answer-evidence-download", args=[evidence.pk])


class AnswerEvidenceInputSerializer(serializers.Serializer):
    assessment = VisibleRelatedField(model=Assessment, choices=_assessments)
    question = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    file = serializers.FileField()
