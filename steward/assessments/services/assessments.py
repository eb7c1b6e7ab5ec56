"""Writes on assessments: create and send, answer in the portal, review, complete, cancel.

Every status change goes through ``_move``, which applies the table in assessments_lifecycle.py.
Portal writes (answers, evidence, submit) fetch the assessment through the policy for VIEW and
then check that the actor is a portal user of the vendor's organization and that the assessment
is open to the vendor: nobody else answers. Verdicts and completion are IT security's (and
administrators'). Completing turns every gap into a risk finding linked to its answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from steward.assessments import answer_values, assessments_lifecycle, scoring
from steward.assessments.choices import AssessmentStatus, Verdict
from steward.assessments.models import (
    ASSESSMENT_FUNCTIONS,
    Answer,
    AnswerEvidence,
    Assessment,
    Question,
    TemplateVersion,
)
from steward.core.access import Action, principal_for, require, require_create
from steward.core.errors import DomainError, TransitionError
from steward.core.notifications import Alert, notifications_send
from steward.core.services import create_record, lock_for_update, save_with_history
from steward.core.uploads import store_upload
from steward.people.choices import UserKind
from steward.risk.choices import FindingSeverity, FindingSource
from steward.risk.services import finding_open, risk_profile_mark_assessed
from steward.suppliers.models import Supplier

SENT_ALERT = "assessments.sent"
SUBMITTED_ALERT = "assessments.submitted"
CLARIFICATION_ALERT = "assessments.clarification"
# Days a vendor has to remediate a gap, by the severity the question gives it.
REMEDIATION_DAYS: dict[str, int] = {
    FindingSeverity.CRITICAL: 30,
    FindingSeverity.HIGH: 60,
    FindingSeverity.MEDIUM: 90,
    FindingSeverity.LOW: 180,
}
VERDICTS_NEEDING_NOTE = frozenset({Verdict.REJECTED, Verdict.CLARIFICATION})


# --- helpers -----------------------------------------------------------------------------------


def _plain_text(value: str | None, field: str) -> str:
    """Free text as typed, trimmed; a NUL character (which no database column keeps) refused."""
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError("Remove the NUL character from the text.", field=field, code="invalid")
    return text


def _move(assessment: Assessment, to_status: str) -> None:
    if not assessments_lifecycle.can_move(assessment.status, to_status):
        raise TransitionError(
            f"An assessment cannot move from {assessment.get_status_display()} to "
            f"{AssessmentStatus(to_status).label}.",
            field="status",
        )
    assessment.status = to_status


def _locked(assessment: Assessment) -> Assessment:
    return lock_for_update(assessment, expected_version=None)


def _organization_id(assessment: Assessment) -> int:
    return int(
        Supplier.objects.filter(pk=assessment.supplier_id).values_list(
            "relationship__organization_id", flat=True
        )[0]
    )


def _require_vendor_user(actor: Any, assessment: Assessment) -> None:
    """Only the vendor's own portal users answer, and only while it is open to them."""
    require(actor, Action.VIEW, assessment)
    principal = principal_for(actor)
    if not principal.is_external or principal.portal_organization_id != _organization_id(
        assessment
    ):
        raise PermissionDenied("Only the vendor's portal users answer its assessments.")


def _require_open_to_vendor(assessment: Assessment) -> None:
    if not assessment.is_open_to_vendor:
        raise DomainError(
            f"This assessment is {assessment.get_status_display().lower()}: "
            "it cannot be answered now.",
            code="not_open",
        )


def may_review(user: Any) -> bool:
    principal = principal_for(user)
    return principal.is_internal and (
        principal.is_admin or principal.function in ASSESSMENT_FUNCTIONS
    )


def _require_reviewer(actor: Any, assessment: Assessment) -> None:
    require(actor, Action.VIEW, assessment)
    if not may_review(actor):
        raise PermissionDenied("Only IT security reviews assessments.")


def vendor_users(organization_id: int) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__kind=UserKind.EXTERNAL,
            profile__organization_id=organization_id,
        )
        .order_by("pk")
    )


def _tell(recipients: Iterable[Any], *, kind: str, title: str, url: str, body: str = "") -> None:
    notifications_send(
        Alert(recipient_id=user.pk, kind=kind, title=title, body=body, url=url)
        for user in {user.pk: user for user in recipients if user is not None}.values()
    )


# --- create, send, cancel ----------------------------------------------------------------------


