"""Customer satisfaction: survey responses (CSAT 1-5, NPS 0-10) on an account, the tokenized
survey links sent to a customer's contacts, the company's satisfaction standard, and how often
an account of each tier should be met face to face.

A response and a survey request follow their account (``AccessSpec.parent``); the standard and
the cadence are administered reference data. A survey link's token is never stored, only its
sha256, as a password-reset token would be.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.parties.choices import Tier
from steward.satisfaction.choices import ResponseChannel, SurveyKind


class SurveyRequest(DomainModel):
    """A survey link sent to one customer contact; answered once, until it expires."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="survey_requests"
    )
    contact = models.ForeignKey(
        "parties.Contact", on_delete=models.PROTECT, related_name="survey_requests"
    )
    email = models.EmailField(help_text="Where the link was sent.")
    ask_csat = models.BooleanField("ask CSAT", default=True)
    ask_nps = models.BooleanField("ask NPS", default=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_requests_sent"
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ask_csat=True) | models.Q(ask_nps=True),
                name="survey_request_asks_something",
            )
        ]

    def __str__(self) -> str:
        return f"Survey to {self.email} ({self.created_at:%Y-%m-%d})"

    @property
    def kinds(self) -> list[str]:
        return [
            k
            for k, asked in ((SurveyKind.NPS, self.ask_nps), (SurveyKind.CSAT, self.ask_csat))
            if asked
        ]


class SatisfactionResponse(DomainModel):
    """One answer of a customer: a CSAT score 1-5 or an NPS score 0-10 on a day."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="satisfaction_responses"
    )
    contact = models.ForeignKey(
        "parties.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="satisfaction_responses",
    )
    respondent_email = models.EmailField(
        blank=True, help_text="The respondent's address (the contact's when a contact is named)."
    )
    site = models.ForeignKey(
        "parties.Site",
        verbose_name="location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="satisfaction_responses",
    )
    kind = models.CharField(max_length=4, choices=SurveyKind.choices)
    score = models.PositiveSmallIntegerField(help_text="CSAT 1-5, NPS 0-10.")
    comment = models.TextField(blank=True)
    answered_on = models.DateField(db_index=True)
    channel = models.CharField(
        max_length=10, choices=ResponseChannel.choices, default=ResponseChannel.ENTERED
    )
    request = models.ForeignKey(
        SurveyRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="satisfaction_responses_entered",
        help_text="Who entered or imported it; empty when the customer answered a link.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["-answered_on", "-pk"]
        indexes = [models.Index(fields=["relationship", "kind", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=SurveyKind.CSAT) & models.Q(score__gte=1, score__lte=5))
                | (models.Q(kind=SurveyKind.NPS) & models.Q(score__gte=0, score__lte=10)),
                name="satisfaction_score_in_range",
                violation_error_message="CSAT is scored 1-5 and NPS 0-10.",
            ),
            models.UniqueConstraint(
                fields=["relationship", "respondent_email", "kind", "answered_on"],
                condition=models.Q(archived_at__isnull=True) & ~models.Q(respondent_email=""),
                name="satisfaction_response_once_a_day",
                violation_error_message="This respondent answered this survey that day already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score} on {self.answered_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("satisfaction:response-detail", args=[self.pk])


class SatisfactionStandard(DomainModel):
    """The company's satisfaction standard an account is held to (one administered record)."""

    nps_minimum = models.SmallIntegerField(
        "NPS at least",
        default=30,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    csat_minimum_pct = models.DecimalField(
        "CSAT at least (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    minimum_responses = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Responses (of each kind) needed in the window before an account is judged.",
    )
    window_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return (
            f"NPS ≥ {self.nps_minimum}, CSAT ≥ {self.csat_minimum_pct:.0f} %, "
            f"{self.minimum_responses}+ responses in {self.window_months} months"
        )


class MeetingCadence(DomainModel):
    """How often an account of a tier should be met face to face (administered)."""

    tier = models.PositiveSmallIntegerField(choices=Tier.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(730)]
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()}: every {self.days} days"
