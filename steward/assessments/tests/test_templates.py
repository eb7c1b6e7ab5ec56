"""The questionnaire library: the shipped template, drafts, publishing and its checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from steward.assessments import services
from steward.assessments.choices import VersionStatus
from steward.assessments.models import Question, QuestionnaireTemplate, Section, TemplateVersion
from steward.assessments.services.reassessments import version_for_depth
from steward.assessments.tests.factories import SHIPPED_NAME, World, question
from steward.core.errors import DomainError
from steward.parties.tests.cast import Cast
from steward.risk.choices import Depth

pytestmark = pytest.mark.django_db


def test_steward_ships_a_published_lightweight_review() -> None:
    template = QuestionnaireTemplate.objects.get(name=SHIPPED_NAME)
    version = template.versions.get()
    questions = Question.objects.filter(section__template_version=version)
    assert template.depth == Depth.LIGHT
    assert version.status == VersionStatus.PUBLISHED
    assert 20 <= questions.count() <= 30
    assert Section.objects.filter(template_version=version).count() == 7
    # the shipped content passes the same checks as a version published in the application
    assert services.templates.version_problems(version) == []
    # until the library holds deeper questionnaires, tiers 1 and 2 are reviewed with it too
    assert version_for_depth(Depth.FULL) == version
    assert version_for_depth(Depth.NONE) is None


def test_a_published_version_cannot_change(world: World) -> None:
    with pytest.raises(DomainError, match="published"):
        services.section_add(actor=world.secops, version=world.version, title="More")
    with pytest.raises(DomainError, match="published"):
        services.question_update(actor=world.secops, question=world.q("A1"), text="Changed")


def test_a_new_draft_copies_the_last_version(world: World) -> None:
    template = world.version.template
    draft = services.template_draft_version(actor=world.secops, template=template)
    assert draft.number == 2
    assert draft.status == VersionStatus.DRAFT
    assert sorted(
        Question.objects.filter(section__template_version=draft).values_list("ref", flat=True)
    ) == ["A1", "A2", "D1", "D2"]
    # editing the draft leaves the published version as it was
    services.question_update(actor=world.secops, question=question(draft, "A1"), weight=5)
    assert world.q("A1").weight == 2
    with pytest.raises(DomainError, match="draft already"):
        services.template_draft_version(actor=world.secops, template=template)
    published = services.version_publish(actor=world.secops, version=draft)
    assert published.status == VersionStatus.PUBLISHED


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"answer_type": "yes_no", "compliant_answers": ["maybe"]}, "compliant_answers", "maybe"),
        ({"answer_type": "single", "choices": ["Only"]}, "choices", "two choices"),
        ({"answer_type": "text", "compliant_answers": ["yes"]}, "compliant_answers", "reviewer"),
        ({"answer_type": "yes_no", "weight": 0}, "weight", "1 to 100"),
        ({"answer_type": "yes_no", "applies_when_ref": "X"}, "applies_when_ref", "both"),
        ({"answer_type": "number", "choices": ["1", "2"]}, "choices", "Only choice"),
    ],
)
def test_a_bad_question_is_refused_naming_the_field(
    cast: Cast,
    fields: dict,
    field: str,
    message: str,
) -> None:
    template = services.template_create(actor=cast.admin, name="Drafty", depth=Depth.LIGHT)
    section = services.section_add(actor=cast.admin, version=template.versions.get(), title="S")
    with pytest.raises(DomainError, match=message) as refused:
        services.question_add(actor=cast.admin, section=section, ref="Q1", text="?", **fields)
    assert refused.value.field == field
    assert not Question.objects.filter(section=section).exists()


def test_publishing_checks_the_whole_version(cast: Cast) -> None:
    template = services.template_create(actor=cast.admin, name="Empty", depth=Depth.LIGHT)
    version = template.versions.get()
    with pytest.raises(DomainError, match="at least one question"):
        services.version_publish(actor=cast.admin, version=version)
    section = services.section_add(actor=cast.admin, version=version, title="S")
    services.question_add(
        actor=cast.admin,
        section=section,
        ref="Q1",
        text="?",
        answer_type="yes_no",
        applies_when_ref="Q9",
        applies_when_answer="yes",
    )
    with pytest.raises(DomainError, match="Q9, not in this version"):
        services.version_publish(actor=cast.admin, version=version)
    assert TemplateVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT


def test_only_administrators_and_it_security_keep_the_library(cast: Cast, world: World) -> None:
    for user in (cast.owner, cast.auditor, cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.template_create(actor=user, name="Mine", depth=Depth.LIGHT)
    services.template_create(actor=world.secops, name="Secops", depth=Depth.FULL)
    services.template_create(actor=cast.admin, name="Admins", depth=Depth.FULL)


def test_a_question_or_section_leaves_a_draft_archived_and_can_come_back(world: World) -> None:
    draft = services.template_draft_version(actor=world.secops, template=world.version.template)
    a1 = question(draft, "A1")
    removed = services.question_remove(actor=world.secops, question=a1)
    assert removed.archived_at is not None
    assert Question.objects.filter(pk=a1.pk).exists()  # kept, with its history
    back = services.question_restore(actor=world.secops, question=removed)
    assert back.archived_at is None
    data = draft.sections.get(title="Data")
    services.section_remove(actor=world.secops, section=data)
    published = services.version_publish(actor=world.secops, version=draft)
    # the removed section's questions are not part of what was published
    assert services.templates.version_problems(published) == []
    with pytest.raises(DomainError, match="published"):
        services.section_restore(actor=world.secops, section=data)
