"""Reads on assessments and the questionnaire library, each starting from the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from steward.assessments import assessments_lifecycle
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
from steward.core.access import Action, get_for_user


def assessment_list(*, user: Any) -> QuerySet[Assessment]:
    return (
        Assessment.objects.restrict(user, Action.VIEW)
        .select_related(
            "supplier__relationship__organization", "template_version__template", "owner"
        )
        .order_by("due_on", "pk")
    )


def assessment_filterset(*, user: Any, filters: Any) -> AssessmentFilterSet:
    return AssessmentFilterSet(filters, queryset=assessment_list(user=user))


def assessment_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Assessment:
    return get_for_user(assessment_list(user=user), user=user, pk=pk, action=action)


def answer_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Answer:
    return get_for_user(
        Answer.objects.select_related("assessment", "question"), user=user, pk=pk, action=action
    )


def evidence_get(*, user: Any, pk: Any) -> AnswerEvidence:
    """One evidence file the user may see; anyone else's answers 404, as a missing one does."""
    return get_for_user(AnswerEvidence.objects.active(), user=user, pk=pk)


def answer_list(*, user: Any) -> QuerySet[Answer]:
    return Answer.objects.restrict(user, Action.VIEW).select_related("question")


def evidence_list(*, user: Any) -> QuerySet[AnswerEvidence]:
    return AnswerEvidence.objects.restrict(user, Action.VIEW).active()


@dataclass
class QuestionRow:
    question: Question
    answer: Answer | None
    evidence: list[AnswerEvidence]


@dataclass
class SectionRows:
    section: Section
    rows: list[QuestionRow]


def assessment_sheet(assessment: Assessment) -> list[SectionRows]:
    """The assessment's questions by section, each with its answer and current evidence.

    ``assessment`` was fetched through the policy; its questions come with it.
    """
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(assessment=assessment).prefetch_related(
            Prefetch(
                "evidence",
                queryset=AnswerEvidence.objects.active().order_by("created_at", "pk"),
                to_attr="current_evidence",
            )
        )
    }
    sections = Section.objects.filter(
        template_version_id=assessment.template_version_id, archived_at__isnull=True
    ).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.filter(archived_at__isnull=True).order_by("order", "pk"),
        )
    )
    sheet = []
    for section in sections.order_by("order", "pk"):
        rows = []
        for question in section.questions.all():
            answer = answers.get(question.pk)
            evidence = list(getattr(answer, "current_evidence", [])) if answer else []
            rows.append(QuestionRow(question=question, answer=answer, evidence=evidence))
        sheet.append(SectionRows(section=section, rows=rows))
    return sheet


def overdue_assessments(*, user: Any, today: dt.date) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(
        status__in=assessments_lifecycle.OPEN, due_on__lt=today, archived_at__isnull=True
    )


def vendor_assessments(*, user: Any, supplier_id: int) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(supplier_id=supplier_id).order_by("-created_at", "-pk")


def open_for_vendor_user(*, user: Any) -> QuerySet[Assessment]:
    """What a portal user has to answer: sent to their organization and open to them."""
    return assessment_list(user=user).filter(
        status__in=assessments_lifecycle.OPEN_TO_VENDOR, archived_at__isnull=True
    )


def awaiting_review(*, user: Any) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(
        status__in=assessments_lifecycle.AWAITING_REVIEW, archived_at__isnull=True
    )


# --- the library -------------------------------------------------------------------------------


def template_list(*, user: Any) -> QuerySet[QuestionnaireTemplate]:
    return (
        QuestionnaireTemplate.objects.restrict(user, Action.VIEW)
        .annotate(
            version_count=Count("versions"),
            published_count=Count("versions", filter=Q(versions__status="published")),
        )
        .order_by("name")
    )


def template_filterset(*, user: Any, filters: Any) -> TemplateFilterSet:
    return TemplateFilterSet(filters, queryset=template_list(user=user))


def template_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> QuestionnaireTemplate:
    return get_for_user(QuestionnaireTemplate.objects.all(), user=user, pk=pk, action=action)


def version_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> TemplateVersion:
    return get_for_user(
        TemplateVersion.objects.select_related("template"), user=user, pk=pk, action=action
    )


def version_list(*, user: Any) -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.restrict(user, Action.VIEW).select_related("template")


def published_versions(*, user: Any) -> QuerySet[TemplateVersion]:
    return (
        version_list(user=user)
        .filter(status="published", template__archived_at__isnull=True)
        .order_by("template__name", "-number")
    )


def section_list(*, user: Any) -> QuerySet[Section]:
    return Section.objects.restrict(user, Action.VIEW)


def question_list(*, user: Any) -> QuerySet[Question]:
    return Question.objects.restrict(user, Action.VIEW).select_related("section")
