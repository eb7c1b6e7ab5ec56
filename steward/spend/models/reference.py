"""The reference data that interprets a ledger: cost centers, exchange rates, remembered vendor
matches, category rules and contracted prices.

Finance keeps it (with administrators); everyone inside reads it, as with categories.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from steward.core.access import AccessSpec
from steward.core.models import DomainModel
from steward.spend.choices import RuleField, RuleMatch

FINANCE = ("finance",)


class CostCenter(DomainModel):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True, functions=FINANCE)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ExchangeRate(DomainModel):
    """One unit of ``currency`` is worth ``rate`` units of the base currency from ``rate_date``
    until the next rate of that currency."""

    currency = models.CharField(max_length=3)
    rate_date = models.DateField()
    rate = models.DecimalField(
        max_digits=20, decimal_places=10, validators=[MinValueValidator(Decimal("0.0000000001"))]
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True, functions=FINANCE)

    class Meta:
        ordering = ["currency", "-rate_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "rate_date"],
                name="exchange_rate_one_per_day",
                violation_error_message="There is a rate for that currency on that day.",
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate_date:%Y-%m-%d} {self.rate}"


class VendorAlias(DomainModel):
    """A name (or tax id) as a ledger spells it, confirmed once as one of our vendors."""

    name_key = models.CharField(
        max_length=255, help_text="The normalized name the ledger uses.", db_index=True
    )
    raw_name = models.CharField(max_length=255)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="spend_aliases"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True, functions=FINANCE)

    class Meta:
        ordering = ["raw_name"]
        verbose_name_plural = "vendor aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=models.Q(archived_at__isnull=True),
                name="vendor_alias_one_per_name",
                violation_error_message="That name is already matched to a vendor.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.raw_name} → {self.supplier_id}"


class CategoryRule(DomainModel):
    """Puts a line in a category from its GL account, its description or its vendor.

    A category named in the file wins; then rules by ``priority`` (lowest first), GL account
    and description rules before vendor defaults at equal priority.
    """

    field = models.CharField(max_length=20, choices=RuleField.choices)
    match = models.CharField(max_length=20, choices=RuleMatch.choices, default=RuleMatch.EQUALS)
    pattern = models.CharField(max_length=120, blank=True)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spend_category_rules",
        help_text="For a vendor rule: the vendor whose lines default to the category.",
    )
    category = models.ForeignKey(
        "suppliers.Category", on_delete=models.PROTECT, related_name="spend_rules"
    )
    priority = models.PositiveSmallIntegerField(default=100)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True, functions=FINANCE)

    class Meta:
        ordering = ["priority", "field", "pattern", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(field="vendor") & models.Q(supplier__isnull=False))
                | (~models.Q(field="vendor") & ~models.Q(pattern="")),
                name="category_rule_has_subject",
                violation_error_message="A vendor rule names a vendor; other rules a pattern.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.get_match_display().lower()} {self.pattern}"


class ContractPrice(DomainModel):
    """A price agreed in a contract for an item, against which paid prices are compared."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="prices"
    )
    item = models.CharField(max_length=80, help_text="The item or part code the ledger uses.")
    description = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    unit_price = models.DecimalField(
        max_digits=18, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(max_length=3)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(parent="contract", functions=FINANCE)

    class Meta:
        ordering = ["contract", "item", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "item", "valid_from"],
                condition=models.Q(archived_at__isnull=True),
                name="contract_price_one_per_item_and_start",
                violation_error_message="The contract has a price for that item from that date.",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="contract_price_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.unit_price} {self.currency}"
