"""Forms of the account pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.accounts import selectors
from steward.accounts.models import AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell
from steward.catalog.selectors import product_choices
from steward.core.forms import StewardModelForm, VersionField
from steward.parties.models import Relationship

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountProfileForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = AccountProfile
        fields = [
            "segment",
            "currency",
            "wallet",
            "expected_margin_percent",
            "customer_since",
            "notes",
        ]
        widgets = {"customer_since": DATE, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"expected_margin_percent": "Expected margin %"}


class BuyingUnitForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = BuyingUnit
        fields = ["name", "site", "description"]
        labels = {"site": "Location"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("site", selectors.locations_of(relationship))


class InstalledProductForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = InstalledProduct
        fields = [
            "product",
            "site",
            "buying_unit",
            "quantity",
            "currency",
            "annual_revenue",
            "annual_cost",
            "since",
            "until",
        ]
        labels = {
            "site": "Location",
            "annual_revenue": "Yearly revenue",
            "annual_cost": "Yearly cost",
        }
        widgets = {"since": DATE, "until": DATE}

    def __init__(self, *args: Any, user: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("product", product_choices(user=user))
        self.limit_choices("site", selectors.locations_of(relationship))
        self.limit_choices("buying_unit", selectors.buying_units_of(relationship))


class WhitespaceCellForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = WhitespaceCell
        fields = ["holder", "competitor", "current_spend", "potential", "currency", "notes"]
        labels = {"current_spend": "Spend / year", "potential": "Potential / year"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
