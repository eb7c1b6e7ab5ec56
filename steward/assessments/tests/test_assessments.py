"""Assessments end to end through the services: send, answer in the portal, review, complete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.assessments import services
from steward.assessments.choices import AssessmentStatus as S
from steward.assessments.choices import Verdict
from steward.assessments.models import Answer, AnswerEvidence, Assessment
from steward.assessments.tests.factories import World, answered, pdf_file, sent
from steward.core.errors import DomainError, TransitionError
from steward.core.models import Notification
from steward.risk.choices import FindingSource, FindingStatus
from steward.risk.models import Finding, RiskProfile
from steward.risk.services import finding_transition, risk_profile_save

pytestmark = pytest.mark.django_db


def _review_all(world: World, assessment: Assessment, **verdicts: str) -> None:
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        verdict = verdicts.get(answer.question.ref, Verdict.ACCEPTED)
        note = "" if verdict == Verdict.ACCEPTED else "Not shown by the evidence."
        services.answer_review(actor=world.secops, answer=answer, verdict=verdict, note=note)


def test_the_whole_flow_raises_findings_and_marks_the_vendor_assessed(world: World) -> None:
    cast = world.cast
    risk_profile_save(actor=cast.owner, supplier=world.vendor_a, data_handled="internal")
    # Given an assessment sent to vendor A
    assessment = sent(world)
    assert assessment.status == S.SENT
    assert assessment.visible_to_vendor
    assert Notification.objects.filter(recipient=cast.portal_a, kind="assessments.sent").exists()
    assert not Notification.objects.filter(recipient=cast.portal_b).exists()
    # When A's portal user answers (a yearly access review: a gap) and submits
    assessment = answered(world, assessment, cast.portal_a, A2="Yearly")
    assert assessment.status == S.SUBMITTED
    # And IT security rejects the text answer and accepts the rest, then completes
    _review_all(world, assessment, D2=Verdict.REJECTED)
    done = services.assessment_complete(actor=world.secops, assessment=assessment)
    # Then: Access 2/3, Data 1/2 -> (3 x 66.667 + 50) / 4 = 62.50
    assert done.status == S.COMPLETED
    assert done.score == pytest.approx(62.5)
    assert done.completed_on == timezone.localdate()
    findings = Finding.objects.filter(supplier=world.vendor_a).order_by("origin")
    assert [f.origin for f in findings] == [f"{done} · A2", f"{done} · D2"]
    a2 = findings[0]
    assert a2.source == FindingSource.ASSESSMENT
    assert a2.severity == "medium"
    assert a2.remediation_due_on == timezone.localdate() + dt.timedelta(days=90)
    assert Answer.objects.get(assessment=done, question__ref="D2").finding.severity == "low"
    assert findings[1].remediation_due_on == timezone.localdate() + dt.timedelta(days=180)
    profile = RiskProfile.objects.get(pk=world.vendor_a.pk)
    assert profile.last_assessed_on == timezone.localdate()
    # And a finding is tracked to closure through the risk app
    closed = finding_transition(
        actor=world.secops, finding=a2, to_status=FindingStatus.CLOSED, note="Quarterly now."
    )
    assert closed.status == FindingStatus.CLOSED


def test_a_wrong_value_names_the_question(world: World) -> None:
    assessment = sent(world)
    with pytest.raises(DomainError, match="A2: choose one of") as refused:
        services.answer_save(
            actor=world.cast.portal_a, assessment=assessment, question=world.q("A2"), value="Daily"
        )
    assert refused.value.field == "value"
    assert not Answer.objects.filter(assessment=assessment).exists()
    assert Assessment.objects.get(pk=assessment.pk).status == S.SENT


def test_missing_answers_and_evidence_refuse_the_submit(world: World) -> None:
    portal = world.cast.portal_a
    assessment = sent(world)
    services.answer_save(actor=portal, assessment=assessment, question=world.q("A1"), value="yes")
    with pytest.raises(DomainError) as refused:
        services.assessment_submit(actor=portal, assessment=assessment)
    assert "Answer these questions: A2, D1, D2." in refused.value.message
    assert "Attach the evidence these questions require: A1." in refused.value.message
    assert Assessment.objects.get(pk=assessment.pk).status == S.IN_PROGRESS


def test_nobody_but_the_vendors_portal_users_answers(world: World) -> None:
    cast = world.cast
    assessment = sent(world)
    for user in (cast.owner, cast.admin, world.secops, cast.portal_b):
        with pytest.raises(PermissionDenied):
            services.answer_save(
                actor=user, assessment=assessment, question=world.q("A1"), value="yes"
            )
        with pytest.raises(PermissionDenied):
            services.evidence_add(
                actor=user, assessment=assessment, question=world.q("A1"), upload=pdf_file()
            )
    assert not Answer.objects.exists()


def test_a_draft_is_not_the_vendors_to_see_or_answer(world: World) -> None:
    draft = services.assessment_create(
        actor=world.cast.owner, supplier=world.vendor_a, template_version=world.version
    )
    assert not Assessment.objects.restrict(world.cast.portal_a).filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        services.answer_save(
            actor=world.cast.portal_a, assessment=draft, question=world.q("A1"), value="yes"
        )


@pytest.mark.parametrize(
    ("name", "body", "code"),
    [
        ("tool.exe", b"MZ\x90\x00", "file_type"),
        ("fake.pdf", b"just text pretending", "file_content"),
        ("../../etc/passwd.pdf", b"plain", "file_content"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_refused_evidence_stores_nothing(world: World, name: str, body: bytes, code: str) -> None:
    assessment = sent(world)
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=world.cast.portal_a,
            assessment=assessment,
            question=world.q("A1"),
            upload=SimpleUploadedFile(name, body),
        )
    assert refused.value.code == code
    assert not AnswerEvidence.objects.exists()
    assert not Answer.objects.exists()


def test_an_oversized_file_is_refused(world: World, settings: Any) -> None:
    settings.STEWARD_UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError, match="the limit is"):
        services.evidence_add(
            actor=world.cast.portal_a,
            assessment=sent(world),
            question=world.q("A1"),
            upload=pdf_file(),
        )
    assert not AnswerEvidence.objects.exists()


def test_clarification_goes_back_to_the_vendor_and_only_those_answers_change(
    world: World,
) -> None:
    portal = world.cast.portal_a
    assessment = answered(world, sent(world), portal)
    _review_all(world, assessment, A2=Verdict.CLARIFICATION)
    # a verdict without a note is refused
    d1 = Answer.objects.get(assessment=assessment, question__ref="D1")
    with pytest.raises(DomainError, match="say why"):
        services.answer_review(actor=world.secops, answer=d1, verdict=Verdict.REJECTED)
    # completing with an answer still waiting is refused
    with pytest.raises(DomainError, match="A2"):
        services.assessment_complete(actor=world.secops, assessment=assessment)
    back = services.assessment_request_clarification(actor=world.secops, assessment=assessment)
    assert back.status == S.CLARIFICATION
    with pytest.raises(DomainError, match="only the answers sent back"):
        services.answer_save(actor=portal, assessment=back, question=world.q("A1"), value="no")
    services.answer_save(actor=portal, assessment=back, question=world.q("A2"), value="Quarterly")
    again = services.assessment_submit(actor=portal, assessment=back)
    assert again.status == S.SUBMITTED
    a2 = Answer.objects.get(assessment=again, question__ref="A2")
    assert a2.verdict == Verdict.PENDING
    services.answer_review(actor=world.secops, answer=a2, verdict=Verdict.ACCEPTED)
    done = services.assessment_complete(actor=world.secops, assessment=again)
    assert done.score == 100
    assert not Finding.objects.exists()


def test_only_it_security_and_administrators_review(world: World) -> None:
    assessment = answered(world, sent(world), world.cast.portal_a)
    answer = Answer.objects.filter(assessment=assessment).first()
    assert answer is not None
    for user in (world.cast.owner, world.cast.auditor, world.cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.answer_review(actor=user, answer=answer, verdict=Verdict.ACCEPTED)
        with pytest.raises(PermissionDenied):
            services.assessment_complete(actor=user, assessment=assessment)
    services.answer_review(actor=world.cast.admin, answer=answer, verdict=Verdict.ACCEPTED)


def test_moves_outside_the_table_are_refused(world: World) -> None:
    draft = services.assessment_create(
        actor=world.cast.owner, supplier=world.vendor_a, template_version=world.version
    )
    with pytest.raises(TransitionError):
        services.assessment_complete(actor=world.secops, assessment=draft)
    with pytest.raises(DomainError, match="due date"):
        services.assessment_send(
            actor=world.cast.owner, assessment=draft, due_on=dt.date(2000, 1, 1)
        )
    with pytest.raises(DomainError, match="why"):
        services.assessment_cancel(actor=world.cast.owner, assessment=draft, note=" ")
    cancelled = services.assessment_cancel(
        actor=world.cast.owner, assessment=draft, note="Vendor off-boarded"
    )
    assert cancelled.status == S.CANCELLED
    with pytest.raises(TransitionError):
        services.assessment_send(actor=world.cast.owner, assessment=cancelled)


def test_who_may_create_an_assessment(world: World) -> None:
    cast = world.cast
    for user in (cast.outsider, cast.auditor, cast.portal_a, cast.reviewer):
        with pytest.raises(PermissionDenied):
            services.assessment_create(
                actor=user, supplier=world.vendor_a, template_version=world.version
            )
    draft_version = services.template_draft_version(
        actor=world.secops, template=world.version.template
    )
    with pytest.raises(DomainError, match="published"):
        services.assessment_create(
            actor=cast.owner, supplier=world.vendor_a, template_version=draft_version
        )
    made = services.assessment_create(
        actor=world.secops, supplier=world.vendor_b, template_version=world.version
    )
    assert made.owner == world.secops
