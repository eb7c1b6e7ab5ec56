"""The pipeline: opportunities on an account, their lines from the catalog, the customer's
people involved and the specialists credited, proposal documents in versions, and every stage
change kept.

``amount`` and ``cost`` of an opportunity are the sums of its lines, kept by the services so that
forecasts and attainment are set-based sums over one table.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.pipeline.choices import (
    BuyingRole,
    CreditRole,
    ForecastCategory,
    PenetrationType,
    Stage,
)

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


class Opportunity(DomainModel):
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="opportunities"
    )
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities_owned"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROSPECTING)
    probability = models.PositiveSmallIntegerField(
        default=10, help_text="Chance of winning in per cent, from the stage when it last moved."
    )
    forecast_category = models.CharField(
        max_length=20, choices=ForecastCategory.choices, default=ForecastCategory.PIPELINE
    )
    close_date = models.DateField(help_text="When it is expected to close, or closed.")
    next_step = models.CharField(max_length=255, blank=True)
    penetration_type = models.CharField(max_length=20, choices=PenetrationType.choices)
    site = models.ForeignKey(
        "parties.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buying_unit = models.ForeignKey(
        "accounts.BuyingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    whitespace_cell = models.ForeignKey(
        "accounts.WhitespaceCell",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        help_text="The whitespace cell it was opened from.",
    )
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    cost = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    description = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    lost_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="owner", parent="relationship")

    class Meta:
        ordering = ["close_date", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["owner", "close_date"]),
            models.Index(fields=["stage", "close_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="opportunity_probability_max_100"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(cost__gte=0),
                name="opportunity_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pipeline:opportunity-detail", args=[self.pk])

    @property
    def margin(self) -> Decimal:
        return self.amount - self.cost

    @property
    def is_closed(self) -> bool:
        return self.stage in (Stage.WON, Stage.LOST)


class OpportunityLine(DomainModel):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(
        max_digits=16, decimal_places=4, help_text="In the opportunity's currency."
    )
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    unit_cost = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="The product's standard cost in the opportunity's currency when added.",
    )
    amount = models.DecimalField(max_digits=16, decimal_places=2, editable=False)
    cost = models.DecimalField(max_digits=16, decimal_places=2, editable=False)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="opportunity")

    class Meta:
        ordering = ["opportunity_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="opportunity_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0) & models.Q(unit_cost__gte=0),
                name="opportunity_line_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=0) & models.Q(discount_percent__lte=100),
                name="opportunity_line_discount_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"


class OpportunityContact(DomainModel):
    """A person of the customer involved in the decision, with their buying role."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="contacts")
    contact = models.ForeignKey("parties.Contact", on_delete=models.PROTECT, related_name="+")
    buying_role = models.CharField(max_length=30, choices=BuyingRole.choices)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="opportunity")

    class Meta:
        ordering = ["opportunity_id", "buying_role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact", "buying_role"],
                condition=models.Q(archived_at__isnull=True),
                name="opportunity_contact_role_once",
                violation_error_message="This contact has this role on the opportunity already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_buying_role_display()}"


class OpportunityCredit(DomainModel):
    """Who gets credit for a won opportunity, and what share of it (per cent)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunity_credits"
    )
    role = models.CharField(max_length=20, choices=CreditRole.choices)
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="opportunity")

    class Meta:
        ordering = ["opportunity_id", "-percent", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "user"],
                condition=models.Q(archived_at__isnull=True),
                name="opportunity_credit_once",
                violation_error_message="This person is credited on the opportunity already.",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gt=0) & models.Q(percent__lte=100),
                name="opportunity_credit_percent_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.percent} %"


class ProposalDocument(DomainModel):
    """A proposal sent (or to be sent) to the customer; a new version is a new row."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    number = models.PositiveSmallIntegerField(default=1, help_text="Version number per title.")
    file = models.FileField(upload_to="proposals/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True, help_text="What changed.")

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="opportunity")

    class Meta:
        ordering = ["opportunity_id", "title", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "title", "number"], name="proposal_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class StageChange(models.Model):
    """An opportunity's move from one stage to another, kept as it was (append-only)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    probability = models.PositiveSmallIntegerField()
    forecast_category = models.CharField(max_length=20, choices=ForecastCategory.choices)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    close_date = models.DateField()
    changed_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    access_spec = AccessSpec(parent="opportunity")

    class Meta:
        ordering = ["opportunity_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"
