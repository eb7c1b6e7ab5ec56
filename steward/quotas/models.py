"""Targets and the facts measured against them: sales and gross-profit quotas per person and
period, the revenue each account brings per month (and what it cost), what serving an account
costs, and required training objectives.

A quota and a training objective are about a person (``AccessSpec.subject``): the person and
their managers read them, only their managers set them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.quotas.choices import CostKind

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


class Quota(DomainModel):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotas"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    sales_target = models.DecimalField(
        max_digits=16, decimal_places=2, help_text="Bookings to close in the period."
    )
    margin_target = models.DecimalField(
        "gross-profit target",
        max_digits=16,
        decimal_places=2,
        help_text="Gross profit (bookings less their cost) to close in the period.",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(subject="person")

    class Meta:
        ordering = ["person_id", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="quota_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(sales_target__gte=0) & models.Q(margin_target__gte=0),
                name="quota_targets_not_negative",
            ),
            models.UniqueConstraint(
                fields=["person", "starts_on"],
                condition=models.Q(archived_at__isnull=True),
                name="quota_once_per_start",
                violation_error_message="This person has a quota starting that day already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on:%Y-%m-%d} to {self.ends_on:%Y-%m-%d}"


class AccountRevenue(DomainModel):
    """What an account was invoiced in a month (for a product, or in total) and what it cost."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="revenue_rows"
    )
    month = models.DateField(help_text="The first day of the month.")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    revenue = models.DecimalField(max_digits=16, decimal_places=2)
    cost = models.DecimalField(
        max_digits=16, decimal_places=2, default=Decimal(0), help_text="Cost of what was sold."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship", functions=("finance",))

    class Meta:
        ordering = ["relationship_id", "month", "pk"]
        indexes = [models.Index(fields=["relationship", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "month", "product"],
                condition=models.Q(archived_at__isnull=True, product__isnull=False),
                name="account_revenue_product_month_once",
                violation_error_message="The account has revenue for this product and month.",
            ),
            models.UniqueConstraint(
                fields=["relationship", "month"],
                condition=models.Q(archived_at__isnull=True, product__isnull=True),
                name="account_revenue_month_once",
                violation_error_message="The account has total revenue for this month.",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="account_revenue_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} {self.month:%Y-%m}"


class ServiceCost(DomainModel):
    """What serving an account cost in a month, besides the cost of goods."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="service_costs"
    )
    month = models.DateField(help_text="The first day of the month.")
    kind = models.CharField(max_length=30, choices=CostKind.choices)
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    notes = models.CharField(max_length=255, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship", functions=("finance",))

    class Meta:
        ordering = ["relationship_id", "month", "kind", "pk"]
        indexes = [models.Index(fields=["relationship", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="service_cost_not_negative"
            ),
            models.UniqueConstraint(
                fields=["relationship", "month", "kind"],
                condition=models.Q(archived_at__isnull=True),
                name="service_cost_kind_month_once",
                violation_error_message="The account has this kind of cost for this month.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}"


class TrainingObjective(DomainModel):
    """A training a person must complete by a date (set by their manager)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_objectives"
    )
    title = models.CharField(max_length=200)
    required = models.BooleanField(default=True)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=255, blank=True, help_text="Certificate, course id.")

    history = HistoricalRecords()
    access_spec = AccessSpec(subject="person")

    class Meta:
        ordering = ["person_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def completed_in_time(self) -> bool:
        return self.completed_on is not None and self.completed_on <= self.due_on