def assessment_create(
    *,
    actor: Any,
    supplier: Supplier,
    template_version: TemplateVersion,
    due_on: dt.date | None = None,
    owner: Any | None = None,
    note: str = "",
) -> Assessment:
    """A draft assessment of a vendor on a published template version."""
    require_create(actor, Assessment, parent=supplier)
    if not template_version.is_published:
        raise DomainError(
            "An assessment is made on a published template version.",
            field="template_version",
            code="not_published",
        )
    if template_version.template.archived_at is not None:
        raise DomainError("This template is archived.", field="template_version", code="archived")
    if supplier.archived_at is not None:
        raise DomainError("This vendor is archived.", field="supplier", code="archived")
    assessment = Assessment(
        supplier=supplier,
        template_version=template_version,
        due_on=due_on,
        owner=owner or actor,
        note=_plain_text(note, "note"),
    )
    return create_record(assessment, actor=actor, reason="Assessment drafted")


def assessment_send(
    *, actor: Any, assessment: Assessment, due_on: dt.date | None = None
) -> Assessment:
    """Send a draft to the vendor: its portal users see it from now on and are told."""
    require(actor, Action.CHANGE, assessment)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(assessment)
        _move(locked, AssessmentStatus.SENT)
        locked.due_on = due_on or locked.due_on
        if locked.due_on is None or locked.due_on < today:
            raise DomainError(
                "Give a due date from today on before sending.", field="due_on", code="due_on"
            )
        locked.visible_to_vendor = True
        locked.sent_by = actor
        locked.sent_at = timezone.now()
        save_with_history(locked, actor=actor, reason="Sent to the vendor")
        _tell(
            vendor_users(_organization_id(locked)),
            kind=SENT_ALERT,
            title=f"Security assessment to answer by {locked.due_on:%d %b %Y}",
            url=locked.portal_url(),
        )
    return locked


def assessment_cancel(*, actor: Any, assessment: Assessment, note: str) -> Assessment:
    require(actor, Action.CHANGE, assessment)
    note = _plain_text(note, "note")
    if not note:
        raise DomainError("Say why the assessment is cancelled.", field="note", code="required")
    with transaction.atomic():
        locked = _locked(assessment)
        _move(locked, AssessmentStatus.CANCELLED)
        locked.note = "\n".join(filter(None, [locked.note, f"Cancelled: {note}"]))
        return save_with_history(locked, actor=actor, reason="Cancelled")


# --- the vendor answers ------------------------------------------------------------------------


def _question_of(assessment: Assessment, question: Question) -> Question:
    if question.section.template_version_id != assessment.template_version_id:
        raise DomainError(
            f"Question {question.ref} is not part of this assessment.", field="question"
        )
    return question


def _answer_for_vendor(actor: Any, locked: Assessment, question: Question) -> Answer:
    """The answer the vendor may change now (created empty the first time)."""
    answer = Answer.objects.filter(assessment=locked, question=question).first()
    # Back for clarification, the answers IT security has settled stay as they are.
    if locked.status == AssessmentStatus.CLARIFICATION and (
        answer is None or answer.verdict in (Verdict.ACCEPTED, Verdict.REJECTED)
    ):
        raise DomainError(
            f"{question.ref}: only the answers sent back for clarification can change now.",
            field="question",
            code="not_open",
        )
    if answer is None:
        answer = create_record(
            Answer(assessment=locked, question=question), actor=actor, reason="Answer started"
        )
    if locked.status == AssessmentStatus.SENT:
        _move(locked, AssessmentStatus.IN_PROGRESS)
        save_with_history(locked, actor=actor, reason="The vendor started answering")
    return answer


def answer_save(
    *, actor: Any, assessment: Assessment, question: Question, value: Any, comment: str = ""
) -> Answer:
    """Record the vendor's answer to one question (an empty value clears it)."""
    _require_vendor_user(actor, assessment)
    _question_of(assessment, question)
    comment = _plain_text(comment, "comment")
    stored: Any = None
    if value not in (None, "", []):
        try:
            stored = answer_values.parse_value(question.answer_type, question.choices, value)
        except answer_values.ValueRefusedError as refused:
            raise DomainError(
                f"{question.ref}: {refused}.", field="value", code="invalid_answer"
            ) from refused
    with transaction.atomic():
        locked = _locked(assessment)
        _require_open_to_vendor(locked)
        answer = _answer_for_vendor(actor, locked, question)
        answer.value = stored
        answer.comment = comment
        answer.answered_by = actor
        answer.answered_at = timezone.now()
        answer.verdict = Verdict.PENDING
        return save_with_history(answer, actor=actor, reason="Answered")


