"""Security assessments: versioned questionnaire templates, and assessments of vendors on them.

A template's questions live in versions. A draft version is edited; a published one is frozen,
and an assessment always points at a published version, so its questions never change under it.
An assessment's answers, their evidence and the reviewer's verdicts belong to the assessment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.assessments import assessments_lifecycle
from steward.assessments.choices import AnswerType, AssessmentStatus, Verdict, VersionStatus
from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.risk.choices import Depth, FindingSeverity

# IT security keeps the questionnaire library and reviews every vendor's assessments.
ASSESSMENT_FUNCTIONS = ("it_security",)
# The library: every inside user reads it; administrators and IT security keep it.
LIBRARY_ACCESS = AccessSpec(administered=True, functions=ASSESSMENT_FUNCTIONS)
VENDOR_ORGANIZATION = "supplier__relationship__organization"
WEIGHT = [MinValueValidator(1), MaxValueValidator(100)]


class QuestionnaireTemplate(DomainModel):
    """A questionnaire in the library, for one depth of due diligence."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    depth = models.CharField(max_length=20, choices=Depth.choices, default=Depth.LIGHT)

    history = HistoricalRecords()
    access_spec = LIBRARY_ACCESS

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:template-detail", args=[self.pk])


class TemplateVersion(DomainModel):
    """The sections and questions of a template at one version; frozen once published."""

    template = models.ForeignKey(
        QuestionnaireTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.TextField(blank=True, help_text="What changed and why.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the templates Steward ships with.",
    )

    history = HistoricalRecords()
    access_spec = LIBRARY_ACCESS

    class Meta:
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="assessment_template_version_number"
            ),
            # One draft at a time: editing means the next version, copied from the last.
            models.UniqueConstraint(
                fields=["template"],
                condition=models.Q(status="draft"),
                name="assessment_template_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:version-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Section(DomainModel):
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="sections"
    )
    title = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.PositiveSmallIntegerField(default=1, validators=WEIGHT)

    history = HistoricalRecords()
    access_spec = LIBRARY_ACCESS

    class Meta:
        ordering = ["template_version_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(DomainModel):
    """One question: how it is answered, which answers count as compliant, what a gap weighs.

    ``compliant_answers`` lists the compliant values of a yes/no or choice question (a multiple
    choice answer is compliant when it includes all of them). Text, number and date answers
    have none: the reviewer's acceptance decides. ``applies_when_ref``/``applies_when_answer``
    make a question apply only when another question of the version was answered so.
    """

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    ref = models.CharField(max_length=20, help_text="A short reference, e.g. AC-2.")
    text = models.TextField()
    guidance = models.TextField(blank=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices)
    choices = models.JSONField(default=list, blank=True)
    compliant_answers = models.JSONField(default=list, blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=WEIGHT)
    evidence_required = models.BooleanField(default=False)
    gap_severity = models.CharField(
        max_length=20, choices=FindingSeverity.choices, default=FindingSeverity.MEDIUM
    )
    applies_when_ref = models.CharField(max_length=20, blank=True)
    applies_when_answer = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    access_spec = LIBRARY_ACCESS

    class Meta:
        ordering = ["section__order", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"


class Assessment(DomainModel):
    """A vendor's security assessment on one published template version."""

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="assessments"
    )
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        db_index=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_owned"
    )
    due_on = models.DateField(null=True, blank=True, db_index=True)
    visible_to_vendor = models.BooleanField(default=False, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments_reviewed",
    )
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="supplier",
        functions=ASSESSMENT_FUNCTIONS,
        portal_organization=VENDOR_ORGANIZATION,
        portal_flag="visible_to_vendor",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["supplier", "status"])]

    def __str__(self) -> str:
        return f"{self.template_version.template.name} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment-detail", args=[self.pk])

    def portal_url(self) -> str:
        return reverse("assessments:portal-assessment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in assessments_lifecycle.OPEN

    @property
    def is_open_to_vendor(self) -> bool:
        return self.status in assessments_lifecycle.OPEN_TO_VENDOR

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


ANSWER_ACCESS = AccessSpec(
    parent="assessment",
    functions=ASSESSMENT_FUNCTIONS,
    portal_organization=f"assessment__{VENDOR_ORGANIZATION}",
    portal_flag="assessment__visible_to_vendor",
)


class Answer(DomainModel):
    """The vendor's answer to one question, and the reviewer's verdict on it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Typed by the question: bool, text, a list of choices, a number as text, an ISO date.
    value = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    finding = models.ForeignKey(
        "risk.Finding",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_answers",
        help_text="The finding this answer's gap raised when the assessment was completed.",
    )

    history = HistoricalRecords()
    access_spec = ANSWER_ACCESS

    class Meta:
        ordering = ["assessment_id", "question__section__order", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessment_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.question.ref}"


class AnswerEvidence(DomainModel):
    """A file the vendor attached to an answer; never overwritten, archived rather than deleted."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="assessments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="answer",
        functions=ASSESSMENT_FUNCTIONS,
        portal_organization=f"answer__assessment__{VENDOR_ORGANIZATION}",
        portal_flag="answer__assessment__visible_to_vendor",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "answer evidence"
        verbose_name_plural = "answer evidence"

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assessments:evidence-download", args=[self.pk])


SCORE_PLACES = Decimal("0.01")
