"""Third-party risk: each vendor's inherent-risk profile (the tiering intake) and the findings
that assessments and audits raise against it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.risk import scoring, tiering
from steward.risk.choices import (
    DataHandled,
    FindingSeverity,
    FindingSource,
    FindingStatus,
    RegulatoryExposure,
    RiskCategory,
    RiskStatus,
    RiskTreatment,
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


LEVEL = [MinValueValidator(1), MaxValueValidator(5)]


def _level(help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(validators=LEVEL, help_text=help_text)


class Risk(DomainModel):
    """One entry of a relationship's risk register: a vendor's now, an account's later."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="risks"
    )
    category = models.CharField(max_length=20, choices=RiskCategory.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    inherent_likelihood = _level("Before controls: 1 (rare) to 5 (almost certain).")
    inherent_impact = _level("Before controls: 1 (negligible) to 5 (severe).")
    controls = models.TextField(blank=True, help_text="What is in place that lowers the risk.")
    residual_likelihood = _level("With the controls: 1 to 5.")
    residual_impact = _level("With the controls: 1 to 5.")
    treatment = models.CharField(
        max_length=20, choices=RiskTreatment.choices, default=RiskTreatment.MITIGATE
    )
    treatment_plan = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned"
    )
    review_on = models.DateField("review date", null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship", functions=RISK_FUNCTIONS)

    class Meta:
        ordering = ["relationship", "-pk"]
        indexes = [models.Index(fields=["relationship", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("residual_likelihood") * F("residual_impact"),
                    F("inherent_likelihood") * F("inherent_impact"),
                ),
                name="risk_residual_within_inherent",
                violation_error_message="The residual score may not exceed the inherent score.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risk:risk-detail", args=[self.pk])

    @property
    def inherent_score(self) -> int:
        return scoring.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def residual_score(self) -> int:
        return scoring.score(self.residual_likelihood, self.residual_impact)

    @property
    def inherent_rating(self) -> str:
        return scoring.rating(self.inherent_score)

    @property
    def residual_rating(self) -> str:
        return scoring.rating(self.residual_score)


class Subcontractor(DomainModel):
    """A fourth party: an organization a vendor relies on for a named service.

    Links form a tree per vendor (a subcontractor's own subcontractor names its parent link);
    every link carries the vendor, so concentration sees through the whole tree in one query.
    """

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="subcontractors"
    )
    organization = models.ForeignKey(
        "parties.Organization", on_delete=models.PROTECT, related_name="subcontracted_services"
    )
    service = models.CharField(max_length=200, help_text="What the vendor relies on it for.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The link it serves under (a subcontractor of a subcontractor).",
    )
    criticality = models.PositiveSmallIntegerField(
        default=3, validators=LEVEL, help_text="1 (minor) to 5 (the service stops without it)."
    )
    handles_our_data = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="supplier", functions=RISK_FUNCTIONS)

    class Meta:
        ordering = ["supplier", "parent_id", "organization__display_name", "pk"]
        indexes = [models.Index(fields=["organization", "archived_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="subcontractor_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} for {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:vendor-detail", args=[self.supplier_id]) + "?tab=risk"