def evidence_add(
    *, actor: Any, assessment: Assessment, question: Question, upload: UploadedFile
) -> AnswerEvidence:
    """Attach a file to the vendor's answer to ``question``; refused files leave nothing."""
    _require_vendor_user(actor, assessment)
    _question_of(assessment, question)
    with transaction.atomic():
        locked = _locked(assessment)
        _require_open_to_vendor(locked)
        answer = _answer_for_vendor(actor, locked, question)
        stored = store_upload(upload, folder="assessments")
        evidence = AnswerEvidence(
            answer=answer,
            original_name=stored.original_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        )
        evidence.file.name = stored.name
        if answer.verdict != Verdict.PENDING:
            answer.verdict = Verdict.PENDING
            save_with_history(answer, actor=actor, reason="Evidence added")
        return create_record(evidence, actor=actor, reason="Evidence uploaded")


def _scoring_inputs(
    assessment: Assessment,
) -> tuple[list[Question], list[scoring.ScoredSection], list[scoring.ScoredQuestion]]:
    questions = list(
        Question.objects.filter(
            section__template_version_id=assessment.template_version_id,
            section__archived_at__isnull=True,
            archived_at__isnull=True,
        ).select_related("section")
    )
    sections = {q.section_id: q.section for q in questions}
    return (
        questions,
        [scoring.ScoredSection(key=pk, weight=s.weight) for pk, s in sections.items()],
        [
            scoring.ScoredQuestion(
                ref=q.ref,
                section=q.section_id,
                weight=q.weight,
                answer_type=q.answer_type,
                compliant_answers=tuple(q.compliant_answers),
                applies_when_ref=q.applies_when_ref,
                applies_when_answer=q.applies_when_answer,
            )
            for q in questions
        ],
    )


def _answers_by_ref(assessment: Assessment) -> dict[str, Answer]:
    return {
        a.question.ref: a
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }


def _scored_answers(answers: dict[str, Answer]) -> dict[str, scoring.ScoredAnswer]:
    return {
        ref: scoring.ScoredAnswer(value=a.value, verdict=a.verdict) for ref, a in answers.items()
    }


def submit_problems(assessment: Assessment) -> list[str]:
    """What keeps the vendor from submitting: unanswered questions, missing evidence."""
    questions, _, scored = _scoring_inputs(assessment)
    answers = _answers_by_ref(assessment)
    plain = _scored_answers(answers)
    with_evidence = set(
        AnswerEvidence.objects.filter(
            answer__assessment=assessment, archived_at__isnull=True
        ).values_list("answer__question__ref", flat=True)
    )
    unanswered, no_evidence = [], []
    for question, spec in zip(questions, scored, strict=True):
        if not scoring.applies(spec, plain):
            continue
        answer = answers.get(question.ref)
        if answer is None or answer.value is None:
            unanswered.append(question.ref)
        elif question.evidence_required and question.ref not in with_evidence:
            no_evidence.append(question.ref)
    problems = []
    if unanswered:
        problems.append(f"Answer these questions: {', '.join(unanswered)}.")
    if no_evidence:
        problems.append(f"Attach the evidence these questions require: {', '.join(no_evidence)}.")
    return problems


def assessment_submit(*, actor: Any, assessment: Assessment) -> Assessment:
    """The vendor hands the answers to IT security; every applicable question must be answered
    and carry the evidence it requires."""
    _require_vendor_user(actor, assessment)
    with transaction.atomic():
        locked = _locked(assessment)
        _require_open_to_vendor(locked)
        problems = submit_problems(locked)
        if problems:
            raise DomainError(" ".join(problems), code="incomplete")
        _move(locked, AssessmentStatus.SUBMITTED)
        locked.submitted_at = timezone.now()
        save_with_history(locked, actor=actor, reason="Submitted by the vendor")
        _tell(
            [locked.reviewer, locked.owner],
            kind=SUBMITTED_ALERT,
            title=f"{locked.supplier} submitted {locked}",
            url=locked.get_absolute_url(),
        )
    return locked


# --- IT security reviews -----------------------------------------------------------------------


