"""Key accounts: what the demand side adds to a relationship on a customer organization.

The account itself is the demand-side ``parties.Relationship`` (owner, team, tier, status); its
locations are the organization's sites (and its group's), its buyers the organization's contacts.
This app adds the account's profile (segment, wallet, expected margin), its buying units, the
installed base (what the customer already has from us) and the whitespace matrix.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.accounts.choices import OPEN_HOLDERS, Holder, Segment
from steward.core.access import AccessSpec
from steward.core.models import DomainModel

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


class AccountProfile(DomainModel):
    """One per demand-side relationship: what key account management knows of the customer."""

    relationship = models.OneToOneField(
        "parties.Relationship", on_delete=models.PROTECT, related_name="account_profile"
    )
    segment = models.CharField(max_length=30, choices=Segment.choices, blank=True)
    currency = models.CharField(
        max_length=3, default="EUR", help_text="The account's reporting currency. " + CURRENCY_HELP
    )
    wallet = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What the customer spends a year on what we offer, from anyone.",
    )
    expected_margin_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The gross margin the account is expected to make, in per cent.",
    )
    customer_since = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wallet__isnull=True) | models.Q(wallet__gte=0),
                name="account_wallet_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.relationship}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:account-detail", args=[self.relationship_id])


class BuyingUnit(DomainModel):
    """A part of the customer that buys on its own (a division, a department) at a location."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="buying_units"
    )
    site = models.ForeignKey(
        "parties.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="buying_unit_name_once",
                violation_error_message="The account has a buying unit of this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class InstalledProduct(DomainModel):
    """Something the customer already has from us, with the revenue and cost it brings a year."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="installed_products"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        "parties.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buying_unit = models.ForeignKey(
        BuyingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="installed"
    )
    quantity = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(1))
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    annual_revenue = models.DecimalField(max_digits=16, decimal_places=2)
    annual_cost = models.DecimalField(max_digits=16, decimal_places=2)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True, help_text="When the customer stopped.")

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "product_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_revenue__gte=0) & models.Q(annual_cost__gte=0),
                name="installed_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True)
                | models.Q(since__isnull=True)
                | models.Q(until__gte=models.F("since")),
                name="installed_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return str(self.product)

    @property
    def annual_margin(self) -> Decimal:
        return self.annual_revenue - self.annual_cost


class WhitespaceCell(DomainModel):
    """One cell of an account's whitespace: a product family at a location (and buying unit),
    who supplies it today, what the customer spends on it and what it could bring us."""

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.PROTECT, related_name="whitespace_cells"
    )
    family = models.ForeignKey("catalog.ProductFamily", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("parties.Site", on_delete=models.PROTECT, related_name="+")
    buying_unit = models.ForeignKey(
        BuyingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="cells"
    )
    holder = models.CharField(max_length=20, choices=Holder.choices, default=Holder.UNKNOWN)
    competitor = models.CharField(
        max_length=120, blank=True, help_text="Who supplies it, when a competitor does."
    )
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    current_spend = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What the customer spends on it a year today, with whoever supplies it.",
    )
    potential = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The yearly revenue it could bring us.",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="relationship")

    class Meta:
        ordering = ["relationship_id", "site_id", "family_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "family", "site"],
                condition=models.Q(archived_at__isnull=True, buying_unit__isnull=True),
                name="whitespace_cell_once",
                violation_error_message="The matrix has this cell already.",
            ),
            models.UniqueConstraint(
                fields=["relationship", "family", "site", "buying_unit"],
                condition=models.Q(archived_at__isnull=True, buying_unit__isnull=False),
                name="whitespace_unit_cell_once",
                violation_error_message="The matrix has this cell already.",
            ),
            models.CheckConstraint(
                condition=(models.Q(current_spend__isnull=True) | models.Q(current_spend__gte=0))
                & (models.Q(potential__isnull=True) | models.Q(potential__gte=0)),
                name="whitespace_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family} at {self.site}"

    @property
    def is_open(self) -> bool:
        """A cell we could win: eligible and not ours."""
        return self.holder in OPEN_HOLDERS

    def get_absolute_url(self) -> str:
        return reverse("accounts:whitespace", args=[self.relationship_id]) + f"#cell-{self.pk}"
