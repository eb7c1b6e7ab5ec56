"""Forms of the spend reference data: sources with their column mapping, category rules, cost
centers, exchange rates (and a file of them) and contracted prices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from steward.core.errors import DomainError
from steward.core.forms import PickerField, StewardForm, StewardModelForm, VersionField
from steward.spend.models import CategoryRule, ContractPrice, CostCenter, ExchangeRate, SpendSource
from steward.spend.services.reference_sources import REQUIRED_FIELDS, STEWARD_FIELDS, VENDOR_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CURRENCY = forms.TextInput(attrs={"maxlength": 3, "autocapitalize": "characters", "size": 4})
COLUMN_PREFIX = "column_"
VENDOR_LOOKUP = "spend:vendor-lookup"
SOURCE_FIELDS = ("name", "kind", "date_format", "decimal_comma", "default_currency")
_T = TypeVar("_T")


def column_field(name: str) -> str:
    return f"{COLUMN_PREFIX}{name}"


class SpendSourceForm(StewardModelForm):
    """A source and its mapping: one input per Steward field for the file's column header."""

    version = VersionField(required=False)

    class Meta:
        model = SpendSource
        fields = list(SOURCE_FIELDS)
        widgets = {"default_currency": CURRENCY}
        labels = {"decimal_comma": "Amounts use a decimal comma"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mapping = self.instance.mapping or {}
        for name, label in STEWARD_FIELDS.items():
            required = name in REQUIRED_FIELDS or name in VENDOR_FIELDS
            self.fields[column_field(name)] = forms.CharField(
                label=label,
                required=False,
                max_length=120,
                initial=mapping.get(name, ""),
                help_text="Required (vendor: name or tax id)." if required else "",
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.style_fields()

    def column_fields(self) -> list[tuple[str, forms.BoundField]]:
        """(Steward field, its input) in the fields' order, for the mapping table."""
        return [(name, self[column_field(name)]) for name in STEWARD_FIELDS]

    def source_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SOURCE_FIELDS]

    def changes(self) -> dict[str, Any]:
        """The fields as the services take them; columns left blank are not mapped."""
        data = {name: self.cleaned_data[name] for name in SOURCE_FIELDS}
        data["mapping"] = {
            name: self.cleaned_data[column_field(name)].strip()
            for name in STEWARD_FIELDS
            if (self.cleaned_data.get(column_field(name)) or "").strip()
        }
        return data

    @staticmethod
    def pointing_at_inputs(call: Callable[[], _T]) -> _T:
        """Run a source service; a refusal of one mapped field points at that field's input."""
        try:
            return call()
        except DomainError as error:
            if error.field and error.field.startswith("mapping[") and error.field.endswith("]"):
                error.field = column_field(error.field[len("mapping[") : -1])
            raise


class CategoryRuleForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = CategoryRule
        fields = ["field", "match", "pattern", "supplier", "category", "priority"]
        labels = {"field": "Looks at", "supplier": "Vendor"}
        help_texts = {
            "pattern": "For GL account and description rules, e.g. 6200 or “cloud”; "
            "matched ignoring case.",
            "priority": "Lowest first; a line takes the category of the first rule it matches.",
        }

    def __init__(self, *args: Any, vendors: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"] = PickerField(
            vendors,
            lookup_url_name=VENDOR_LOOKUP,
            required=False,
            label="Vendor",
            help_text="For a vendor rule: the vendor whose lines default to the category.",
        )
        self.limit_choices("category", categories)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.style_fields()

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CostCenterForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = CostCenter
        fields = ["code", "name"]
        help_texts = {"code": "As the ledger's files write it."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]  # how ledgers name it: fixed once made
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("code", "name") if name in self.fields}


class ExchangeRateForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate_date", "rate"]
        widgets = {"currency": CURRENCY, "rate_date": DATE}
        labels = {"rate_date": "From", "rate": "Rate"}

    def __init__(self, *args: Any, base: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rate"].help_text = f"How many {base} one unit of the currency is worth."
        self.fields["rate_date"].help_text = "The rate applies from this day until the next one."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RateImportForm(StewardForm):
    file = forms.FileField(
        label="Rates file",
        help_text="CSV (UTF-8) or XLSX; first row: currency, date, rate.",
    )


class ContractPriceForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = ContractPrice
        fields = [
            "contract",
            "item",
            "description",
            "unit",
            "unit_price",
            "currency",
            "valid_from",
            "valid_to",
        ]
        widgets = {"currency": CURRENCY, "valid_from": DATE, "valid_to": DATE}
        help_texts = {
            "currency": "ISO code; the contract's currency if left empty.",
            "valid_from": "Empty: from the contract's start.",
            "valid_to": "Empty: open-ended.",
        }

    def __init__(self, *args: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        if self.instance.pk:
            self.limit_choices("contract", contracts)
            self.fields["contract"].help_text = "Move the price to another buy-side contract."
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["contract"]  # the page's contract

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
