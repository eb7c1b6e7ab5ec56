"""Writes on the questionnaire library: templates, their versions, sections and questions.

Only a draft version is edited. Publishing checks the whole version (at least one question,
compliant answers valid for each type, "applies when" naming a question of the version) and
freezes it; a change after that is a new draft copied from the last version. Administrators and
IT security keep the library (the models' access spec says so; ``require`` asks it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steward.assessments import answer_values
from steward.assessments.choices import AnswerType, VersionStatus
from steward.assessments.models import Question, QuestionnaireTemplate, Section, TemplateVersion
from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    create_record,
    lock_for_update,
    refuse_unknown_fields,
    restore_record,
    save_with_history,
    update_record,
    validate_fields,
)

TEMPLATE_FIELDS = frozenset({"name", "description", "depth"})
SECTION_FIELDS = frozenset({"title", "order", "weight"})
QUESTION_FIELDS = frozenset(
    {
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
    }
)
CHOICE_TYPES = frozenset({AnswerType.SINGLE, AnswerType.MULTIPLE})


# --- templates ---------------------------------------------------------------------------------


def template_create(
    *, actor: Any, name: str, depth: str, description: str = ""
) -> QuestionnaireTemplate:
    """A new template with an empty draft version 1."""
    require_create(actor, QuestionnaireTemplate)
    name = (name or "").strip()
    if QuestionnaireTemplate.objects.filter(name__iexact=name).exists():
        raise DuplicateError(f"A template named “{name}” exists already.", field="name")
    template = QuestionnaireTemplate(name=name, depth=depth, description=description.strip())
    validate_fields(template)
    with transaction.atomic():
        create_record(template, actor=actor)
        create_record(
            TemplateVersion(template=template, number=1), actor=actor, reason="First draft"
        )
    return template


def template_update(
    *,
    actor: Any,
    template: QuestionnaireTemplate,
    expected_version: int | None,
    **changes: Any,
) -> QuestionnaireTemplate:
    refuse_unknown_fields(changes, TEMPLATE_FIELDS)
    require(actor, Action.CHANGE, template)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        clash = QuestionnaireTemplate.objects.filter(name__iexact=changes["name"]).exclude(
            pk=template.pk
        )
        if clash.exists():
            raise DuplicateError(
                f"A template named “{changes['name']}” exists already.", field="name"
            )
    return update_record(
        template,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=validate_fields,
        reason="Template changed",
    )


def template_draft_version(*, actor: Any, template: QuestionnaireTemplate) -> TemplateVersion:
    """The next version as a draft, copied from the last one: the way to change a template."""
    require(actor, Action.CHANGE, template)
    with transaction.atomic():
        QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
        if TemplateVersion.objects.filter(template=template, status=VersionStatus.DRAFT).exists():
            raise DomainError(
                "This template has a draft already: edit it, or publish it first.",
                code="draft_exists",
            )
        last = TemplateVersion.objects.filter(template=template).order_by("-number").first()
        number = (last.number if last else 0) + 1
        draft = create_record(
            TemplateVersion(template=template, number=number),
            actor=actor,
            reason=f"Draft copied from v{last.number}" if last else "First draft",
        )
        if last is not None:
            _copy_content(last, draft, actor=actor)
    return draft


def _copy_content(source: TemplateVersion, target: TemplateVersion, *, actor: Any) -> None:
    for section in source.sections.filter(archived_at__isnull=True).order_by("order", "pk"):
        copy = create_record(
            Section(
                template_version=target,
                title=section.title,
                order=section.order,
                weight=section.weight,
            ),
            actor=actor,
            reason="Copied",
        )
        for question in section.questions.filter(archived_at__isnull=True).order_by("order", "pk"):
            create_record(
                Question(
                    section=copy,
                    **{name: getattr(question, name) for name in QUESTION_FIELDS},
                ),
                actor=actor,
                reason="Copied",
            )


def _require_draft(version: TemplateVersion) -> None:
    # Read from the database: the caller's copy may predate a publish.
    status = TemplateVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status != VersionStatus.DRAFT:
        raise DomainError(
            f"Version {version.number} is published and cannot change; start a new draft.",
            code="published",
        )


# --- sections ----------------------------------------------------------------------------------


def _check_weight(weight: Any, field: str = "weight") -> None:
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
        raise DomainError(f"A weight is a whole number from 1 to 100, not {weight!r}.", field=field)


def section_add(
    *, actor: Any, version: TemplateVersion, title: str, weight: int = 1, order: int | None = None
) -> Section:
    require(actor, Action.CHANGE, version)
    _require_draft(version)
    _check_weight(weight)
    if order is None:
        order = (version.sections.aggregate(top=Max("order"))["top"] or 0) + 1
    section = Section(
        template_version=version, title=(title or "").strip(), weight=weight, order=order
    )
    validate_fields(section, exclude=["template_version"])
    return create_record(section, actor=actor, reason="Section added")


def section_update(
    *, actor: Any, section: Section, expected_version: int | None = None, **changes: Any
) -> Section:
    refuse_unknown_fields(changes, SECTION_FIELDS)
    require(actor, Action.CHANGE, section)
    _require_draft(section.template_version)
    if "weight" in changes:
        _check_weight(changes["weight"])
    return update_record(
        section,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=lambda s: validate_fields(s, exclude=["template_version"]),
        reason="Section changed",
    )


# --- questions ---------------------------------------------------------------------------------


def _clean_list(values: Any, field: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise DomainError("Give a list of texts.", field=field)
    cleaned = [v.strip() for v in values if v.strip()]
    if len(set(cleaned)) != len(cleaned):
        raise DomainError("Each value may appear only once.", field=field)
    return cleaned


def _check_question(question: Question) -> None:
    """A question's own rules; those across questions are checked when the version is published."""
    _check_weight(question.weight)
    question.choices = _clean_list(question.choices, "choices")
    question.compliant_answers = _clean_list(question.compliant_answers, "compliant_answers")
    if question.answer_type in CHOICE_TYPES and len(question.choices) < 2:
        raise DomainError("A choice question needs at least two choices.", field="choices")
    if question.answer_type not in CHOICE_TYPES and question.choices:
        raise DomainError("Only choice questions have choices.", field="choices")
    allowed = answer_values.allowed_compliant(question.answer_type, question.choices)
    if allowed is None and question.compliant_answers:
        raise DomainError(
            "Text, number and date answers have no compliant value: the reviewer judges them.",
            field="compliant_answers",
        )
    unknown = [value for value in question.compliant_answers if value not in (allowed or ())]
    if unknown:
        raise DomainError(
            f"{', '.join(unknown)} cannot be a compliant answer; choose from "
            f"{', '.join(allowed or ())}.",
            field="compliant_answers",
        )
    if question.answer_type == AnswerType.SINGLE and len(question.compliant_answers) == len(
        question.choices
    ):
        raise DomainError(
            "If every choice is compliant the question measures nothing.",
            field="compliant_answers",
        )
    if bool(question.applies_when_ref) != bool(question.applies_when_answer):
        raise DomainError(
            "“Applies when” names both a question's reference and the answer it needs.",
            field="applies_when_ref",
        )
    validate_fields(question, exclude=["section"])


