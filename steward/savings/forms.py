"""Forms of the savings pages: they parse and check types; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from steward.contracts.models import Contract
from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.people.selectors import internal_user_choices
from steward.savings import selectors
from steward.savings.choices import BaselineMethod, SavingsKind, SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.suppliers.models import Category, Supplier

User = get_user_model()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _unit(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        help_text=help_text,
    )


def _amount(label: str, *, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        help_text=help_text,
    )


def _percent(label: str, *, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=3,
        help_text=help_text,
    )


def _choices(form: forms.Form, name: str, queryset: Any, label: Any = str) -> None:
    field = cast("forms.ModelChoiceField", form.fields[name])
    field.queryset = queryset
    field.label_from_instance = label  # type: ignore[method-assign]


class InitiativeForm(StewardForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SavingsKind.choices)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Defaults to you."
    )
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(), required=False, label="Vendor"
    )
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False)
    contract = forms.ModelChoiceField(
        queryset=Contract.objects.none(),
        required=False,
        help_text="The contract the negotiation or award led to (with the vendor above).",
    )
    baseline_method = forms.ChoiceField(
        choices=BaselineMethod.choices,
        help_text="Unit price: measured on the price paid per unit; annual spend: on what a "
        "month costs against a twelfth of the baseline.",
    )
    item = forms.CharField(max_length=80, required=False, label="Item")
    baseline_unit_price = _unit("Baseline unit price")
    baseline_annual_spend = _amount("Baseline annual spend")
    estimated_annual_savings = _amount("Estimated annual savings")
    negotiated_unit_price = _unit("Negotiated unit price")
    negotiated_annual_savings = _amount(
        "Negotiated annual savings",
        help_text="Left empty: derived from the unit prices and the baseline annual spend.",
    )
    effective_date = forms.DateField(widget=DATE, required=False)
    end_date = forms.DateField(widget=DATE, required=False)
    notes = forms.CharField(widget=TEXT, required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner", internal_user_choices(user=user), label_of_user)
        _choices(self, "supplier", selectors.vendor_choices(user=user))
        _choices(self, "category", selectors.category_choices(user=user))
        _choices(self, "contract", selectors.contract_choices(user=user))

    @classmethod
    def initial_of(cls, initiative: SavingsInitiative) -> dict[str, Any]:
        return {name: getattr(initiative, name) for name in cls.base_fields}

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class TransitionForm(StewardForm):
    to_status = forms.ChoiceField(choices=SavingsStatus.choices)
    reason = forms.CharField(max_length=2000, required=False)
    version = VersionField(required=False)


class ComparisonForm(StewardForm):
    title = forms.CharField(max_length=200)
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        required=False,
        help_text="Paid prices are suggested from this category's spend.",
    )
    item = forms.CharField(max_length=80, required=False)
    annual_quantity = forms.DecimalField(
        min_value=Decimal("0.0001"), max_digits=18, decimal_places=4, help_text="Units per year."
    )
    horizon_years = forms.IntegerField(min_value=1, max_value=30, initial=3)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Defaults to you."
    )
    notes = forms.CharField(widget=TEXT, required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", selectors.category_choices(user=user))
        _choices(self, "owner", internal_user_choices(user=user), label_of_user)

    @classmethod
    def initial_of(cls, comparison: TcoComparison) -> dict[str, Any]:
        return {name: getattr(comparison, name) for name in cls.base_fields}

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


SUGGESTED = "Leave empty to use the suggestion shown once the vendor is added."


class OptionForm(StewardForm):
    """Every input is optional: a blank one is suggested (when adding) or kept (when editing)."""

    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), label="Vendor")
    unit_price = _unit("Unit price", help_text="Empty: the average price paid over 12 months.")
    freight_per_unit = _unit("Freight per unit")
    duties_pct = _percent("Duties (% of the price)")
    other_landed_per_unit = _unit("Other landed cost per unit")
    operating_cost_per_year = _amount("Operating cost per year")
    support_cost_per_year = _amount("Support cost per year")
    rejection_rate_pct = _percent(
        "Rejection rate (%)", help_text="Empty: the vendor's latest defect rate."
    )
    cost_per_rejection = _unit("Cost per rejection")
    late_delivery_rate_pct = _percent(
        "Late-delivery rate (%)", help_text="Empty: 100 % minus its latest on-time delivery."
    )
    cost_per_late_delivery = _unit("Cost per late delivery")
    risk_cost_per_year = _amount(
        "Risk cost per year", help_text="Empty: derived from the vendor's risk score."
    )
    notes = forms.CharField(widget=TEXT, required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["supplier"]
        else:
            _choices(self, "supplier", selectors.vendor_choices(user=user))

    @classmethod
    def initial_of(cls, option: TcoOption) -> dict[str, Any]:
        return {name: getattr(option, name) for name in cls.base_fields if name != "supplier"}

    def inputs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("supplier", None)
        return data
