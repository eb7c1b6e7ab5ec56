"""The supply side: a supplier relationship, its lifecycle, segmentation and strategy.

A ``Supplier`` extends a supply-side ``parties.Relationship`` (same primary key), so the owner,
team, tier, tags, history and access rules of the relationship apply to everything here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec, RestrictedQuerySet
from steward.core.models import DomainModel
from steward.suppliers.choices import (
    AssessmentDepth,
    ChecklistItemCode,
    InformationSharing,
    KpiDirection,
    LeverKind,
    RelationshipType,
    Segment,
    Stage,
    SupplyNature,
)

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _level(help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ONE_TO_FIVE, help_text=help_text
    )


class Category(DomainModel):
    """A category of goods or services bought (a tree: IT > Cloud hosting)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Supplier(DomainModel):
    relationship = models.OneToOneField(
        "parties.Relationship", primary_key=True, on_delete=models.PROTECT, related_name="supplier"
    )
    relationship_type = models.CharField(
        max_length=30, choices=RelationshipType.choices, default=RelationshipType.TRANSACTIONAL
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROSPECT)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="suppliers")

    # Segmentation inputs. Empty means "no data": the factor is left out and the others
    # carry its weight.
    annual_spend = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Spend over the last twelve months, in the policy's base currency.",
    )
    category_share = models.DecimalField(
        "share of category spend (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Derived from the spend of the vendors in its categories when it has categories "
        "and spend; typed otherwise.",
    )
    criticality = _level("How critical to the business, 1 (low) to 5 (critical).")
    process_integration = _level("How deeply it is built into our processes, 1 to 5.")
    knowledge_sharing = _level("Potential for sharing knowledge and innovating, 1 to 5.")
    alternatives = models.PositiveSmallIntegerField(
        "alternative suppliers",
        null=True,
        blank=True,
        help_text="How many qualified alternatives exist (0 = sole source).",
    )
    switching_cost = _level("Cost and effort of switching away, 1 (low) to 5 (prohibitive).")
    market_scarcity = _level("Scarcity of supply in the market, 1 (ample) to 5 (scarce).")
    risk_score = models.DecimalField(
        "vendor risk score",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="0 (no risk) to 100, from the risk register or an assessment.",
    )
    supply_nature = models.CharField(
        "nature of goods or services", max_length=20, choices=SupplyNature.choices, blank=True
    )

    # Computed in one set-based pass by segmentation; never typed.
    profit_impact = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    supply_risk = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    computed_segment = models.CharField(
        max_length=20, choices=Segment.choices, blank=True, editable=False
    )
    segment_override = models.CharField(
        max_length=20,
        choices=Segment.choices,
        blank=True,
        help_text="Place the vendor by judgement; the reason is required and kept.",
    )
    override_reason = models.TextField(blank=True)
    segment = models.CharField(
        max_length=20,
        choices=Segment.choices,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The override when set, else the computed quadrant.",
    )
    segmented_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[categories],
        excluded_fields=[
            "profit_impact",
            "supply_risk",
            "computed_segment",
            "segment",
            "segmented_at",
        ],
    )
    # Procurement sources from every vendor and IT security assesses every vendor's risk:
    # both read all vendors, and change only those the rules give them.
    access_spec = AccessSpec(parent="relationship", functions_read=("procurement", "it_security"))

    class Meta:
        ordering = ["relationship__organization__display_name"]
        indexes = [models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return str(self.relationship.organization)

    def get_absolute_url(self) -> str:
        return reverse("suppliers:vendor-detail", args=[self.pk])


class LifecycleTransition(models.Model):
    """One move of a vendor through its lifecycle: append-only, never edited."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    access_spec = AccessSpec(parent="supplier")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class ChecklistItem(DomainModel):
    """A step of qualification or onboarding that must be done before the vendor goes active."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="checklist")
    code = models.CharField(max_length=40, choices=ChecklistItemCode.choices)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Evidence or where it is filed.")

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="supplier")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "code"], name="checklist_item_once")
        ]
        ordering = ["supplier_id", "code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Prequalification(DomainModel):
    """The vendor may be invited to sourcing events in this category until ``expires_on``."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="prequalifications"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="prequalifications"
    )
    granted_on = models.DateField()
    expires_on = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_on = models.DateField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="supplier")

    class Meta:
        ordering = ["-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("granted_on")),
                name="prequalification_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} until {self.expires_on}"


class SegmentChange(models.Model):
    """A vendor moved to another quadrant: written in bulk by each segmentation pass."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="segment_changes")
    from_segment = models.CharField(max_length=20, choices=Segment.choices, blank=True)
    to_segment = models.CharField(max_length=20, choices=Segment.choices, blank=True)
    profit_impact = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    supply_risk = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    at = models.DateTimeField(auto_now_add=True)
    cause = models.CharField(max_length=200)

    access_spec = AccessSpec(parent="supplier")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_segment or '—'} → {self.to_segment or '—'}"


