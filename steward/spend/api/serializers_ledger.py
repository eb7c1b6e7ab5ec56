"""API serializers of imports and the spend reference data.

Output serializers render rows the viewsets fetched through the access policy; input serializers
only parse and check types (the services in ``steward.spend.services`` decide the rest and name
the field they refuse). Related rows are taken by id from the rows the requesting user may pick.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from steward.contracts.models import Contract
from steward.core.api.fields import FlatDictField, VisibleRelatedField, version_field
from steward.parties.api.serializers import RecordOutputSerializer
from steward.spend import selectors
from steward.spend.choices import ImportStatus, RuleField, RuleMatch, SourceKind
from steward.spend.models import SpendSource
from steward.spend.services.reference import STEWARD_FIELDS
from steward.suppliers.models import Category, Supplier

CURRENCY_HELP = "ISO 4217 code, e.g. USD."
MAPPING_HELP = (
    "Steward field → the header of the file's column that holds it. The fields: "
    + ", ".join(STEWARD_FIELDS)
    + ". date, amount and vendor_name or vendor_tax_id are required; an empty mapping means "
    "the file's headers are the field names."
)


def _vendors(user: Any) -> Any:
    return selectors.vendor_choices(user=user)


def _categories(user: Any) -> Any:
    return selectors.category_choices()


def _sources(user: Any) -> Any:
    return selectors.source_choices(user=user)


def _price_contracts(user: Any) -> Any:
    return selectors.price_contract_choices(user=user)


# --- sources -------------------------------------------------------------------------------------


class SpendSourceSerializer(RecordOutputSerializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    mapping = serializers.DictField(child=serializers.CharField(), help_text=MAPPING_HELP)
    date_format = serializers.CharField(
        allow_blank=True, help_text="A strftime pattern, e.g. %d/%m/%Y; empty: ISO dates."
    )
    decimal_comma = serializers.BooleanField(help_text="Amounts are written 1.234,56.")
    default_currency = serializers.CharField(
        allow_blank=True, help_text="For files without a currency column."
    )


class SpendSourceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    mapping = FlatDictField(
        child=serializers.CharField(allow_blank=True, max_length=200),
        required=False,
        help_text=MAPPING_HELP,
    )
    date_format = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="A strftime pattern naming day, month and year, e.g. %d/%m/%Y; empty: ISO.",
    )
    decimal_comma = serializers.BooleanField(required=False)
    default_currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text=CURRENCY_HELP
    )


class SpendSourceUpdateSerializer(SpendSourceInputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    version = version_field()


# --- imports -------------------------------------------------------------------------------------


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="The file's row (the header is row 1); null: the whole file."
    )
    field = serializers.CharField(help_text="The Steward field (or the file) at fault.")
    message = serializers.CharField()


class VendorSuggestionSerializer(serializers.Serializer):
    supplier_id = serializers.IntegerField(help_text="Vendor id.")
    name = serializers.CharField()
    score = serializers.IntegerField(help_text="How alike the names are, 0 to 100.")


class UnmatchedVendorSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, help_text="The vendor's name in the file.")
    tax_id = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(help_text="Lines under this name.")
    rows = serializers.ListField(
        child=serializers.IntegerField(), help_text="The first rows with it."
    )
    suggestions = VendorSuggestionSerializer(many=True)


class SpendImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.IntegerField(  # type: ignore[assignment]
        source="source_id", help_text="Source id."
    )
    source_name = serializers.CharField(source="source.name")
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    progress = serializers.IntegerField(help_text="Percent done, 0 to 100.")
    stage = serializers.CharField(allow_blank=True, help_text="What the import is doing.")
    rows_read = serializers.IntegerField()
    lines_added = serializers.IntegerField()
    lines_skipped = serializers.IntegerField(help_text="Lines the ledger held already.")
    amount_base_cents = serializers.IntegerField(help_text="Added, in base-currency cents.")
    errors = ImportErrorSerializer(  # type: ignore[assignment]
        many=True, help_text="Why the file was refused: row, field, reason."
    )
    unmatched = UnmatchedVendorSerializer(
        many=True, help_text="Vendor names that match no vendor, with suggestions."
    )
    created_by = serializers.IntegerField(source="created_by_id", help_text="User id.")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class SpendImportCreateSerializer(serializers.Serializer):
    source = VisibleRelatedField(  # type: ignore[assignment]
        model=SpendSource, choices=_sources, help_text="Id of the source the file comes from."
    )
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX, one line of spend per row, the header in the first row."
    )


class RetrySerializer(serializers.Serializer):
    """Running an import again takes no body."""


# --- vendor matches ------------------------------------------------------------------------------


class VendorAliasSerializer(RecordOutputSerializer):
    raw_name = serializers.CharField(help_text="The name as the ledger spells it.")
    name_key = serializers.CharField(help_text="The name as imports compare it.")
    supplier = serializers.IntegerField(source="supplier_id", help_text="Vendor id.")
    supplier_name = serializers.CharField(source="supplier.relationship.organization.display_name")
    confirmed_by = serializers.IntegerField(source="confirmed_by_id", help_text="User id.")


class VendorAliasConfirmSerializer(serializers.Serializer):
    raw_name = serializers.CharField(
        max_length=255, help_text="The name as the ledger spells it (from `unmatched`)."
    )
    supplier = VisibleRelatedField(model=Supplier, choices=_vendors, help_text="Vendor id.")


# --- category rules ------------------------------------------------------------------------------


class CategoryRuleSerializer(RecordOutputSerializer):
    field = serializers.ChoiceField(choices=RuleField.choices)
    match = serializers.ChoiceField(choices=RuleMatch.choices)
    pattern = serializers.CharField(allow_blank=True)
    supplier = serializers.IntegerField(
        source="supplier_id", allow_null=True, help_text="Vendor id (vendor rules)."
    )
    category = serializers.IntegerField(source="category_id", help_text="Category id.")
    priority = serializers.IntegerField(help_text="Lowest first.")


class CategoryRuleInputSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=RuleField.choices, help_text="What the rule looks at.")
    match = serializers.ChoiceField(choices=RuleMatch.choices, required=False)
    pattern = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="The text a GL account or description rule matches; empty for vendor rules.",
    )
    supplier = VisibleRelatedField(
        model=Supplier,
        choices=_vendors,
        required=False,
        allow_null=True,
        help_text="For a vendor rule: the vendor id.",
    )
    category = VisibleRelatedField(model=Category, choices=_categories, help_text="Category id.")
    priority = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class CategoryRuleUpdateSerializer(CategoryRuleInputSerializer):
    field = serializers.ChoiceField(choices=RuleField.choices, required=False)
    category = VisibleRelatedField(
        model=Category, choices=_categories, required=False, help_text="Category id."
    )
    version = version_field()


# --- cost centers --------------------------------------------------------------------------------


class CostCenterSerializer(RecordOutputSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CostCenterCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="As the ledger's files write it.")
    name = serializers.CharField(max_length=120)


class CostCenterUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    version = version_field()


# --- exchange rates ------------------------------------------------------------------------------


def _rate(**options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20,
        decimal_places=10,
        min_value=Decimal("0.0000000001"),
        help_text="Units of the base currency one unit of the currency is worth.",
        **options,
    )


class ExchangeRateSerializer(RecordOutputSerializer):
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    rate_date = serializers.DateField(help_text="The rate applies from this day.")
    rate = serializers.DecimalField(
        max_digits=20,
        decimal_places=10,
        help_text="Units of the base currency one unit of the currency is worth.",
    )


class ExchangeRateInputSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, help_text=CURRENCY_HELP)
    rate_date = serializers.DateField(help_text="The rate applies from this day.")
    rate = _rate()


class ExchangeRateUpdateSerializer(ExchangeRateInputSerializer):
    currency = serializers.CharField(max_length=3, required=False, help_text=CURRENCY_HELP)
    rate_date = serializers.DateField(required=False)
    rate = _rate(required=False)
    version = version_field()


class RateFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX; first row: currency, date, rate. All rows or none."
    )


class RateImportResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(
        help_text="Rates added or changed; 0 when the file held nothing new."
    )


# --- contracted prices ---------------------------------------------------------------------------


class ContractPriceSerializer(RecordOutputSerializer):
    contract = serializers.IntegerField(source="contract_id", help_text="Contract id.")
    item = serializers.CharField(help_text="The item or part code the ledger uses.")
    description = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    unit_price = serializers.DecimalField(max_digits=18, decimal_places=4)
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


def _unit_price(**options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=Decimal(0), **options
    )


class ContractPriceInputSerializer(serializers.Serializer):
    contract = VisibleRelatedField(
        model=Contract,
        choices=_price_contracts,
        help_text="A buy-side contract you may change (any for finance); contract id.",
    )
    item = serializers.CharField(max_length=80)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_price = _unit_price()
    currency = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        help_text="ISO 4217 code; the contract's currency when left out.",
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class ContractPriceUpdateSerializer(ContractPriceInputSerializer):
    contract = VisibleRelatedField(
        model=Contract,
        choices=_price_contracts,
        required=False,
        help_text="Move the price to another buy-side contract; contract id.",
    )
    item = serializers.CharField(max_length=80, required=False)
    unit_price = _unit_price(required=False)
    currency = serializers.CharField(max_length=3, required=False, help_text=CURRENCY_HELP)
    version = version_field()
