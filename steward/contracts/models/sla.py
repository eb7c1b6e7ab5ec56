"""Service levels on a contract: what is promised, what was measured, how each period came out,
and the credits and breaches that follow from a miss.

The arithmetic lives in ``steward.contracts.sla``; these tables hold its inputs and its results.
Period results, breaches and credits are written only by the evaluation service, so a period
judged twice leaves the same rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from steward.contracts.sla import Aggregation, Direction
from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel

# Measured values and targets: up to 14 digits before the point and 6 after.
NUMBER_DIGITS = 20
NUMBER_PLACES = 6


def _number(**options: object) -> models.DecimalField:
    return models.DecimalField(max_digits=NUMBER_DIGITS, decimal_places=NUMBER_PLACES, **options)  # type: ignore[arg-type]


def _money(**options: object) -> models.DecimalField:
    return models.DecimalField(max_digits=16, decimal_places=2, **options)  # type: ignore[arg-type]


class SlaWindow(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class MeasurementSource(models.TextChoices):
    UI = "ui", "Entered"
    API = "api", "Posted through the API"
    IMPORT = "import", "Imported"


class CreditStatus(models.TextChoices):
    OWED = "owed", "Owed"
    CLAIMED = "claimed", "Claimed"
    RECEIVED = "received", "Received"
    WAIVED = "waived", "Waived"


DIRECTION_CHOICES = [
    (Direction.AT_LEAST.value, "At least"),
    (Direction.AT_MOST.value, "At most"),
]
AGGREGATION_CHOICES = [
    (Aggregation.MEAN.value, "Mean of the measurements"),
    (Aggregation.MIN.value, "Lowest measurement"),
    (Aggregation.MAX.value, "Highest measurement"),
    (Aggregation.SUM.value, "Sum of the measurements"),
    (Aggregation.LAST.value, "Last measurement"),
]


class ServiceLevel(DomainModel):
    """One promised level of service on a contract and the credit its miss earns."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="service_levels"
    )
    name = models.CharField(max_length=120)
    metric = models.SlugField(
        max_length=60, help_text="Short code measurements and imports name it by."
    )
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. %, hours, incidents.")
    target = _number()
    direction = models.CharField(max_length=10, choices=DIRECTION_CHOICES)
    window = models.CharField(max_length=10, choices=SlaWindow.choices, default=SlaWindow.MONTHLY)
    aggregation = models.CharField(
        max_length=10, choices=AGGREGATION_CHOICES, default=Aggregation.MEAN.value
    )
    credit_tiers = models.JSONField(
        default=list,
        blank=True,
        help_text='Tiers as [{"shortfall_from": "0.5", "credit_percent": "10"}], rising.',
    )
    cap_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="Credit never exceeds this percent of the period's fee; empty: no cap.",
    )
    period_fee = _money(
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="The monthly or quarterly fee credits are a percent of.",
    )
    currency = models.CharField(max_length=3, default="EUR")
    active = models.BooleanField(default=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract")

    class Meta:
        ordering = ["contract_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "metric"],
                condition=models.Q(archived_at__isnull=True),
                name="service_level_metric_once_per_contract",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SlaMeasurement(DomainModel):
    """One measured value of a service level on one day."""

    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.PROTECT, related_name="measurements"
    )
    measured_on = models.DateField()
    value = _number()
    source = models.CharField(
        max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.UI
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="service_level")

    class Meta:
        ordering = ["service_level_id", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_level", "measured_on"],
                condition=models.Q(archived_at__isnull=True),
                name="sla_measurement_once_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_level}: {self.value} on {self.measured_on}"


class SlaPeriodResult(models.Model):
    """A period judged: computed from the measurements, rewritten whenever they are re-judged."""

    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.PROTECT, related_name="period_results"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = _number(null=True, blank=True)
    attainment = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    breached = models.BooleanField(default=False)
    shortfall = _number(null=True, blank=True)
    credit = _money(default=Decimal(0))
    no_data = models.BooleanField(default=True)
    # Days the contract was in force within the period; credits are prorated by them.
    service_days = models.PositiveSmallIntegerField()
    period_days = models.PositiveSmallIntegerField()
    closed = models.BooleanField(
        default=False, help_text="The period is over; open periods book no breach or credit."
    )
    computed_at = models.DateTimeField()

    access_spec = AccessSpec(parent="service_level")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["service_level_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_level", "period_start"], name="sla_period_result_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_level} {self.period_start:%Y-%m-%d}"


class ServiceCredit(DomainModel):
    """A credit a breached period earned, tracked from owed to claimed to received."""

    period_result = models.OneToOneField(
        SlaPeriodResult, on_delete=models.PROTECT, related_name="service_credit"
    )
    amount = _money(validators=[MinValueValidator(Decimal(0))])
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=CreditStatus.choices, default=CreditStatus.OWED
    )
    claimed_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    # Waived because a recomputation found no breach; a new breach may then owe it again.
    waived_by_recomputation = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="period_result")

    class Meta:
        ordering = ["-period_result__period_start", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"


class SlaBreach(DomainModel):
    """A breached period, kept so that the issue engine can open and link an issue for it."""

    period_result = models.OneToOneField(
        SlaPeriodResult, on_delete=models.PROTECT, related_name="breach"
    )
    opened_at = models.DateTimeField()
    cleared_at = models.DateTimeField(
        null=True, blank=True, help_text="A recomputation found the period met after all."
    )
    issue_reference = models.CharField(max_length=60, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="period_result")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "SLA breaches"

    def __str__(self) -> str:
        return f"Breach of {self.period_result}"