class SegmentationPolicy(DomainModel):
    """Weights and thresholds of the Kraljic matrix (one row; changes are versioned)."""

    # Profit impact factors; their weights sum to 100.
    weight_spend = models.PositiveSmallIntegerField(default=40)
    weight_category_share = models.PositiveSmallIntegerField(default=20)
    weight_criticality = models.PositiveSmallIntegerField(default=20)
    weight_process_integration = models.PositiveSmallIntegerField(default=10)
    weight_knowledge_sharing = models.PositiveSmallIntegerField(default=10)
    # Supply risk factors; their weights sum to 100.
    weight_alternatives = models.PositiveSmallIntegerField(default=30)
    weight_switching_cost = models.PositiveSmallIntegerField(default=20)
    weight_market_scarcity = models.PositiveSmallIntegerField(default=20)
    weight_risk_score = models.PositiveSmallIntegerField(default=15)
    weight_supply_nature = models.PositiveSmallIntegerField(default=15)

    profit_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
        help_text="Profit impact at or above this is high.",
    )
    risk_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
        help_text="Supply risk at or above this is high.",
    )
    spend_full_scale = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=Decimal(1_000_000),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Annual spend that scores the full 100 points.",
    )
    base_currency = models.CharField(max_length=3, default="EUR")

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        verbose_name_plural = "segmentation policies"

    def __str__(self) -> str:
        return f"Segmentation policy (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:policy")


class SegmentPlaybook(DomainModel):
    """What each quadrant implies: default relationship type, governance and strategy."""

    segment = models.CharField(max_length=20, choices=Segment.choices, unique=True)
    default_relationship_type = models.CharField(max_length=30, choices=RelationshipType.choices)
    compatible_types = models.JSONField(
        default=list, help_text="Relationship types that suit this quadrant."
    )
    review_every_days = models.PositiveSmallIntegerField(default=90)
    assessment_depth = models.CharField(
        max_length=20, choices=AssessmentDepth.choices, default=AssessmentDepth.STANDARD
    )
    objectives = models.TextField(blank=True)
    expectations = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["segment"]

    def __str__(self) -> str:
        return f"{self.get_segment_display()} playbook"


class SupplierStrategy(DomainModel):
    """The plan for one vendor: objectives, governance, resources, KPIs and levers.

    Empty fields fall back to the vendor's segment playbook.
    """

    supplier = models.OneToOneField(Supplier, on_delete=models.PROTECT, related_name="strategy")
    objectives = models.TextField(blank=True)
    expectations = models.TextField(blank=True)
    review_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    information_sharing = models.CharField(
        max_length=20, choices=InformationSharing.choices, blank=True
    )
    escalation_ladder = models.JSONField(
        default=list,
        blank=True,
        help_text='Steps in order: [{"role": "...", "person": user id or null, "after_days": n}].',
    )
    raci = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per activity, each function\'s part: {"Contract renewal": {"legal": "A"}}.',
    )
    resource_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supplier_strategies"
    )
    resource_hours_per_month = models.PositiveIntegerField(null=True, blank=True)
    resource_budget = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    resource_currency = models.CharField(max_length=3, default="EUR")

    history = HistoricalRecords(m2m_fields=[resource_people])
    access_spec = AccessSpec(parent="supplier")

    class Meta:
        verbose_name_plural = "supplier strategies"

    def __str__(self) -> str:
        return f"Strategy for {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:vendor-detail", args=[self.supplier_id]) + "?tab=strategy"


class StrategyKpi(DomainModel):
    """A KPI the strategy commits to, with its target; scorecards measure against it."""

    strategy = models.ForeignKey(SupplierStrategy, on_delete=models.PROTECT, related_name="kpis")
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=30, blank=True, help_text="%, days, EUR, …")
    target = models.DecimalField(max_digits=14, decimal_places=4)
    direction = models.CharField(
        max_length=10, choices=KpiDirection.choices, default=KpiDirection.HIGHER_IS_BETTER
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="strategy")

    class Meta:
        ordering = ["strategy_id", "name"]
        verbose_name = "strategy KPI"

    def __str__(self) -> str:
        sign = "≥" if self.direction == KpiDirection.HIGHER_IS_BETTER else "≤"
        return f"{self.name} {sign} {self.target}"

    def get_absolute_url(self) -> str:
        return self.strategy.get_absolute_url()


class NegotiationLever(DomainModel):
    """Something we offer or ask in negotiation: volume for price, a longer term, …"""

    strategy = models.ForeignKey(SupplierStrategy, on_delete=models.PROTECT, related_name="levers")
    kind = models.CharField(max_length=30, choices=LeverKind.choices)
    description = models.TextField()
    expected_saving = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    in_play = models.BooleanField(default=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="strategy")

    class Meta:
        ordering = ["strategy_id", "kind", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return self.strategy.get_absolute_url()
