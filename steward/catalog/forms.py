"""Forms of the catalog pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.catalog import selectors
from steward.catalog.models import Bundle, BundleItem, Product, ProductFamily
from steward.core.forms import StewardForm, StewardModelForm, VersionField


class ProductFamilyForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = ProductFamily
        fields = ["code", "name", "position", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProductForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Product
        fields = [
            "family",
            "sku",
            "name",
            "kind",
            "unit",
            "currency",
            "list_price",
            "standard_cost",
            "recurring",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("family", selectors.family_choices(user=user))


class BundleForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Bundle
        fields = ["code", "name", "currency", "price", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class BundleItemForm(StewardModelForm):
    class Meta:
        model = BundleItem
        fields = ["product", "quantity"]

    def __init__(self, *args: Any, user: Any, bundle: Bundle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices(
            "product", selectors.product_choices(user=user).filter(currency=bundle.currency)
        )
        self.fields[
            "product"
        ].help_text = (
            f"Only products priced in {bundle.currency}, the bundle's currency, are offered."
        )


class ProductImportForm(StewardForm):
    file = forms.FileField(
        help_text="A .csv or .xlsx file with the columns SKU, name, family code, kind, unit, "
        "currency, list price, standard cost, recurring."
    )
