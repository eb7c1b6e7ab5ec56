"""Forms of the quotas pages: they parse what people typed; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from steward.catalog.models import Product
from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.parties.models import Relationship
from steward.quotas.choices import CostKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: str, help_text: str = "", *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        required=required,
        help_text=help_text,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class QuotaForm(StewardForm):
    person = PersonChoiceField(
        queryset=get_user_model().objects.none(), help_text="One of your reports."
    )
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(label="Ends", widget=DATE, help_text="Both days are included.")
    currency = forms.CharField(max_length=3, initial="EUR", help_text="ISO code, e.g. EUR.")
    sales_target = _money("Sales target", "Bookings to close in the period.")
    margin_target = _money("Gross-profit target", "Bookings less their cost.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, people: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("person", people)
        if editing:
            del self.fields["person"]


class ImportForm(StewardForm):
    file = forms.FileField(help_text="A .csv or .xlsx file whose first row names the columns.")


class TrainingObjectiveForm(StewardForm):
    person = PersonChoiceField(
        queryset=get_user_model().objects.none(), help_text="One of your reports."
    )
    title = forms.CharField(max_length=200)
    due_on = forms.DateField(label="Due", widget=DATE)
    required = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("person", people)


class CompletionForm(StewardForm):
    completed_on = forms.DateField(
        label="Completed on", widget=DATE, required=False, help_text="Empty: today."
    )
    evidence = forms.CharField(max_length=255, required=False, help_text="Certificate, course id.")


class RevenueForm(StewardForm):
    relationship = forms.ModelChoiceField(queryset=Relationship.objects.none(), label="Account")
    month = forms.DateField(widget=MONTH, help_text="Any day of the month.")
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(), required=False, help_text="Empty: in total."
    )
    currency = forms.CharField(max_length=3, initial="EUR")
    revenue = _money("Revenue")
    cost = _money("Cost of goods", required=False)

    def __init__(self, *args: Any, accounts: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("relationship", accounts)
        self.limit_choices("product", products)


class ServiceCostForm(StewardForm):
    relationship = forms.ModelChoiceField(queryset=Relationship.objects.none(), label="Account")
    month = forms.DateField(widget=MONTH, help_text="Any day of the month.")
    kind = forms.ChoiceField(choices=CostKind.choices)
    currency = forms.CharField(max_length=3, initial="EUR")
    amount = _money("Amount")
    notes = forms.CharField(max_length=255, required=False)

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("relationship", accounts)


class RevenueEditForm(RevenueForm):
    """A recorded month of revenue; the account stays (archive the row and record another)."""

    version = VersionField(required=False)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, accounts=Relationship.objects.none(), products=products, **kwargs)
        del self.fields["relationship"]


class ServiceCostEditForm(ServiceCostForm):
    """A recorded month's cost to serve; the account stays."""

    version = VersionField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, accounts=Relationship.objects.none(), **kwargs)
        del self.fields["relationship"]


class PeriodForm(forms.Form):
    """The months a profitability or retention figure covers (empty: the last 12 full months)."""

    first = forms.DateField(required=False, widget=DATE, label="From")
    last = forms.DateField(required=False, widget=DATE, label="To")
