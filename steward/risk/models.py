"""Third-party risk: each vendor's inherent-risk profile (the tiering intake) and the findings
that assessments and audits raise against it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.risk import tiering
from steward.risk.choices import (
    DataHandled,
    FindingSeverity,
    FindingSource,
    FindingStatus,
    RegulatoryExposure,
    Substitutability,
    SystemAccess,
)

# IT security reads and works every vendor's risk records, whoever owns the vendor.
RISK_FUNCTIONS = ("it_security",)
VENDOR_ORGANIZATION = "supplier__relationship__organization"


class RiskProfile(DomainModel):
    """The tiering intake of one vendor, and the tier and reassessment schedule it sets."""

    supplier = models.OneToOneField(
        "suppliers.Supplier",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="risk_profile",
    )
    data_handled = models.CharField(
        max_length=20, choices=DataHandled.choices, default=DataHandled.NONE
    )
    system_access = models.CharField(
        max_length=20, choices=SystemAccess.choices, default=SystemAccess.NONE
    )
    business_criticality = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (low) to 5 (the business stops without it).",
    )
    substitutability = models.CharField(
        max_length=20, choices=Substitutability.choices, default=Substitutability.EASY
    )
    regulatory_exposure = models.CharField(
        max_length=20, choices=RegulatoryExposure.choices, default=RegulatoryExposure.NONE
    )
    tier = models.PositiveSmallIntegerField(
        default=tiering.LOWEST_TIER,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(tiering.LOWEST_TIER)],
        help_text="1 (most critical) to 4, worked out from the intake.",
    )
    points = models.PositiveSmallIntegerField(default=0, editable=False)
    last_assessed_on = models.DateField(null=True, blank=True)
    next_assessment_due = models.DateField(
        null=True, blank=True, db_index=True, help_text="Set by the tier from the last assessment."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="supplier", functions=RISK_FUNCTIONS)

    class Meta:
        ordering = ["tier", "supplier__relationship__organization__display_name"]

    def __str__(self) -> str:
        return f"Risk profile of {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:vendor-detail", args=[self.supplier_id]) + "?tab=risk"

    def intake(self, annual_spend: Decimal | None) -> tiering.Intake:
        return tiering.Intake(
            data_handled=self.data_handled,
            system_access=self.system_access,
            business_criticality=self.business_criticality,
            substitutability=self.substitutability,
            regulatory_exposure=self.regulatory_exposure,
            annual_spend=annual_spend,
        )

    @property
    def policy(self) -> tiering.TierPolicy:
        return tiering.TIER_POLICY[self.tier]

    def is_overdue(self, today: dt.date) -> bool:
        return self.next_assessment_due is not None and self.next_assessment_due < today


class Finding(DomainModel):
    """A gap an assessment or an audit found at a vendor, tracked until it is closed."""

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="findings"
    )
    source = models.CharField(max_length=20, choices=FindingSource.choices)
    origin = models.CharField(
        max_length=200, blank=True, help_text="Which assessment answer or audit it came from."
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    severity = models.CharField(max_length=20, choices=FindingSeverity.choices)
    status = models.CharField(
        max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_findings"
    )
    remediation_due_on = models.DateField(null=True, blank=True, db_index=True)
    remediation_plan = models.TextField(blank=True)
    shared_with_portal = models.BooleanField(
        default=True, help_text="The vendor's portal users see it and answer with their plan."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(
        parent="supplier",
        functions=RISK_FUNCTIONS,
        portal_organization=VENDOR_ORGANIZATION,
        portal_flag="shared_with_portal",
    )

    class Meta:
        ordering = ["remediation_due_on", "pk"]
        indexes = [models.Index(fields=["supplier", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risk:finding-detail", args=[self.pk])

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status in (FindingStatus.OPEN, FindingStatus.REMEDIATING)
            and self.remediation_due_on is not None
            and self.remediation_due_on < today
        )
