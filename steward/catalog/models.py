"""The company's offering: product families, the products and services in them with list price
and standard cost, and bundles of them. Everything sold (installed base, opportunity lines,
whitespace cells) refers to it.

The catalog is reference data: every inside user reads it, administrators keep it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from steward.catalog.choices import OfferingKind
from steward.core.access import AccessSpec
from steward.core.models import DomainModel

CURRENCY_HELP = "ISO 4217 code, e.g. EUR."


class ProductFamily(DomainModel):
    """A line of the offering (the whitespace matrix's columns)."""

    code = models.CharField(max_length=30, help_text="Short unique code, e.g. PKG.")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists and matrices.")

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name_plural = "product families"
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(archived_at__isnull=True),
                name="catalog_family_code_unique",
                violation_error_message="Another product family has this code.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:family-detail", args=[self.pk])


class Product(DomainModel):
    """A product or service we sell, with its list price and standard cost in one currency."""

    family = models.ForeignKey(ProductFamily, on_delete=models.PROTECT, related_name="products")
    sku = models.CharField("SKU", max_length=60)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=OfferingKind.choices, default=OfferingKind.PRODUCT
    )
    unit = models.CharField(max_length=30, default="each", help_text="What one unit is.")
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    list_price = models.DecimalField(max_digits=16, decimal_places=4)
    standard_cost = models.DecimalField(max_digits=16, decimal_places=4)
    recurring = models.BooleanField(
        default=False, help_text="Billed every period (counts towards revenue retention)."
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["family__position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sku"],
                condition=models.Q(archived_at__isnull=True),
                name="catalog_product_sku_unique",
                violation_error_message="Another product has this SKU.",
            ),
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0), name="catalog_product_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(standard_cost__gte=0),
                name="catalog_product_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", args=[self.pk])

    @property
    def margin(self) -> Decimal:
        return self.list_price - self.standard_cost

    @property
    def margin_percent(self) -> Decimal | None:
        """Margin as a share of the list price, in per cent; none for a free item."""
        if not self.list_price:
            return None
        return self.margin * 100 / self.list_price


class Bundle(DomainModel):
    """Products sold together at one price (or at the sum of the items' list prices)."""

    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="EUR", help_text=CURRENCY_HELP)
    price = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The bundle's price; empty means the sum of its items at list price.",
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(archived_at__isnull=True),
                name="catalog_bundle_code_unique",
                violation_error_message="Another bundle has this code.",
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="catalog_bundle_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:bundle-detail", args=[self.pk])


class BundleItem(DomainModel):
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="bundle_items")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(1))

    history = HistoricalRecords()
    access_spec = AccessSpec(administered=True)

    class Meta:
        ordering = ["bundle_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "product"],
                condition=models.Q(archived_at__isnull=True),
                name="catalog_bundle_item_once",
                violation_error_message="The product is in the bundle already.",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="catalog_bundle_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"
