"""The savings register and total cost of ownership.

A ``SavingsInitiative`` is one saving the organization is after or has secured: where it comes
from (a negotiation, a sourcing award, a lever the ledger suggested), its baseline and what was
negotiated; what it *realized* is measured from later spend (see ``realized.py``), never typed.

A ``TcoComparison`` sets vendors side by side on what they cost over a horizon, not on price
alone; each ``TcoOption`` is one vendor's inputs (see ``tco.py`` for the arithmetic).

Amounts are in the ledger's base currency (``steward.spend.money.base_currency()``).
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
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus

FINANCE = ("finance",)
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _unit_money(
    verbose_name: str, help_text: str = "", *, null: bool = False
) -> models.DecimalField:
    """A price or cost per unit: four decimal places, as the ledger keeps unit amounts."""
    extra = {"null": True, "blank": True} if null else {"default": Decimal(0)}
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=4,
        validators=NOT_NEGATIVE,
        help_text=help_text,
        **extra,
    )


def _money(verbose_name: str, help_text: str = "", *, null: bool = False) -> models.DecimalField:
    """An amount per year: two decimal places."""
    extra = {"null": True, "blank": True} if null else {"default": Decimal(0)}
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        validators=NOT_NEGATIVE,
        help_text=help_text,
        **extra,
    )


def _percent(verbose_name: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=3,
        default=Decimal(0),
        validators=PERCENT,
        help_text=help_text,
    )


class SavingsInitiative(DomainModel):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=SavingsKind.choices)
    status = models.CharField(
        max_length=20,
        choices=SavingsStatus.choices,
        default=SavingsStatus.IDENTIFIED,
        db_index=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="savings_initiatives"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings_initiatives",
        help_text="The vendor whose later spend measures the saving.",
    )
    category = models.ForeignKey(
        "suppliers.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings_initiatives",
        help_text="Limits the measured spend to this category (alone: every vendor in it).",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings_initiatives",
        help_text="The contract the negotiation or award led to.",
    )
    baseline_method = models.CharField(
        max_length=20, choices=BaselineMethod.choices, default=BaselineMethod.ANNUAL_SPEND
    )
    item = models.CharField(
        max_length=80, blank=True, help_text="The item or part the unit prices are for."
    )
    baseline_unit_price = _unit_money(
        "baseline unit price", "What one unit cost before the initiative.", null=True
    )
    baseline_annual_spend = _money(
        "baseline annual spend", "What a year cost before the initiative.", null=True
    )
    estimated_annual_savings = _money(
        "estimated annual savings",
        "The saving expected before negotiating (from a lever or a judgement).",
        null=True,
    )
    negotiated_unit_price = _unit_money(
        "negotiated unit price", "What one unit costs under the new terms.", null=True
    )
    negotiated_annual_savings = _money(
        "negotiated annual savings",
        "The saving per year the new terms promise; derived from the unit prices and the "
        "baseline annual spend when left empty.",
        null=True,
    )
    effective_date = models.DateField(
        null=True, blank=True, help_text="From when the new terms apply."
    )
    end_date = models.DateField(null=True, blank=True, help_text="When they stop applying.")
    notes = models.TextField(blank=True)
    lever_key = models.CharField(
        max_length=80,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The ledger's suggestion this initiative was made from.",
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(
        owner="owner", parent="supplier", create_requires_parent=False, functions=FINANCE
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(effective_date__isnull=True)
                | models.Q(end_date__gte=models.F("effective_date")),
                name="savings_initiative_ends_after_start",
                violation_error_message="The end date is before the effective date.",
            ),
            # One current initiative per suggestion, however many people click at once.
            models.UniqueConstraint(
                fields=["lever_key"],
                condition=~models.Q(lever_key="") & models.Q(archived_at__isnull=True),
                name="savings_initiative_one_per_lever",
                violation_error_message="This lever was taken up in an initiative already.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("savings:initiative-detail", args=[self.pk])

    @property
    def negotiated_savings(self) -> Decimal | None:
        """The negotiated annual saving as typed, else derived from the unit prices.

        Derived: baseline annual spend x (1 - negotiated unit price / baseline unit price),
        i.e. the same volume bought at the new price.
        """
        if self.negotiated_annual_savings is not None:
            return self.negotiated_annual_savings
        if (
            self.baseline_method == BaselineMethod.UNIT_PRICE
            and self.baseline_annual_spend is not None
            and self.baseline_unit_price
            and self.negotiated_unit_price is not None
        ):
            share = 1 - self.negotiated_unit_price / self.baseline_unit_price
            return (self.baseline_annual_spend * share).quantize(Decimal("0.01"))
        return None


class TcoComparison(DomainModel):
    title = models.CharField(max_length=200)
    category = models.ForeignKey(
        "suppliers.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tco_comparisons",
        help_text="Vendors' paid prices are read from this category's spend.",
    )
    item = models.CharField(max_length=80, blank=True, help_text="The item or part compared.")
    annual_quantity = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text="Units bought per year.",
    )
    horizon_years = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Years the comparison covers.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tco_comparisons"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(owner="owner", functions=FINANCE)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "TCO comparison"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_quantity__gt=0), name="tco_comparison_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_years__gte=1, horizon_years__lte=30),
                name="tco_comparison_horizon_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("savings:tco-detail", args=[self.pk])


class TcoOption(DomainModel):
    """One vendor's inputs to a comparison; ``defaults`` says which were suggested and from what.

    ``defaults`` maps a field name to the sentence that explains where its suggested value came
    from (the ledger, a scorecard measurement, the vendor's risk score); a field typed since is
    no longer in it.
    """

    comparison = models.ForeignKey(TcoComparison, on_delete=models.PROTECT, related_name="options")
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="tco_options"
    )
    unit_price = _unit_money("unit price")
    freight_per_unit = _unit_money("freight per unit")
    duties_pct = _percent("duties (%)", "Of the unit price.")
    other_landed_per_unit = _unit_money(
        "other landed cost per unit", "Insurance, handling, customs brokerage."
    )
    operating_cost_per_year = _money("operating cost per year")
    support_cost_per_year = _money("support cost per year")
    rejection_rate_pct = _percent("rejection rate (%)", "Share of units rejected.")
    cost_per_rejection = _unit_money("cost per rejection")
    late_delivery_rate_pct = _percent("late-delivery rate (%)", "Share of units delivered late.")
    cost_per_late_delivery = _unit_money("cost per late delivery")
    risk_cost_per_year = _money("risk cost per year", "Expected cost of the vendor's risks.")
    notes = models.TextField(blank=True)
    defaults = models.JSONField(
        default=dict, blank=True, help_text="Field → where its suggested value came from."
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="comparison")

    class Meta:
        ordering = ["comparison_id", "pk"]
        verbose_name = "TCO option"
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "supplier"],
                condition=models.Q(archived_at__isnull=True),
                name="tco_option_one_per_vendor",
                violation_error_message="This vendor is in the comparison already.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} in {self.comparison}"

    def get_absolute_url(self) -> str:
        return reverse("savings:tco-detail", args=[self.comparison_id]) + f"#option-{self.pk}"