def answer_review(*, actor: Any, answer: Answer, verdict: str, note: str = "") -> Answer:
    """Accept, reject or ask for clarification of one answer; the last two need a note."""
    assessment = answer.assessment
    _require_reviewer(actor, assessment)
    if verdict not in (Verdict.ACCEPTED, Verdict.REJECTED, Verdict.CLARIFICATION):
        raise DomainError(
            "Accept, reject or ask for clarification.", field="verdict", code="invalid_choice"
        )
    note = _plain_text(note, "note")
    if verdict in VERDICTS_NEEDING_NOTE and not note:
        raise DomainError(
            f"{answer.question.ref}: say why, for the vendor.", field="note", code="required"
        )
    with transaction.atomic():
        locked = _locked(assessment)
        if locked.status == AssessmentStatus.SUBMITTED:
            _move(locked, AssessmentStatus.IN_REVIEW)
            locked.reviewer = locked.reviewer or actor
            save_with_history(locked, actor=actor, reason="Review started")
        if locked.status != AssessmentStatus.IN_REVIEW:
            raise DomainError(
                "Answers are reviewed once the vendor has submitted them.", code="not_in_review"
            )
        row = lock_for_update(answer, expected_version=None)
        row.verdict = verdict
        row.review_note = note
        row.reviewed_by = actor
        row.reviewed_at = timezone.now()
        return save_with_history(row, actor=actor, reason=Verdict(verdict).label)


def assessment_request_clarification(*, actor: Any, assessment: Assessment) -> Assessment:
    """Send the answers marked for clarification back to the vendor."""
    _require_reviewer(actor, assessment)
    with transaction.atomic():
        locked = _locked(assessment)
        asked = list(
            Answer.objects.filter(assessment=locked, verdict=Verdict.CLARIFICATION)
            .select_related("question")
            .values_list("question__ref", flat=True)
        )
        if not asked:
            raise DomainError(
                "Mark at least one answer for clarification first.", code="nothing_to_clarify"
            )
        _move(locked, AssessmentStatus.CLARIFICATION)
        save_with_history(locked, actor=actor, reason="Clarification requested")
        _tell(
            vendor_users(_organization_id(locked)),
            kind=CLARIFICATION_ALERT,
            title=f"Clarification asked on {', '.join(asked)}",
            url=locked.portal_url(),
        )
    return locked


def running_score(assessment: Assessment) -> scoring.Result:
    _, sections, questions = _scoring_inputs(assessment)
    return scoring.score(sections, questions, _scored_answers(_answers_by_ref(assessment)))


def assessment_complete(*, actor: Any, assessment: Assessment) -> Assessment:
    """Score the reviewed answers, raise a finding per gap and record the vendor assessed.

    Every applicable answer must be accepted or rejected first.
    """
    _require_reviewer(actor, assessment)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(assessment)
        _move(locked, AssessmentStatus.COMPLETED)  # refused first when not in review
        questions, sections, specs = _scoring_inputs(locked)
        answers = _answers_by_ref(locked)
        plain = _scored_answers(answers)
        applicable = [
            (q, s) for q, s in zip(questions, specs, strict=True) if scoring.applies(s, plain)
        ]
        unreviewed = [
            q.ref
            for q, _ in applicable
            if q.ref not in answers
            or answers[q.ref].verdict not in (Verdict.ACCEPTED, Verdict.REJECTED)
        ]
        if unreviewed:
            raise DomainError(
                f"Accept or reject these answers first: {', '.join(unreviewed)}.",
                code="unreviewed",
            )
        locked.score = scoring.score(sections, specs, plain).overall
        locked.completed_on = today
        locked.reviewer = locked.reviewer or actor
        save_with_history(locked, actor=actor, reason=f"Completed, score {locked.score}")
        for question, spec in applicable:
            answer = answers[question.ref]
            if scoring.is_gap(spec, plain[question.ref]):
                _raise_finding(actor, locked, question, answer, today)
        risk_profile_mark_assessed(actor=actor, supplier=locked.supplier, assessed_on=today)
    return locked


def _raise_finding(
    actor: Any, assessment: Assessment, question: Question, answer: Answer, today: dt.date
) -> None:
    why = answer.review_note or (
        f"Answered “{answer_values.display(answer.value)}”; compliant: "
        f"{', '.join(question.compliant_answers) or 'as judged by the reviewer'}."
    )
    finding = finding_open(
        actor=actor,
        supplier=assessment.supplier,
        source=FindingSource.ASSESSMENT,
        title=f"{question.ref}: {question.text}"[:200],
        severity=question.gap_severity,
        owner=assessment.owner,
        remediation_due_on=today + dt.timedelta(days=REMEDIATION_DAYS[question.gap_severity]),
        detail=why,
        origin=f"{assessment} · {question.ref}",
    )
    answer.finding = finding
    save_with_history(answer, actor=actor, reason="Finding raised")