def _check_ref_free(section: Section, ref: str, *, exclude_pk: int | None = None) -> None:
    clash = Question.objects.filter(
        section__template_version_id=section.template_version_id,
        ref__iexact=ref,
        archived_at__isnull=True,
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DuplicateError(f"This version has a question {ref} already.", field="ref")


def question_add(
    *, actor: Any, section: Section, ref: str, text: str, answer_type: str, **fields: Any
) -> Question:
    refuse_unknown_fields(fields, QUESTION_FIELDS)
    require(actor, Action.CHANGE, section)
    _require_draft(section.template_version)
    ref = (ref or "").strip()
    _check_ref_free(section, ref)
    if "order" not in fields:
        fields["order"] = (section.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    question = Question(
        section=section, ref=ref, text=(text or "").strip(), answer_type=answer_type, **fields
    )
    _check_question(question)
    return create_record(question, actor=actor, reason="Question added")


def question_update(
    *, actor: Any, question: Question, expected_version: int | None = None, **changes: Any
) -> Question:
    refuse_unknown_fields(changes, QUESTION_FIELDS)
    require(actor, Action.CHANGE, question)
    _require_draft(question.section.template_version)
    if "ref" in changes:
        changes["ref"] = (changes["ref"] or "").strip()
        _check_ref_free(question.section, changes["ref"], exclude_pk=question.pk)
    return update_record(
        question,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        validate=_check_question,
        reason="Question changed",
    )


def question_remove(
    *, actor: Any, question: Question, expected_version: int | None = None
) -> Question:
    """Take a question out of a draft (archived, so its history stays)."""
    require(actor, Action.CHANGE, question)
    _require_draft(question.section.template_version)
    return archive_record(
        question, actor=actor, expected_version=expected_version, reason="Question removed"
    )


def question_restore(
    *, actor: Any, question: Question, expected_version: int | None = None
) -> Question:
    """Put a removed question back into its draft."""
    require(actor, Action.CHANGE, question)
    _require_draft(question.section.template_version)
    if question.is_archived:
        _check_ref_free(question.section, question.ref, exclude_pk=question.pk)
    return restore_record(question, actor=actor, expected_version=expected_version)


def section_remove(*, actor: Any, section: Section, expected_version: int | None = None) -> Section:
    """Take a section (and so its questions) out of a draft."""
    require(actor, Action.CHANGE, section)
    _require_draft(section.template_version)
    return archive_record(
        section, actor=actor, expected_version=expected_version, reason="Section removed"
    )


def section_restore(
    *, actor: Any, section: Section, expected_version: int | None = None
) -> Section:
    require(actor, Action.CHANGE, section)
    _require_draft(section.template_version)
    return restore_record(section, actor=actor, expected_version=expected_version)


def template_archive(
    *, actor: Any, template: QuestionnaireTemplate, expected_version: int | None = None
) -> QuestionnaireTemplate:
    """Retire a template: no new assessment uses it; those made on it keep their version."""
    require(actor, Action.DELETE, template)
    return archive_record(template, actor=actor, expected_version=expected_version)


def template_restore(
    *, actor: Any, template: QuestionnaireTemplate, expected_version: int | None = None
) -> QuestionnaireTemplate:
    require(actor, Action.DELETE, template)
    return restore_record(template, actor=actor, expected_version=expected_version)


# --- publishing --------------------------------------------------------------------------------


def version_problems(version: TemplateVersion) -> list[str]:
    """Why ``version`` cannot be published yet; empty when it can."""
    sections = list(version.sections.filter(archived_at__isnull=True))
    questions = list(
        Question.objects.filter(section__in=sections, archived_at__isnull=True).select_related(
            "section"
        )
    )
    problems: list[str] = []
    if not questions:
        problems.append("A version needs at least one question.")
    problems.extend(
        f"Section “{s.title}” needs a weight from 1 to 100." for s in sections if s.weight < 1
    )
    problems.extend(
        f"Section “{s.title}” has no questions."
        for s in sections
        if not any(q.section_id == s.pk for q in questions)
    )
    by_ref = {q.ref: q for q in questions}
    for question in questions:
        try:
            _check_question(question)
        except DomainError as error:
            problems.append(f"{question.ref}: {error.message}")
        if question.applies_when_ref:
            problems.extend(_condition_problems(question, by_ref))
    return problems


def _condition_problems(question: Question, by_ref: Mapping[str, Question]) -> Sequence[str]:
    condition = by_ref.get(question.applies_when_ref)
    if condition is None or condition.pk == question.pk:
        return [f"{question.ref}: applies when {question.applies_when_ref}, not in this version."]
    if condition.answer_type not in (AnswerType.YES_NO, *CHOICE_TYPES):
        return [f"{question.ref}: a condition must be a yes/no or choice question."]
    try:
        answer_values.parse_value(
            condition.answer_type, condition.choices, question.applies_when_answer
        )
    except answer_values.ValueRefusedError as refused:
        return [f"{question.ref}: the condition's answer does not fit ({refused})."]
    return []


def version_publish(*, actor: Any, version: TemplateVersion) -> TemplateVersion:
    """Freeze a draft version; from now on assessments may be made on it."""
    require(actor, Action.CHANGE, version)
    with transaction.atomic():
        locked = lock_for_update(version, expected_version=None)
        _require_draft(locked)
        problems = version_problems(locked)
        if problems:
            raise DomainError(" ".join(problems), code="not_publishable")
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor
        return save_with_history(locked, actor=actor, reason=f"Version {locked.number} published")


def published_version_for(depth: str) -> TemplateVersion | None:
    """The newest published version of a current template of ``depth``."""
    return (
        TemplateVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            template__depth=depth,
            template__archived_at__isnull=True,
        )
        .select_related("template")
        .order_by("template__name", "-number")
        .first()
    )
